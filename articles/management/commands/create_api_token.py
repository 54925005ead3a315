from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from articles.roles import ROLES


class Command(BaseCommand):
    help = "Create an API user if needed, put it in a role's group, and print its API token on the last line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="User name of the API client or person")
        parser.add_argument("--role", required=True, choices=ROLES)

    def handle(self, *args, name, role, **options):
        user, created = get_user_model().objects.get_or_create(username=name)
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=role))
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(f"{'Created' if created else 'Found'} user {name!r} with role {role}. API token:")
        self.stdout.write(token.key)
