import sys

from django.core.management.base import BaseCommand

from articles.extraction import cli
from articles.services.tiers import tier_policy_or_default


class Command(BaseCommand):
    help = (
        "Print the fact-check checklist for article files, with the same cleaning and engine as the "
        "worker, writing nothing to the database (it reads the tier policy from it, or uses the default "
        "policy without one). --json prints the format the scorer reads."
    )

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, files, json, **options):
        status = cli.main(
            files, as_json=json, stdout=self.stdout._out, stderr=self.stderr._out, tier_policy=tier_policy_or_default()
        )
        if status:
            # Each bad file was already named on stderr; exit without a traceback.
            sys.exit(status)
