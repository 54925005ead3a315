"""Score the extraction engine on the sample articles, the second development set and PolNeAR.

    python manage.py evaluate_extraction [--set samples|second|polnear] [--polnear-split train]
                                         [--gold GOLD.json --articles DIR] [--shared PATH] [--json]

Prints one table; a set whose inputs are missing is named on one line and skipped.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import evaluation


def default_shared_dir() -> Path:
    """The shared folder beside the repository (../shared), where the corpora and scorers live."""
    return Path(settings.BASE_DIR).parent / "shared"


class Command(BaseCommand):
    help = (
        "Score the engine's checklists with the shared scorers: the sample articles and the second "
        "development set (tests/extraction/generalisation), with and without statements, and PolNeAR "
        "dev (quotes and speakers). Prints one table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shared", type=Path, help="the shared folder (default: ../shared beside the repository)")
        parser.add_argument("--set", choices=evaluation.SETS, dest="only", help="score this set only")
        parser.add_argument(
            "--polnear-split", choices=evaluation.POLNEAR_SPLITS, action="append", default=[],
            help="also score this PolNeAR split (train: 840 articles, slower); dev is always scored",
        )
        parser.add_argument(
            "--gold", type=Path, help="also score your own annotated set: a gold file in the samples' format"
        )
        parser.add_argument("--articles", type=Path, help="the folder of .txt articles the --gold file annotates")
        parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")

    def handle(self, *args, shared, only, polnear_split, gold, articles, json, **options):
        if (gold is None) != (articles is None):
            raise CommandError("--gold and --articles go together: the gold file and the folder of its articles")
        rows = evaluation.evaluate(
            own=(gold, articles) if gold else None,
            shared=shared or default_shared_dir(),
            repo=Path(settings.BASE_DIR),
            sets=(only,) if only else evaluation.SETS,
            polnear_splits=tuple(dict.fromkeys(["dev", *polnear_split])),
        )
        self.stdout.write(evaluation.render_json(rows) if json else evaluation.render_table(rows))
        failed = [row.set for row in rows if row.error]
        if failed:
            raise CommandError(f"scoring failed for {', '.join(failed)}")
