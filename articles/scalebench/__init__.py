"""Scale benchmark: a year of a newsroom's work, and how the API, pages and admin hold up.

``python manage.py bench_scale`` (see the command's help) fills the configured database —
which must be a throwaway one — with real-looking articles and their checklists up to each
requested number of items, and at each size measures p50/p95 latency and SQL queries of the
API, the pages and the admin in process, against two baselines run in the same process, and
the throughput of ingesting new articles (upsert and extraction). Numbers are meant to be
read as ratios: between sizes, and against the baselines.

- ``variants``: real-looking variants of the sample articles (plain Python);
- ``fill``: the synthetic year, written in bulk;
- ``measure``: the endpoints, the baselines and the ingest measurement;
- ``report``: the table and the JSON.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from ..models import Article
from .fill import (
    ACTIVE_DAYS,
    SAMPLES,
    SEARCH_SOURCE,
    Filler,
    build_bodies,
    ensure_cast,
    new_ingest_variants,
    read_originals,
)
from .measure import ENDPOINTS, Runner, choose_target, ingest
from .report import ingest_table, p95_ratios, table, throughput, throughput_table
from .variants import SURNAMES

DEFAULT_SIZES = (55_000, 250_000)
QUICK_SIZES = (2_000, 4_000)


class Refused(Exception):
    """The database is not empty and --force was not given."""


@dataclass
class Options:
    sizes: list[int] = field(default_factory=lambda: list(DEFAULT_SIZES))
    repeat: int = 20
    ingest: int = 200
    article_dirs: list[Path] = field(default_factory=list)
    variants: int = 8
    seed: int = 1
    force: bool = False
    word: str | None = None
    quick: bool = False


def quick_options() -> Options:
    """The tiny run of the test suite: two small sizes, few repetitions and ingested articles."""
    return Options(sizes=list(QUICK_SIZES), repeat=3, ingest=5, variants=1, quick=True)


def refusal(existing: int) -> str:
    name = settings.DATABASES["default"].get("NAME")
    return (
        f"The database {name!s} already holds {existing:,} article(s). bench_scale writes hundreds of "
        "thousands of synthetic articles and checklist items into the configured database and never "
        "removes them, so it must run against a throwaway database: create an empty one, point "
        "DATABASE_URL at it and run migrate first. Pass --force to add to this database anyway."
    )


def search_word(bodies) -> str:
    """A surname an editor would search for: one that some, but the fewest, articles name."""
    texts = [body.body for body in bodies]
    present = [(sum(name in text for text in texts), name) for name in SURNAMES]
    present = [pair for pair in present if pair[0]]
    if present:
        return min(present)[1]
    words = [w.strip(".,\"'()") for w in texts[0].split()]
    capitalised = [w for w in words if w[:1].isupper() and w.isalpha() and len(w) > 4]
    return max(capitalised, key=len, default="minister")


def run(options: Options, log: Callable[[str], None]) -> dict:
    """Fill, measure and ingest at every size; the results as a JSON-ready dict.

    Runs with ``DEBUG`` off whatever the settings say, as production does: Django then keeps
    no log of the queries (the fill would otherwise hold every bulk insert's SQL in memory),
    and only the one captured request per endpoint records its queries.
    """
    configured_debug = settings.DEBUG
    with override_settings(DEBUG=False):
        return _run(options, log, configured_debug)


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _run(options: Options, log: Callable[[str], None], configured_debug: bool) -> dict:
    load_before = _load()
    existing = Article.objects.count()
    if existing and not options.force:
        raise Refused(refusal(existing))
    sizes = sorted(set(options.sizes))
    if not sizes or sizes[0] <= 0:
        raise ValueError("sizes must be positive numbers of items")
    started = time.perf_counter()
    now = timezone.now()
    database = settings.DATABASES["default"]
    log(f"database: {connection.vendor} {database.get('NAME')!s}; sizes {', '.join(f'{s:,}' for s in sizes)} items; "
        f"{options.repeat} repetitions; {options.ingest} ingested articles per size")
    if existing:
        log(f"--force: adding to the {existing:,} article(s) already there")

    originals = read_originals([SAMPLES, *options.article_dirs])
    cast = ensure_cast()
    bodies, names = build_bodies(originals, variants=options.variants, seed=options.seed, log=log)
    word = options.word or search_word(bodies)
    filler = Filler(bodies, cast, seed=options.seed, now=now)
    runner = Runner(cast, repeat=options.repeat, log=log)

    fills, results, ingests, target = [], [], [], None
    for size in sizes:
        log(f"size {size:,}: filling")
        report = filler.fill_to(size, log=log)
        fills.append(asdict(report))
        if target is None:
            target = choose_target(now=now, active_days=ACTIVE_DAYS, source=SEARCH_SOURCE, word=word,
                                   assignee=cast.checkers[0])
            log(f"measuring article {target.article_id} ({target.article_items} items), source {target.source!r}, "
                f"search {target.word!r}, assignee {target.assignee!r}")
        log(f"size {size:,}: {report.items:,} items in {report.articles:,} articles; measuring")
        results += [asdict(m) for m in runner.measure_size(target, size=size, items=report.items,
                                                             articles=report.articles)]
        if options.ingest > 0:
            variants = new_ingest_variants(originals, names, count=options.ingest, seed=f"{options.seed}:ingest:{size}")
            result = ingest(variants, size=size, source="bench-ingest", tag=filler.tag, now=now)
            ingests.append(asdict(result))
            log(f"size {size:,}: ingested {result.articles} articles at {result.articles_per_second:.2f} articles/s")

    ratios = p95_ratios(results)
    for row in results:
        row["p95_ratio_to_smallest"] = ratios[row["endpoint"]][row["size"]]
    return {
        "benchmark": "bench_scale",
        "when": now.isoformat(),
        "seconds": round(time.perf_counter() - started, 1),
        "database": {"vendor": connection.vendor, "name": str(database.get("NAME"))},
        "environment": {
            "python": platform.python_version(), "django": django.get_version(), "cpus": os.cpu_count(),
            "debug_setting": configured_debug, "run_with_debug": False,
            "load_average_before": load_before, "load_average_after": _load(),
        },
        "options": {
            "sizes": sizes, "repeat": options.repeat, "ingest": options.ingest, "variants": options.variants,
            "seed": options.seed, "quick": options.quick, "force": options.force,
            "articles": [str(p) for p in options.article_dirs],
        },
        "fill": {
            "distinct_texts": len(bodies),
            "history_records": False,
            "note": "synthetic articles, revisions, extraction runs, items and notes are bulk-inserted without "
                    "history records; each distinct text was read by the extraction engine once",
            "sizes": fills,
        },
        "target": asdict(target) if target else None,
        "endpoints": list(ENDPOINTS),
        "results": results,
        "item_list_throughput": throughput(results),
        "ingest": ingests,
    }


def render(data: dict) -> str:
    parts = [
        "Latency at each size (p50/p95 over the repetitions; queries from one captured request)",
        table(data["results"]),
        "",
        "Item list endpoint against the baselines (requests per second from p50; ratio > 1 is faster)",
        throughput_table(data["item_list_throughput"]),
    ]
    if data["ingest"]:
        parts += ["", "Ingest: article_upsert + checklist_extract per new article, in process",
                  ingest_table(data["ingest"])]
    env = data["environment"]
    parts += [
        "",
        f"fill: {data['fill']['note']}.",
        f"run with DEBUG off (configured: {'on' if env['debug_setting'] else 'off'}); {env['cpus']} CPUs; "
        f"load average before {env['load_average_before']}, after {env['load_average_after']}; "
        f"{data['seconds']:.0f} s in all.",
    ]
    return "\n".join(parts) + "\n"


__all__ = ["DEFAULT_SIZES", "QUICK_SIZES", "ENDPOINTS", "Options", "Refused", "refusal", "render", "run"]
