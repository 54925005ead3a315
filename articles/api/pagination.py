from rest_framework import pagination

from ..paging import CountWhenNeededPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` as before; the total is counted only when there is a next page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CountWhenNeededPaginator
