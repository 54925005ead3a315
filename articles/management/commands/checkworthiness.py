"""Score sentences for check-worthiness: thin wrapper over articles.checkworthiness.cli.

    python manage.py checkworthiness FILE.tsv [--model PATH]

Prints ``Sentence_id<TAB>Yes|No<TAB>score`` per row. A bad file gives a one-line error on
stderr and a non-zero exit status.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.checkworthiness.cli import add_arguments, run
from articles.checkworthiness.data import InputFileError
from articles.checkworthiness.model import ModelFileError


class Command(BaseCommand):
    help = ("Score each sentence of a TSV file (header Sentence_id<TAB>Text[<TAB>...]) for "
            "check-worthiness; prints Sentence_id<TAB>Yes|No<TAB>score.")

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options["file"], self.stdout._out, options["model"])
        except (InputFileError, ModelFileError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        except BrokenPipeError:  # e.g. piped into `head`
            pass
