from pathlib import Path

from django.core.management.base import BaseCommand

from articles.checkworthiness import bench


class Command(BaseCommand):
    help = ("Sentences per second of the check-worthiness scorer on one core (CT24 dev+dev-test "
            "sentences repeated) and installed size of the model and its runtime dependencies.")

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=bench.DEFAULT_DATA, help="Folder with CT24 dev/dev-test TSV files")
        parser.add_argument("--sentences", type=int, default=20000, help="Sentences scored per round")
        parser.add_argument("--rounds", type=int, default=3, help="Timed rounds; the best is kept")

    def handle(self, *args, data, sentences, rounds, **options):
        bench.main(data, sentences, rounds, stdout=self.stdout._out)
