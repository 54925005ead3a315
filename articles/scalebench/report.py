"""The scale benchmark's table (for people) and its JSON (for machines)."""

from __future__ import annotations

from collections import defaultdict

from .measure import DRF_BASELINE, ENDPOINTS, ITEMS_ENDPOINT, JSON_BASELINE


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def p95_ratios(results: list[dict]) -> dict[str, dict[int, float | None]]:
    """endpoint -> size -> p95 at that size over p95 at the smallest size."""
    by_endpoint = defaultdict(dict)
    for row in results:
        by_endpoint[row["endpoint"]][row["size"]] = row
    ratios = {}
    for endpoint, rows in by_endpoint.items():
        smallest = rows[min(rows)]
        ratios[endpoint] = {size: _ratio(row["p95_ms"], smallest["p95_ms"]) for size, row in rows.items()}
    return ratios


def throughput(results: list[dict]) -> list[dict]:
    """Per size: the item list endpoint's requests per second (from p50) against the two baselines."""
    out = []
    for size in sorted({row["size"] for row in results}):
        rows = {row["endpoint"]: row for row in results if row["size"] == size}
        if not {ITEMS_ENDPOINT, DRF_BASELINE, JSON_BASELINE} <= rows.keys():
            continue
        per_second = {name: 1000 / rows[name]["p50_ms"] if rows[name]["p50_ms"] else 0.0
                      for name in (ITEMS_ENDPOINT, DRF_BASELINE, JSON_BASELINE)}
        out.append({
            "size": size,
            "items_endpoint_per_second": round(per_second[ITEMS_ENDPOINT], 2),
            "drf_list_per_second": round(per_second[DRF_BASELINE], 2),
            "json_response_per_second": round(per_second[JSON_BASELINE], 2),
            "ratio_to_drf_list": _ratio(per_second[ITEMS_ENDPOINT], per_second[DRF_BASELINE]),
            "ratio_to_json_response": _ratio(per_second[ITEMS_ENDPOINT], per_second[JSON_BASELINE]),
        })
    return out


def table(results: list[dict]) -> str:
    order = {name: index for index, name in enumerate(ENDPOINTS)}
    rows = sorted(results, key=lambda r: (order.get(r["endpoint"], len(order)), r["size"]))
    width = max(len("endpoint"), *(len(r["endpoint"]) for r in rows))
    header = (f"{'endpoint':<{width}}  {'size (items)':>12}  {'p50 ms':>9}  {'p95 ms':>9}  {'queries':>7}  "
              f"{'p95 large/small':>15}")
    lines = [header, "-" * len(header)]
    previous = None
    for r in rows:
        ratio = r.get("p95_ratio_to_smallest")
        first = previous != r["endpoint"]
        ratio_text = "" if first or ratio is None else f"{ratio:.2f}"
        label = r["endpoint"] if first else ""
        lines.append(
            f"{label:<{width}}  {r['size']:>12,}  {r['p50_ms']:>9.1f}  {r['p95_ms']:>9.1f}  {r['queries']:>7}  "
            f"{ratio_text:>15}"
        )
        previous = r["endpoint"]
    return "\n".join(lines)


def throughput_table(rows: list[dict]) -> str:
    header = (f"{'size (items)':>12}  {'items endpoint req/s':>20}  {'DRF ListAPIView req/s':>21}  "
              f"{'JsonResponse req/s':>18}  {'vs DRF':>7}  {'vs JSON':>7}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['size']:>12,}  {r['items_endpoint_per_second']:>20,.1f}  {r['drf_list_per_second']:>21,.1f}  "
            f"{r['json_response_per_second']:>18,.1f}  {r['ratio_to_drf_list'] or 0:>7.2f}  "
            f"{r['ratio_to_json_response'] or 0:>7.2f}"
        )
    return "\n".join(lines)


def ingest_table(rows: list[dict]) -> str:
    header = (f"{'size (items)':>12}  {'articles':>8}  {'items':>7}  {'seconds':>8}  {'articles/s':>10}  "
              f"{'upsert p50 ms':>13}  {'extract p50 ms':>14}  {'large/small':>11}")
    lines = [header, "-" * len(header)]
    first = rows[0]["articles_per_second"] if rows else 0
    for index, r in enumerate(rows):
        ratio = "" if index == 0 or not first else f"{r['articles_per_second'] / first:.2f}"
        lines.append(
            f"{r['size']:>12,}  {r['articles']:>8}  {r['items']:>7}  {r['seconds']:>8.1f}  "
            f"{r['articles_per_second']:>10.2f}  "
            f"{r['upsert_p50_ms']:>13.1f}  {r['extract_p50_ms']:>14.1f}  {ratio:>11}"
        )
    return "\n".join(lines)
