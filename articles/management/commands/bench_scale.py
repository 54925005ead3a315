import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import scalebench


def sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "").strip()) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"{text!r} is not a comma-separated list of item counts") from None
    if not values or min(values) <= 0:
        raise ValueError("sizes must be positive item counts")
    return values


class Command(BaseCommand):
    help = (
        "Scale benchmark for a year of a newsroom's work. Fills the configured database (it must be a "
        "throwaway one: the command refuses a database that holds articles unless --force is given, and "
        "never removes what it writes) with real-looking articles and checklists up to each size, then "
        "measures p50/p95 latency and SQL queries of the API, the pages and the admin in process, the item "
        "list against a minimal DRF view and a bare JsonResponse, and ingest throughput (upsert + extraction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=sizes, default=None,
                            help="Comma-separated item counts to grow to and measure at (default 55000,250000)")
        parser.add_argument("--repeat", type=int, default=None, help="Timed requests per endpoint and size (default 20)")
        parser.add_argument("--ingest", type=int, default=None,
                            help="New articles upserted and extracted at each size (default 200)")
        parser.add_argument("--articles", type=Path, action="append", default=[], metavar="DIR",
                            help="Also vary the .txt articles of this folder (repeatable)")
        parser.add_argument("--variants", type=int, default=None,
                            help="Distinct texts per article: the original and variants (default 8)")
        parser.add_argument("--seed", type=int, default=1, help="Seed of every random choice (default 1)")
        parser.add_argument("--search", dest="word", default=None, help="Word for the queue search (?q=)")
        parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="Also write the results here")
        parser.add_argument("--quick", action="store_true",
                            help="Tiny run for the test suite: 2,000 and 4,000 items, 3 repetitions, "
                            "5 ingested articles at each size")
        parser.add_argument("--force", action="store_true",
                            help="Run even though the database already holds articles (it adds to them)")

    def handle(self, *args, **options):
        quick = options["quick"]
        defaults = scalebench.quick_options() if quick else scalebench.Options()

        def pick(name):
            return options[name] if options[name] is not None else getattr(defaults, name)

        for directory in options["articles"]:
            if not directory.is_dir():
                raise CommandError(f"--articles {directory}: no such folder")
        settings = scalebench.Options(
            sizes=pick("sizes"),
            repeat=max(1, pick("repeat")),
            ingest=max(0, pick("ingest")),
            article_dirs=options["articles"],
            variants=max(1, pick("variants")),
            seed=options["seed"],
            force=options["force"],
            word=options["word"],
            quick=quick,
        )

        try:
            data = scalebench.run(settings, self.stderr.write)
        except (scalebench.Refused, FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(scalebench.render(data))
        if options["json"]:
            options["json"].write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
            self.stdout.write(f"results written to {options['json']}")
