import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

from articles.importers import EXTENSIONS
from articles.services.imports import FAILED, ImportReport, import_files, import_url


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
FILES_PER_BATCH = 100  # read, then upserted in one transaction: a few queries for them all


class Command(BaseCommand):
    help = (
        "Import articles from files (.txt, .html/.htm, .json in the API's shape or IPTC ninjs, .xml/.rss/.atom "
        "feeds), folders searched for those, and http(s) addresses of pages or feeds; their checklists are "
        "enqueued. Re-importing unchanged articles changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders, or http(s) addresses of pages or feeds")
        parser.add_argument(
            "--source",
            default=None,
            help="Source name stored with each article (default: 'file' for files, the host or feed name for URLs)",
        )

    def handle(self, *args, paths, source, **options):
        require_migrated_database()
        inputs = collect_inputs(paths)
        if not inputs:
            raise CommandError(
                f"No .txt files found (nor {', '.join(sorted(set(EXTENSIONS) - {'.txt'}))}) in: " + ", ".join(paths)
            )
        report = ImportReport()
        progress = tqdm(total=len(inputs), unit="file", disable=len(inputs) < 2, file=self.stderr._out)
        for batch in batches(inputs):
            try:
                if is_url(batch[0]):
                    part = import_url(batch[0], source=source)
                else:
                    part = import_files(batch, source=source or "file")
            except Exception as error:  # a bug on one input must not hide the others' results
                part = ImportReport()
                for item in batch:
                    part.add(str(item), FAILED, f"unexpected error ({type(error).__name__}: {error})")
            progress.update(len(batch))
            for failure in part.failures:
                progress.write(self.style.ERROR(f"failed {failure.label}: {failure.reason}"), file=self.stderr._out)
            for passed_over in part.skipped:
                progress.write(f"skipped {passed_over.label}: {passed_over.reason}", file=self.stderr._out)
            report.extend(part)
        progress.close()
        kind = "file(s)" if not any(is_url(item) for item in inputs) else "file(s) and address(es)"
        self.stdout.write(f"Imported {len(inputs)} {kind}: {report.summary()}.")
        waiting = report.waiting_for_broker()
        if waiting:
            self.stdout.write(
                self.style.WARNING(
                    f"{waiting} article(s) saved with extraction pending: the task broker (REDIS_URL) is "
                    "unreachable. They are extracted within a minute of its return; nothing to do."
                )
            )
        failed = len(report.failures)
        if failed:
            raise CommandError(
                f"{failed} of {len(report.items)} {'file(s)' if len(report.items) == len(inputs) else 'article(s)'} "
                "could not be imported; see the messages above."
            )


def require_migrated_database() -> None:
    """Stop with one clear message, not an error per file, when the database is not set up."""
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise CommandError(f"The database cannot be reached: {error}") from None
    if pending:
        raise CommandError("The database is not set up yet: run `python manage.py migrate` first.")


def is_url(item) -> bool:
    """Any address with a scheme; those other than http(s) are refused by the fetcher with a clear reason."""
    return isinstance(item, str) and bool(_SCHEME.match(item))


def batches(inputs: list) -> list[list]:
    """Files in runs of up to FILES_PER_BATCH, in order; each address alone."""
    out: list[list] = []
    for item in inputs:
        if is_url(item) or not out or is_url(out[-1][0]) or len(out[-1]) >= FILES_PER_BATCH:
            out.append([item])
        else:
            out[-1].append(item)
    return out


def collect_inputs(paths) -> list:
    inputs = []
    for raw in paths:
        if is_url(raw):
            inputs.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            inputs.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file()))
        else:
            inputs.append(path)
    return inputs
