"""The extraction benchmark, in a short bounded run: it measures both sides on the same text.

No timing is asserted; `manage.py bench_extraction` is the real run.
"""

from articles.extraction import bench


def test_the_benchmark_times_extraction_and_the_bare_pipeline_on_the_same_words():
    result = bench.run_benchmark(min_bytes=5_000, rounds=1)

    assert result.articles >= 1 and result.words > 500
    assert result.extraction_seconds > 0 and result.pipeline_seconds > 0
    assert result.ratio == result.extraction_wps / result.pipeline_wps
    assert result.pipeline
