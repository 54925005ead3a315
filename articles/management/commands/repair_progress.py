from django.core.management.base import BaseCommand

from articles.services.progress import articles_progress_repair


class Command(BaseCommand):
    help = (
        "Recount every article's kept progress (items by state and tier, ready to publish) from "
        "its items. Safe to run at any time, for instance after restoring items from a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="Articles recounted per transaction")

    def handle(self, *args, batch_size, **options):
        repaired = articles_progress_repair(batch_size=max(1, batch_size))
        self.stdout.write(f"Recounted the progress of {repaired} article(s).")
