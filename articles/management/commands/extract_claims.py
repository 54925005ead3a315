import sys

from django.core.management.base import BaseCommand

from articles.extraction import cli


class Command(BaseCommand):
    help = (
        "Print the fact-check checklist for article files, with the same cleaning and engine as the "
        "worker, without touching the database. --json prints the format the scorer reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Article text files")
        parser.add_argument("--json", action="store_true", help="Print one JSON list, an object per file")

    def handle(self, *args, files, json, **options):
        status = cli.main(files, as_json=json, stdout=self.stdout._out, stderr=self.stderr._out)
        if status:
            # Each bad file was already named on stderr; exit without a traceback.
            sys.exit(status)
