"""Shared helpers for the extraction tests (plain Python, no database)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path

from articles.extraction import Claim, cli, extract_claims

SCORER = Path(__file__).resolve().parent / "quality" / "score_checklist.py"


def items(body: str, kind: str, **kwargs) -> list[Claim]:
    return [c for c in extract_claims(body, **kwargs) if c.kind == kind]


def texts(body: str, kind: str, **kwargs) -> list[str]:
    return [c.text for c in items(body, kind, **kwargs)]


def write_predictions(paths, destination: Path) -> None:
    """The engine's checklists for ``paths``, in the format the scorer reads (as ``extract_claims --json``)."""
    records = [cli.checklist_for(str(path)) for path in sorted(paths)]
    destination.write_text(json.dumps(records, ensure_ascii=False))


def score(gold: Path, predictions: Path, *extra: str) -> dict:
    """The vendored scorer's summary of ``predictions`` against ``gold``."""
    spec = importlib.util.spec_from_file_location("score_checklist", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main(["--gold", str(gold), "--pred", str(predictions), "--json", *extra])
    return json.loads(buffer.getvalue())
