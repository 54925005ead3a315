import json as json_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from articles.extraction.bench import DEFAULT_SAMPLES
from articles.memo import share_with, shared_store
from articles.scalebench import revision
from articles.shared_readings import share_readings


class Command(BaseCommand):
    help = (
        "Times a one-paragraph edit of a long article (the samples repeated to 900 KB) as a worker extracts, "
        "re-anchors and stores it, against reading the article the first time, in the same run. Everything "
        "is written in one transaction rolled back at the end: any database will do."
    )

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES, help="Folder of .txt articles")
        parser.add_argument("--bytes", type=int, default=None, help="Size of the long article (default 900,000)")
        parser.add_argument("--quick", action="store_true", help="A 60 KB article: the test suite's short run")
        parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="Also write the results here")

    def handle(self, *args, samples, quick, **options):
        target = options["bytes"] or (revision.QUICK_BYTES if quick else revision.DEFAULT_BYTES)
        if target > settings.ARTICLE_MAX_BYTES:
            raise CommandError(f"--bytes is over the article size limit ({settings.ARTICLE_MAX_BYTES:,} bytes)")
        previous = shared_store()
        if previous is None:  # as the worker processes do at start
            share_readings(settings.SHARED_READINGS_URL, settings.SHARED_READINGS_TTL)
        try:
            with override_settings(DEBUG=False):  # no query log held in memory
                result = revision.run(samples, target_bytes=target, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            share_with(previous)
        self.stdout.write("")
        self.stdout.write(revision.render(result))
        if options["json"]:
            options["json"].write_text(json_module.dumps(result.as_dict(), indent=2))
