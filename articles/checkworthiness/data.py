"""Reading sentence files in the CheckThat! tab-separated format.

A file starts with a header whose first two columns are ``Sentence_id`` and ``Text``;
labelled files have a third column ``class_label`` (``Yes``/``No``). Fields that contain
double quotes are CSV-quoted (``"He said ""no""."``). Each record is one line: lines are
parsed one at a time, so a stray quote can never swallow the following rows.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

SPLITS = {
    "train": "CT24_checkworthy_english_train.tsv",
    "dev": "CT24_checkworthy_english_dev.tsv",
    "dev-test": "CT24_checkworthy_english_dev-test.tsv",
}
REQUIRED_HEADER = ("Sentence_id", "Text")
LABEL_COLUMN = "class_label"
_FUSED_LABEL = re.compile(r"(Yes|No)(\d+)")


class InputFileError(Exception):
    """A sentence file cannot be used; the message is one line meant for a person."""


@dataclass(frozen=True)
class Row:
    sentence_id: str
    text: str
    label: bool | None = None


def _split(line: str) -> list[str]:
    return next(csv.reader([line], delimiter="\t"), [])


def _read_lines(path: str | os.PathLike) -> list[str]:
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: no such file")
    if p.is_dir():
        raise InputFileError(f"{p}: is a directory, expected a tab-separated file")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{p}: not UTF-8 text (bad byte at offset {exc.start})") from None
    if "\x00" in text:
        raise InputFileError(f"{p}: looks like a binary file, expected tab-separated text")
    return text.splitlines()


def _check_header(path, lines: list[str]) -> list[str]:
    if not lines or not lines[0].strip():
        raise InputFileError(f"{path}: empty file, expected a header 'Sentence_id<TAB>Text'")
    header = [h.strip() for h in _split(lines[0])]
    if tuple(header[:2]) != REQUIRED_HEADER:
        found = "<TAB>".join(header[:3]) if header else "nothing"
        raise InputFileError(
            f"{path}: header must start with 'Sentence_id<TAB>Text', found '{found}'")
    return header


def read_sentences(path: str | os.PathLike) -> list[Row]:
    """Rows of a ``Sentence_id<TAB>Text[<TAB>...]`` file; extra columns are ignored."""
    lines = _read_lines(path)
    _check_header(path, lines)
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = _split(line)
        if len(fields) < 2:
            raise InputFileError(
                f"{path}: line {lineno}: expected at least 2 tab-separated columns (Sentence_id, Text)")
        rows.append(Row(fields[0].strip(), fields[1]))
    return rows


def read_labelled(path: str | os.PathLike) -> list[Row]:
    """Rows of a labelled ``Sentence_id<TAB>Text<TAB>class_label`` file.

    Repairs one known defect of the public redistribution: two records fused on one line
    (``...<TAB>No29286<TAB>You can't bring back jobs.<TAB>No``).
    """
    lines = _read_lines(path)
    header = _check_header(path, lines)
    if len(header) < 3 or header[2] != LABEL_COLUMN:
        raise InputFileError(f"{path}: third column must be '{LABEL_COLUMN}'")
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = _split(line)
        while True:
            if len(fields) < 3:
                raise InputFileError(f"{path}: line {lineno}: expected Sentence_id, Text, class_label")
            sid, text, label = fields[0].strip(), fields[1], fields[2].strip()
            fused = _FUSED_LABEL.fullmatch(label) if len(fields) >= 5 else None
            if fused:
                label = fused.group(1)
            if label not in ("Yes", "No"):
                raise InputFileError(f"{path}: line {lineno}: class_label must be Yes or No, found {label!r}")
            rows.append(Row(sid, text, label == "Yes"))
            if not fused:
                break
            fields = [fused.group(2)] + fields[3:]
    return rows
