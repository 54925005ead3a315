from django.core.management.base import BaseCommand

from articles.checkworthiness import bench


class Command(BaseCommand):
    help = ("Sentences per second of the check-worthiness scorer on one core (CT24 dev+dev-test "
            "sentences repeated) and installed size of the model and its runtime dependencies.")

    def add_arguments(self, parser):
        bench.add_arguments(parser)

    def handle(self, *args, data, sentences, rounds, **options):
        bench.main(data, sentences, rounds, stdout=self.stdout._out)
