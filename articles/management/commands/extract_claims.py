import sys

from django.core.management.base import BaseCommand

from articles.extraction import cli


class Command(BaseCommand):
    help = (
        "Print the fact-check checklist for article files, with the same cleaning and engine as the "
        "worker, without touching the database. --json prints the format the scorer reads."
    )

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, files, json, **options):
        status = cli.main(files, as_json=json, stdout=self.stdout._out, stderr=self.stderr._out)
        if status:
            # Each bad file was already named on stderr; exit without a traceback.
            sys.exit(status)
