from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.services import ArticleRejected, UpsertOutcome, article_import_bytes


class Command(BaseCommand):
    help = (
        "Import plain-text articles from files or folders of .txt files, and enqueue their checklists. "
        "Re-importing an unchanged file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders searched for *.txt")
        parser.add_argument("--source", default="file", help="Source name stored with each article (default: file)")

    def handle(self, *args, paths, source, **options):
        files = collect_text_files(paths)
        if not files:
            raise CommandError("No .txt files found in: " + ", ".join(paths))
        counts = {UpsertOutcome.CREATED: 0, UpsertOutcome.UPDATED: 0, UpsertOutcome.UNCHANGED: 0, "failed": 0}
        progress = tqdm(files, unit="file", disable=len(files) < 2, file=self.stderr._out)
        for path in progress:
            try:
                raw = path.read_bytes()
                result = article_import_bytes(raw, source=source, external_id=path.stem)
            except (OSError, ArticleRejected) as error:
                counts["failed"] += 1
                progress.write(self.style.ERROR(f"skipped {path}: {describe(error)}"), file=self.stderr._out)
                continue
            counts[result.outcome] += 1
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(f"Imported {len(files)} file(s): {summary}.")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} file(s) could not be imported; see the messages above.")


def collect_text_files(paths) -> list[Path]:
    files = []
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.txt")))
        else:
            files.append(path)
    return files


def describe(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    return str(error)
