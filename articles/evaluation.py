"""How well the extraction engine scores on every set it can be scored on, as one table.

Plain Python, no Django: ``manage.py evaluate_extraction`` is a thin front end. The
checklists are what ``manage.py extract_claims --json`` prints (``cli.checklist_for``), and
the scorers are the shared ones in ``<shared>/eval/``, run through their documented
command lines so that this table always agrees with running them by hand.

None of these sets is held out. The sample articles and the second set in
``tests/extraction/generalisation/`` are development sets (their rules were written against
them); PolNeAR dev is the split rules are tuned on, and its train split is the material
for learning. Their scores flatter the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .extraction.cli import checklist_for

SETS = ("samples", "second", "polnear")
POLNEAR_SPLITS = ("dev", "train")

_ROLES = {
    "development": "rules were written against these articles",
    "tuning": "rules are tuned on this split",
    "training": "the material for learning rules and models",
}
_POLNEAR_ROLES = {"dev": "tuning", "train": "training"}


@dataclass
class Row:
    set: str
    role: str
    articles: int | None = None
    precision: float | None = None
    must_recall: float | None = None
    speaker_accuracy: float | None = None
    names_recall: float | None = None
    quote_recall: float | None = None
    items_per_must: float | None = None  # items listed for each gold must claim
    seconds: float | None = None
    skipped: str | None = None  # what is missing, when the set could not be scored
    error: str | None = None  # what went wrong, when scoring it failed


class EvaluationError(Exception):
    """Extracting or scoring a set failed; the message names the file or scorer."""


def evaluate(
    *,
    shared: Path,
    repo: Path,
    sets: tuple[str, ...] = SETS,
    polnear_splits: tuple[str, ...] = ("dev",),
    own: tuple[Path, Path] | None = None,
) -> list[Row]:
    """Rows for every set in ``sets``; a set whose inputs are missing gives one skipped row.

    ``own``: a newsroom's own annotated set, (gold file, folder of .txt articles), scored
    like the samples.
    """
    scorer = shared / "eval" / "score_checklist.py"
    rows: list[Row] = []
    for name in sets:
        if name == "samples":
            seeds, gold = shared / "corpus" / "seeds", shared / "gold" / "seeds.json"
            rows += _checklist_rows("samples", texts=seeds, gold=gold, scorer=scorer, shared=shared)
        elif name == "second":
            second = repo / "tests" / "extraction" / "generalisation"
            rows += _checklist_rows(
                "second set", texts=second / "articles", gold=second / "gold.json", scorer=scorer, shared=shared
            )
        elif name == "polnear":
            rows += [_polnear_row(split, shared=shared) for split in polnear_splits]
        else:
            raise ValueError(f"unknown set {name!r}; choose from {', '.join(SETS)}")
    if own is not None:
        gold, texts = own
        rows += _checklist_rows(f"own set ({gold.name})", texts=texts, gold=gold, scorer=scorer, shared=shared)
    return rows


def _checklist_rows(label: str, *, texts: Path, gold: Path, scorer: Path, shared: Path) -> list[Row]:
    role = "development"
    missing = _missing(shared, texts, gold, scorer)
    if missing:
        return [Row(label, role, skipped=missing)]
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pred, required = Path(tmp) / "pred.json", Path(tmp) / "required.json"
            _write_checklists(texts, pred, required_only=required)
            command = ["--gold", str(gold), "--pred", str(pred), "--json"]
            variants = [
                (label, _run_scorer(scorer, *command)),
                (f"{label}, no statements", _run_scorer(scorer, *command, "--exclude-kinds", "statement")),
                (f"{label}, required only", _run_scorer(scorer, "--gold", str(gold), "--pred", str(required), "--json")),
            ]
            musts = _must_claims(gold)
    except EvaluationError as error:
        return [Row(label, role, error=str(error))]
    seconds = round(time.perf_counter() - started, 1)
    return [
        Row(
            name,
            role,
            articles=summary["articles"],
            precision=summary["precision"],
            must_recall=summary["must_recall"],
            speaker_accuracy=summary["speaker_accuracy"],
            names_recall=summary.get("recall_by_kind", {}).get("name"),
            items_per_must=round(summary["items"] / musts, 2) if musts and "no statements" not in name else None,
            seconds=seconds,
        )
        for name, summary in variants
    ]


def _must_claims(gold: Path) -> int:
    articles = json.loads(gold.read_text(encoding="utf-8"))["articles"]
    return sum(claim["level"] == "must" for article in articles for claim in article["claims"])


def _polnear_row(split: str, *, shared: Path) -> Row:
    label, role = f"PolNeAR {split}", _POLNEAR_ROLES[split]
    corpus = shared / "corpus" / "polnear" / split
    scorer = shared / "eval" / "polnear_quotes.py"
    missing = _missing(shared, corpus / "text", corpus / "attributions", scorer)
    if missing:
        return Row(label, role, skipped=missing)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            gold, pred = Path(tmp) / "gold.json", Path(tmp) / "pred.json"
            _run_scorer(scorer, "gold", str(corpus), str(gold), output=False)
            _write_checklists(corpus / "text", pred)
            summary = _run_scorer(scorer, "score", str(gold), str(pred), "--json")
    except EvaluationError as error:
        return Row(label, role, error=str(error))
    return Row(
        label,
        role,
        articles=summary["articles"],
        speaker_accuracy=summary["speaker_accuracy"],
        quote_recall=summary["quote_recall"],
        seconds=round(time.perf_counter() - started, 1),
    )


def _missing(shared: Path, texts: Path, *others: Path) -> str | None:
    absent = [path for path in (texts, *others) if not path.exists()]
    if not shared.is_dir() and any(path.is_relative_to(shared) for path in absent):
        return f"the shared folder {shared} does not exist"
    if absent:
        return f"missing {', '.join(map(str, absent))}"
    if not any(texts.glob("*.txt")):
        return f"no .txt articles in {texts}"
    return None


def _write_checklists(texts: Path, destination: Path, *, required_only: Path | None = None) -> None:
    """The checklists of every article in ``texts``; ``required_only`` also gets them with the required tier alone."""
    records = []
    for path in sorted(texts.glob("*.txt")):
        try:
            records.append(checklist_for(str(path)))
        except Exception as error:  # one engine failure names its article instead of ending the table
            raise EvaluationError(f"extracting {path.name} failed: {type(error).__name__}: {error}") from error
    destination.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    if required_only is not None:
        required = [
            {**record, "items": [item for item in record["items"] if item["tier"] == "required"]} for record in records
        ]
        required_only.write_text(json.dumps(required, ensure_ascii=False), encoding="utf-8")


def _run_scorer(script: Path, *args: str, output: bool = True) -> dict | None:
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise EvaluationError(f"{script.name} exited with status {done.returncode}: {last}")
    if not output:
        return None
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise EvaluationError(f"{script.name} printed no JSON summary") from None


_COLUMNS = (
    "set", "role", "articles", "precision", "must_recall", "items_per_must", "speaker_accuracy", "names_recall",
    "quote_recall", "seconds",
)
_TEXT_COLUMNS = 2


def render_table(rows: list[Row]) -> str:
    """The scored rows as a table, what each role means, then one line per skipped or failed set."""
    scored = [row for row in rows if not (row.skipped or row.error)]
    lines = []
    if scored:
        cells = [list(_COLUMNS)] + [[_format(name, getattr(row, name)) for name in _COLUMNS] for row in scored]
        widths = [max(len(line[i]) for line in cells) for i in range(len(_COLUMNS))]
        for line in cells:
            lines.append("  ".join(
                cell.ljust(width) if i < _TEXT_COLUMNS else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths))
            ).rstrip())
        lines.append("")
        lines += [f"{role}: {_ROLES[role]}" for role in dict.fromkeys(row.role for row in scored)]
        lines.append("No set here is held out: these scores flatter the engine.")
        lines.append("items_per_must: items listed for each claim the gold set says must be checked.")
        lines.append("required only: the required tier alone, the list that decides whether an article is ready.")
        lines.append("seconds: extracting and scoring the whole set (the rows of a set share one extraction).")
    for row in rows:
        if row.skipped:
            lines.append(f"skipped {row.set}: {row.skipped}")
        elif row.error:
            lines.append(f"failed {row.set}: {row.error}")
    return "\n".join(lines)


def render_json(rows: list[Row]) -> str:
    return json.dumps([asdict(row) for row in rows], indent=1)


def _format(column: str, value) -> str:
    if value is None:
        return "-"
    if column == "seconds":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
