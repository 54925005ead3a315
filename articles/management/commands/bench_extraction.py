from pathlib import Path

from django.core.management.base import BaseCommand

from articles.extraction import bench


class Command(BaseCommand):
    help = (
        "Words per second of full claim extraction on the sample articles repeated to 1 MB, "
        "against the bare language pipeline (spaCy, every default component) on the same text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=Path, default=bench.DEFAULT_SAMPLES, help="Folder of .txt articles")
        parser.add_argument("--rounds", type=int, default=3, help="Timed rounds; the best of each is kept")

    def handle(self, *args, samples, rounds, **options):
        bench.main(samples, stdout=self.stdout._out, rounds=rounds)
