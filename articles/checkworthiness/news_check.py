"""Robustness check on news text: how the scorer ranks gold ``statement`` sentences.

    python -m articles.checkworthiness.news_check [--gold seeds.json] [--corpus DIR]

For each article of the gold file, the body is split into sentences; a sentence is a
*statement sentence* if it contains the anchor of a gold claim of kind ``statement``
(checkable factual sentences without a number). Reported per article and overall:
recall of statement sentences at the model threshold, how many other sentences pass the
threshold, and the ROC AUC of statement sentences against the other sentences. Other
sentences are also split into those holding a quote or a figure (which rules already
flag) and the rest. Informative only: the model is not tuned on these articles.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ..extraction.sentences import Layout
from ..extraction.text import prepare_text
from . import features as F
from . import load_scorer

REPO = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = REPO / "tests" / "extraction" / "quality" / "seeds.json"
DEFAULT_CORPUS = REPO / "samples"
_HAS_QUOTE_OR_FIGURE = re.compile(r"[\"\u201c\u201d]|\d")


def article_sentences(path: Path) -> list[str]:
    """The sentences of an article file as the engine sees them: cleaned, then split by its layout."""
    body = prepare_text(path.read_bytes()).body
    return [text for s in Layout(body).sentences if (text := body[s.start:s.end].strip())]


def _norm(s: str) -> str:
    return F.normalise(s).lower()


def auc(pos: list[float], neg: list[float]) -> float | None:
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def check(gold_path: Path = DEFAULT_GOLD, corpus: Path = DEFAULT_CORPUS, out=sys.stdout,
          model: Path | None = None) -> dict:
    scorer = load_scorer(model)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    totals = {"statement": 0, "statement_pass": 0, "other": 0, "other_pass": 0,
              "other_plain": 0, "other_plain_pass": 0, "anchors": 0, "anchors_found": 0}
    all_pos: list[float] = []
    all_neg: list[float] = []
    print(f"model threshold {scorer.threshold:.2f}", file=out)
    print("article                    sents  stmt  stmt>=thr  other>=thr  (no quote/figure)>=thr  AUC", file=out)
    for article in gold["articles"]:
        anchors = [c["anchor"] for c in article["claims"] if c["kind"] == "statement"]
        sentences = article_sentences(corpus / article["file"])
        scores = scorer.score(sentences)
        is_stmt = [any(_norm(a) in _norm(s) for a in anchors) for s in sentences]
        found = sum(any(_norm(a) in _norm(s) for s in sentences) for a in anchors)
        pos = [sc for sc, st in zip(scores, is_stmt) if st]
        neg = [sc for sc, st in zip(scores, is_stmt) if not st]
        plain = [sc for sc, st, s in zip(scores, is_stmt, sentences)
                 if not st and not _HAS_QUOTE_OR_FIGURE.search(s)]
        passed = lambda xs: sum(scorer.is_checkworthy(x) for x in xs)  # noqa: E731
        a = auc(pos, neg)
        print(f"{article['file'][:25]:25s}  {len(sentences):5d}  {len(pos):4d}  {passed(pos):4d}/{len(pos):<4d}"
              f"  {passed(neg):4d}/{len(neg):<4d}  {passed(plain):4d}/{len(plain):<4d}"
              f"              {'-' if a is None else f'{a:.2f}'}", file=out)
        totals["statement"] += len(pos); totals["statement_pass"] += passed(pos)
        totals["other"] += len(neg); totals["other_pass"] += passed(neg)
        totals["other_plain"] += len(plain); totals["other_plain_pass"] += passed(plain)
        totals["anchors"] += len(anchors); totals["anchors_found"] += found
        all_pos += pos; all_neg += neg
    totals["auc"] = auc(all_pos, all_neg)
    t = totals
    print(f"all: {t['anchors_found']}/{t['anchors']} statement anchors located in {t['statement']} sentences; "
          f"recall at threshold {t['statement_pass']}/{t['statement']} "
          f"({t['statement_pass'] / max(t['statement'], 1):.0%}); other sentences passing "
          f"{t['other_pass']}/{t['other']} ({t['other_pass'] / max(t['other'], 1):.0%}), of which without a "
          f"quote or figure {t['other_plain_pass']}/{t['other_plain']}; AUC {t['auc']:.2f}", file=out)
    return totals


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="news_check", description=__doc__.splitlines()[0])
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--model", type=Path, default=None, help="model .npz file (default: the committed model)")
    a = p.parse_args(argv)
    check(a.gold, a.corpus, model=a.model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
