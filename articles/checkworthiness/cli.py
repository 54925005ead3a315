"""``checkworthiness FILE.tsv``: score every sentence of a CheckThat!-style TSV file.

Output: one line per input row, ``Sentence_id<TAB>Yes|No<TAB>score`` (score with four
decimals), in input order. Errors (missing file, wrong header, not UTF-8, unusable model
file) are reported as a single line on stderr with exit status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .data import InputFileError, read_sentences
from .model import ModelFileError

PROG = "checkworthiness"


def format_line(sentence_id: str, checkworthy: bool, score: float) -> str:
    return f"{sentence_id}\t{'Yes' if checkworthy else 'No'}\t{score:.4f}"


def run(path: str, out: TextIO, model_path: str | None = None) -> None:
    """Score ``path`` and write the result lines to ``out``.

    Raises InputFileError / ModelFileError with a one-line message.
    """
    from . import load_scorer

    rows = read_sentences(path)
    scorer = load_scorer(model_path)
    scores = scorer.score([r.text for r in rows])
    for row, score in zip(rows, scores):
        out.write(format_line(row.sentence_id, scorer.is_checkworthy(score), score) + "\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of this command line and of ``manage.py checkworthiness``."""
    parser.add_argument("file", help="tab-separated file with header Sentence_id<TAB>Text")
    parser.add_argument("--model", default=None, help="model .npz file (default: the committed model)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Score sentences for check-worthiness. Input: TSV with header "
                    "Sentence_id<TAB>Text[<TAB>...]. Output: Sentence_id<TAB>Yes|No<TAB>score.")
    add_arguments(p)
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        run(args.file, out, args.model)
    except (InputFileError, ModelFileError) as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
