"""Retrain the quote-speaker model from PolNeAR (needs the pinned ``train`` extra; see SPEAKER_MODEL_CARD.md)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.extraction.engine import read
from articles.extraction.speaker_model import DEFAULT_MODEL_PATH
from articles.extraction.speaker_training import split_checksum, train


class Command(BaseCommand):
    help = (
        "Fit the quote-speaker model on PolNeAR's train split, choose its settings on dev, and write "
        "the weights (default: the committed articles/extraction/speaker_model.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--polnear",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared" / "corpus" / "polnear",
            help="folder holding PolNeAR's train/ and dev/ splits (default: ../shared/corpus/polnear)",
        )
        parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH, help="weights file to write")

    def handle(self, *args, polnear: Path, out: Path, **options):
        for split in ("train", "dev"):
            if not (polnear / split / "text").is_dir() or not (polnear / split / "attributions").is_dir():
                raise CommandError(f"no PolNeAR {split} split at {polnear / split} (text/ and attributions/)")
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise CommandError(
                "training needs the pinned train extra: python scripts/train_checkworthiness.py --requirements "
                "> train-requirements.txt && pip install --no-deps -r train-requirements.txt"
            ) from None
        report = train(polnear, read, log=lambda message: self.stdout.write(message))
        out.write_text(json.dumps(report.model.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
        self.stdout.write(f"wrote {out}: {len(report.model.weights)} weights")
        for split in ("train", "dev"):
            files, digest = split_checksum(polnear / split)
            self.stdout.write(f"{split}: {files} files, sha256 {digest}")
        self.stdout.write(
            f"chosen on dev: C={report.C}, no-speaker threshold {report.model.min_probability}; "
            f"dev speaker agreement {report.dev_agreement:.3f} over {report.dev_quotes} quotes; "
            f"{report.train_examples} training candidates from {report.train_articles} articles"
        )
