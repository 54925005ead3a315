import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or reset) the demo login and print its user name and password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *, username, **options):
        password = secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = True
        user.email = user.email or f"{username}@localhost"  # notifications show in the worker's console
        user.set_password(password)
        user.save()
        self.stdout.write(f"Demo login: user {username!r}, password {password!r}")
