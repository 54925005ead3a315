import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles import evidence


class Command(BaseCommand):
    help = (
        "Evidence benchmark: matching the claims of an article of --words words against --pages pages of "
        "sources (synthetic, deterministic), index included, against comparing every quote with every window "
        "of the sources, measured in the same run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--words", type=int, default=2000, help="Words of the article (default 2000)")
        parser.add_argument("--pages", type=int, default=200, help="Pages of sources, 500 words each (default 200)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="Also write the results here")

    def handle(self, *args, **options):
        result = evidence.benchmark(words=options["words"], pages=options["pages"], seed=options["seed"])
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
        if options["json"]:
            options["json"].write_text(json.dumps(result, indent=2))
