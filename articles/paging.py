"""Pages that count their rows only when they cannot tell otherwise.

A page is read with one row more than it shows. When that row is not there, the page is the
last one and the number of rows is known without asking the database: a short first page
(most of an article's item lists, a filtered list, the queue) costs one query instead of a
COUNT and a read. Only a page with more rows after it runs the COUNT, as before. The answer
keeps its shape: ``count``, ``next``, ``previous``, ``results``.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .search import index_search_plan, is_search

# No table holds more rows than this; a page further on is past the end without counting.
_LAST_OFFSET = 2**62


class CountWhenNeededPaginator(Paginator):
    """A Django paginator whose ``count`` is worked out from the page itself when it is the last.

    A page of a full-text search (``search.search_articles``) is read, and counted when it
    must be, under the search's index plan (``search.index_search_plan``).
    """

    def _plan(self):
        return index_search_plan(self.object_list) if is_search(self.object_list) else nullcontext()

    @cached_property
    def count(self) -> int:
        with self._plan():
            return Paginator.count.func(self)

    def _page_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if (number - 1) * self.per_page > _LAST_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self._page_number(number)
        bottom = (number - 1) * self.per_page
        with self._plan():
            rows = list(self.object_list[bottom : bottom + self.per_page + 1])
            if len(rows) > self.per_page and is_search(self.object_list):
                self.__dict__["count"] = Paginator.count.func(self)  # counted under the same plan
        if len(rows) <= self.per_page:
            if not rows and (number > 1 or not self.allow_empty_first_page):
                raise EmptyPage(self.error_messages["no_results"])
            # The last page: every row is before its end. (``count`` is a cached property.)
            self.__dict__["count"] = bottom + len(rows)
        return self._get_page(rows[: self.per_page], number, self)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


class EstimatedCountPaginator(Paginator):
    """For admin lists of big tables: the unfiltered list's total is PostgreSQL's estimate.

    Counting every row of a table of a million items takes longer than showing a page of it,
    and the admin counts on every request. When the list is not filtered and the planner's
    estimate of the table's rows (``pg_class.reltuples``, kept by autovacuum's ANALYZE) is at
    least ``ESTIMATE_FROM``, the total is that estimate (the admin's "N items" is then about
    right; the last page number too). A filtered list, a smaller table or another database is
    counted exactly.
    """

    ESTIMATE_FROM = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where and not queryset.query.distinct:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                table = queryset.model._meta.db_table
                with connection.cursor() as cursor:  # one query: the estimate, or the count when it is small
                    cursor.execute(
                        "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
                        f"ELSE (SELECT COUNT(*) FROM {connection.ops.quote_name(table)}) END "
                        "FROM pg_class WHERE oid = to_regclass(%s)",
                        [self.ESTIMATE_FROM, connection.ops.quote_name(table)],
                    )
                    row = cursor.fetchone()
                if row is not None:
                    return int(row[0])
        return super().count
