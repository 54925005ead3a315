"""Command-line front end shared by `manage.py extract_claims` and plain Python.

It reads each file as ``import_articles`` reads a text file (``importers.parse_text``:
``prepare_text`` cleaning, then the title taken out of the body) and runs
``extract_claims`` on that body, as the worker does: so the title and body it prints are
what the service stores, and the items' offsets point into that body.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..importers import parse_text
from .engine import extract_claims
from .text import InvalidText
from .tiers import DEFAULT_POLICY, REQUIRED, TierRule


def checklist_for(path: str, tier_policy: Sequence[TierRule] = DEFAULT_POLICY) -> dict:
    """The JSON record for one file; raises InvalidText or OSError for a bad file."""
    raw = Path(path).read_bytes()
    article = parse_text(raw)
    claims = extract_claims(article.body, tier_policy=tier_policy)
    return {
        "file": path,
        "title": article.title,
        "body": article.body,
        "items": [claim.as_dict() for claim in claims],
    }


def _print_readable(record: dict, out: TextIO) -> None:
    out.write(f"== {record['file']}\n")
    if record["title"]:
        out.write(f"   {record['title']}\n")
    items = sorted(record["items"], key=lambda i: (i["tier"] != REQUIRED, -i["priority"], i["start"]))
    required = sum(item["tier"] == REQUIRED for item in items)
    out.write(f"   {len(items)} items to check: {required} required, {len(items) - required} if time allows\n")
    for item in items:
        text = " ".join(item["text"].split())
        if len(text) > 90:
            text = text[:89] + "…"
        speaker = f" — {item['speaker']}" if item.get("speaker") else ""
        out.write(f"[{item['priority']:3d} {item['tier']:<11}] {item['kind']:<12} {text}{speaker}\n")
        out.write(f"      {item['guidance']}\n")
    out.write("\n")


def main(
    paths: list[str],
    as_json: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    tier_policy: Sequence[TierRule] = DEFAULT_POLICY,
) -> int:
    """Process every file; a bad one is reported on stderr and the others still run.

    Returns the exit status: 0 when all files were processed, 1 otherwise.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    records = []
    failed = False
    for path in paths:
        try:
            record = checklist_for(path, tier_policy)
        except InvalidText as exc:
            stderr.write(f"{path}: {exc}\n")
            failed = True
            continue
        except OSError as exc:
            stderr.write(f"{path}: cannot read the file ({exc.strerror or exc})\n")
            failed = True
            continue
        if as_json:
            records.append(record)
        else:
            _print_readable(record, stdout)
    if as_json:
        json.dump(records, stdout, ensure_ascii=False, indent=1)
        stdout.write("\n")
    return 1 if failed else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of this command line and of ``manage.py extract_claims``."""
    parser.add_argument("files", nargs="+", help="article files (any common encoding)")
    parser.add_argument("--json", action="store_true", help="print one JSON list, an object per file")


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the fact-check checklist for article files.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return main(args.files, as_json=args.json)


if __name__ == "__main__":
    sys.exit(run())
