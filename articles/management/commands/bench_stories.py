import dataclasses
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from articles.models import Article
from articles.scalebench import desk
from articles.management.commands.bench_scale import sizes


class Command(BaseCommand):
    help = (
        "Story-desk benchmark: grows a synthetic desk of articles (stories that repeat their quotes and "
        "figures, some with a word changed), linking each as a worker does, and reports the time and queries "
        "of linking one more article at each size, against the smallest size and against comparing with every "
        "claim of the desk. Writes into the configured database: use a throwaway one (refused if it holds "
        "articles, unless --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=sizes, default=None,
                            help="Comma-separated desk sizes in articles (default 1000,5000,10000)")
        parser.add_argument("--repeat", type=int, default=15, help="Timed links of the probe at each size (default 15)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="Also write the results here")
        parser.add_argument("--quick", action="store_true", help="Tiny run for the test suite: 30 and 60 articles")
        parser.add_argument("--force", action="store_true", help="Run even though the database holds articles")

    def handle(self, *args, **options):
        existing = Article.objects.count()
        if existing and not options["force"]:
            raise CommandError(
                f"The database already holds {existing:,} article(s). bench_stories writes thousands of synthetic "
                "articles and never removes them: point DATABASE_URL at an empty, migrated database, or pass --force."
            )
        chosen = options["sizes"] or list(desk.QUICK_SIZES if options["quick"] else desk.DEFAULT_SIZES)
        repeat = 3 if options["quick"] else max(1, options["repeat"])
        with override_settings(DEBUG=False):  # no query log held in memory while filling
            results = desk.run(sizes=chosen, repeat=repeat, seed=options["seed"], log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(desk.table(results))
        if options["json"]:
            options["json"].write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=2))
