"""Latency and SQL queries of the API, the pages and the admin, in process, with Django's test client.

Every endpoint is first requested once with its SQL queries captured (that request also
warms caches and templates and checks that the answer is a 200), then ``repeat`` times
with a stopwatch (the whole run has ``DEBUG`` off, so no query log is kept, as in production). Pages and the admin are
requested by a signed-in superuser, the API with an editor's token. Two baselines answer
the same rows as the item list endpoint without the project's stack: a minimal DRF
``ListAPIView`` (token authentication, a plain ``ModelSerializer``, the same pagination)
and a bare ``JsonResponse`` of ``values()``, both called directly (no URL routing, no
middleware).
"""

from __future__ import annotations

import datetime
import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework import generics, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.test import APIRequestFactory

from ..api.pagination import PageNumberPagination
from ..models import Article, ChecklistItem, ChecklistStatus

API = "api"
PAGE = "page"
ADMIN = "admin"
BASELINE = "baseline"

# Every measured endpoint, in the order of the table; the test checks the JSON against it.
ENDPOINTS = (
    "API GET /api/v1/articles/",
    "API GET /api/v1/articles/?ready=true",
    "API GET /api/v1/articles/?ready=false",
    "API GET /api/v1/articles/?checklist_status=ready",
    "API GET /api/v1/articles/?source=<one>",
    "API GET /api/v1/articles/{id}/items/",
    "API GET /api/v1/articles/{id}/readiness/",
    "page GET / (queue)",
    "page GET /?q=<word>",
    "page GET /articles/{id}/",
    "admin GET /admin/articles/article/",
    "admin GET /admin/articles/checklistitem/",
    "admin GET /admin/articles/checklistitem/?assignee=<one>",
    "baseline DRF ListAPIView (same items)",
    "baseline JsonResponse (same items)",
)
ITEMS_ENDPOINT = ENDPOINTS[5]
DRF_BASELINE = ENDPOINTS[-2]
JSON_BASELINE = ENDPOINTS[-1]


@dataclass(frozen=True)
class Target:
    """What the endpoints are asked about; chosen once, at the first size, and kept."""

    article_id: int
    article_items: int
    source: str
    word: str
    assignee_id: int
    assignee: str


@dataclass(frozen=True)
class Measurement:
    endpoint: str
    group: str
    path: str
    size: int
    items: int
    articles: int
    repeat: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    min_ms: float
    queries: int
    status: int
    response_bytes: int


def percentile(samples: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (NumPy's default)."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def choose_target(*, now, active_days: int, source: str, word: str | None, assignee) -> Target:
    """The article the per-article endpoints read: the one with most items among those still being checked."""
    recent = Article.objects.filter(
        checklist_status=ChecklistStatus.READY, published_at__gte=now - datetime.timedelta(days=active_days)
    )
    candidates = recent if recent.exists() else Article.objects.filter(checklist_status=ChecklistStatus.READY)
    article = (
        candidates.annotate(item_count=Count("items")).order_by("-item_count", "pk").values("pk", "item_count").first()
    )
    if article is None:
        raise RuntimeError("no article with a checklist to measure; the fill made none")
    return Target(article["pk"], article["item_count"], source, word or "", assignee.pk, assignee.get_username())


def endpoint_paths(target: Target) -> dict[str, tuple[str, str]]:
    """endpoint name -> (group, path) for the project's own endpoints."""
    article = target.article_id
    return {
        ENDPOINTS[0]: (API, "/api/v1/articles/"),
        ENDPOINTS[1]: (API, "/api/v1/articles/?ready=true"),
        ENDPOINTS[2]: (API, "/api/v1/articles/?ready=false"),
        ENDPOINTS[3]: (API, "/api/v1/articles/?checklist_status=ready"),
        ENDPOINTS[4]: (API, "/api/v1/articles/?" + urlencode({"source": target.source})),
        ENDPOINTS[5]: (API, f"/api/v1/articles/{article}/items/"),
        ENDPOINTS[6]: (API, f"/api/v1/articles/{article}/readiness/"),
        ENDPOINTS[7]: (PAGE, "/"),
        ENDPOINTS[8]: (PAGE, "/?" + urlencode({"q": target.word})),
        ENDPOINTS[9]: (PAGE, f"/articles/{article}/"),
        ENDPOINTS[10]: (ADMIN, "/admin/articles/article/"),
        ENDPOINTS[11]: (ADMIN, "/admin/articles/checklistitem/"),
        ENDPOINTS[12]: (ADMIN, "/admin/articles/checklistitem/?" + urlencode({"assignee__id__exact": target.assignee_id})),
    }


# --- baselines ---------------------------------------------------------------------------


class BaselineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = "__all__"


class BaselineItemList(generics.ListAPIView):
    """The least DRF does to list an article's items: token, serializer, page."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes: list = []
    serializer_class = BaselineItemSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return ChecklistItem.objects.filter(article_id=self.kwargs["article_id"]).order_by("start", "end", "kind")


BASELINE_FIELDS = [f.attname for f in ChecklistItem._meta.concrete_fields]


def json_items(request, article_id: int, page_size: int = PageNumberPagination.page_size) -> JsonResponse:
    rows = list(
        ChecklistItem.objects.filter(article_id=article_id)
        .order_by("start", "end", "kind")
        .values(*BASELINE_FIELDS)[:page_size]
    )
    return JsonResponse({"results": rows})


# --- measuring ---------------------------------------------------------------------------


def _throttle_reset(user) -> None:
    """Forget the API user's request history, so that the benchmark never meets its own rate limit."""
    try:
        from rest_framework.settings import api_settings

        for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
            throttle = throttle_class()
            key = throttle.cache_format % {"scope": getattr(throttle, "scope", "user"), "ident": user.pk}
            throttle.cache.delete(key)
    except Exception:  # noqa: BLE001 - the cache may be away; the check on every status catches a 429
        pass


class Runner:
    def __init__(self, cast, *, repeat: int, log: Callable[[str], None]):
        self.cast = cast
        self.repeat = max(1, repeat)
        self.log = log
        self.pages = Client()
        self.pages.force_login(cast.admin)
        self.api = Client(HTTP_AUTHORIZATION=f"Token {cast.token}")
        self.factory = APIRequestFactory()

    def _time(self, call: Callable[[], object], check: Callable[[object], int]) -> tuple[list[float], int, int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = call()
        queries = len(captured.captured_queries)  # now: later requests clear the connection's query log
        status = check(response)
        size = len(getattr(response, "content", b""))
        samples = []
        gc.collect()  # start every endpoint with the same heap: no collection left over from the last one
        for _ in range(self.repeat):
            started = time.perf_counter()
            response = call()
            samples.append(time.perf_counter() - started)
            check(response)
        return samples, queries, status, size

    def measure_size(self, target: Target, *, size: int, items: int, articles: int) -> list[Measurement]:
        results = []
        hosts = settings.ALLOWED_HOSTS if "*" in settings.ALLOWED_HOSTS else [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts):
            for name, (group, path) in endpoint_paths(target).items():
                client = self.api if group == API else self.pages
                if group == API:
                    _throttle_reset(self.cast.api_user)

                def call(client=client, path=path):
                    return client.get(path, secure=True)

                def check(response, path=path):
                    if response.status_code != 200:
                        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200")
                    return response.status_code

                samples, queries, status, body = self._time(call, check)
                results.append(self._result(name, group, path, size, items, articles, samples, queries, status, body))
                self.log(f"  {name:<58} p50 {results[-1].p50_ms:8.1f} ms  {queries:3d} queries")
            results.extend(self._baselines(target, size=size, items=items, articles=articles))
        return results

    def _baselines(self, target: Target, *, size: int, items: int, articles: int) -> list[Measurement]:
        view = BaselineItemList.as_view()
        path = f"/bench/articles/{target.article_id}/items/"
        auth = f"Token {self.cast.token}"

        def drf():
            request = self.factory.get(path, HTTP_AUTHORIZATION=auth)
            return view(request, article_id=target.article_id).render()

        def bare():
            return json_items(self.factory.get(path), target.article_id)

        def check(response):
            if response.status_code != 200:
                raise RuntimeError(f"baseline answered {response.status_code}, not 200")
            return response.status_code

        out = []
        for name, call in ((DRF_BASELINE, drf), (JSON_BASELINE, bare)):
            samples, queries, status, body = self._time(call, check)
            out.append(self._result(name, BASELINE, path, size, items, articles, samples, queries, status, body))
            self.log(f"  {name:<58} p50 {out[-1].p50_ms:8.1f} ms  {queries:3d} queries")
        return out

    def _result(self, name, group, path, size, items, articles, samples, queries, status, body) -> Measurement:
        ms = [s * 1000 for s in samples]
        return Measurement(
            endpoint=name, group=group, path=path, size=size, items=items, articles=articles, repeat=len(ms),
            p50_ms=round(percentile(ms, 0.5), 3), p95_ms=round(percentile(ms, 0.95), 3),
            mean_ms=round(sum(ms) / len(ms), 3), min_ms=round(min(ms), 3), queries=queries, status=status,
            response_bytes=body,
        )


# --- ingest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    size: int
    articles: int
    items: int
    words: int
    seconds: float
    upsert_p50_ms: float
    extract_p50_ms: float
    articles_per_second: float
    broker: str


def ingest(variants, *, size: int, source: str, tag: str, now) -> IngestResult:
    """``article_upsert`` then ``checklist_extract`` for each new article, in this process, timed.

    No task message is sent meanwhile (the extraction a message would ask for runs right
    here), so the broker neither receives work nobody will do nor slows the timing. The new
    articles are deleted afterwards: being the most recent, they would otherwise head every
    list measured at the next size, and each size is meant to measure the same kind of year.
    """
    from ..extraction.engine import forget_recent_readings
    from ..services import article_upsert, checklist_extract
    from ..services import queueing

    upserts, extracts, items, words, created = [], [], 0, 0, []
    # The task an upsert sends after commit would extract the article again elsewhere: it is
    # not sent, and the extraction it asks for runs right here.
    with mock.patch.object(queueing, "_send", lambda *args, **kwargs: None):
        for number, variant in enumerate(variants):
            forget_recent_readings()  # variants share sentences; each article is timed as if new
            started = time.perf_counter()
            result = article_upsert(
                source=source, external_id=f"{tag}-{size}-{number:05d}", body=variant.body, title=variant.title,
                byline="By Bench Ingest", published_at=now,
            )
            upserted = time.perf_counter()
            checklist_extract(article_id=result.article.pk)
            done = time.perf_counter()
            created.append(result.article.pk)
            upserts.append(upserted - started)
            extracts.append(done - upserted)
            items += ChecklistItem.objects.filter(article_id=result.article.pk).count()
            words += len(variant.body.split())
    Article.objects.filter(pk__in=created).delete()
    total = sum(upserts) + sum(extracts)
    count = len(upserts)
    return IngestResult(
        size=size, articles=count, items=items, words=words, seconds=round(total, 3),
        upsert_p50_ms=round(percentile([s * 1000 for s in upserts], 0.5), 3),
        extract_p50_ms=round(percentile([s * 1000 for s in extracts], 0.5), 3),
        articles_per_second=round(count / total, 3) if total else 0.0,
        broker="task messages not sent (extraction timed in process)",
    )

