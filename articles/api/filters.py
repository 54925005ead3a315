import datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from .. import selectors
from ..models import Article, ChecklistItem, ChecklistStatus, ItemAnchor, ItemKind, ItemState, ItemTier
from ..search import search_articles


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC so that any offset the parser admits reaches the database as one it accepts."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return moment
        try:
            return moment.astimezone(datetime.timezone.utc)
        except OverflowError:
            raise forms.ValidationError("This moment is out of range.", code="invalid") from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (``1`` or ``0``); anything else is refused, not read as "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError("Use true or false.", code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ArticleFilter(django_filters.FilterSet):
    source = django_filters.CharFilter()
    checklist_status = django_filters.ChoiceFilter(choices=ChecklistStatus.choices)
    ready = StrictBooleanFilter(method="filter_ready", label="Ready to publish")
    updated_since = UTCDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(
        method="filter_words", max_length=200,
        label="Words in the title, byline or text (full-text search: stemmed English words, all required; "
        '"a phrase", -word, or)',
    )

    class Meta:
        model = Article
        fields = ["source", "checklist_status", "ready", "updated_since", "q"]

    def filter_ready(self, queryset, name, value):
        return queryset.filter(selectors.READY) if value else queryset.exclude(selectors.READY)

    def filter_words(self, queryset, name, value):
        return search_articles(queryset, value)


class ItemFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices)
    state = django_filters.ChoiceFilter(choices=ItemState.choices)
    tier = django_filters.ChoiceFilter(choices=ItemTier.choices)
    assignee = django_filters.CharFilter(field_name="assignee__username", label="Assignee's user name")
    anchor = django_filters.ChoiceFilter(
        choices=ItemAnchor.choices, label="found, changed (words edited in a new revision) or removed"
    )
    evidence = django_filters.ChoiceFilter(
        field_name="evidence_match",
        choices=[("exact", "exact"), ("variant", "variant"), ("not_found", "not_found")],
        label="The claim's best match in the article's sources: exact, variant, or not_found (in no source)",
    )
    blocking = StrictBooleanFilter(
        method="filter_blocking",
        label="true: only the items that block publication (current, and required and unresolved, or "
        "incorrect); false: the others",
    )

    class Meta:
        model = ChecklistItem
        fields = ["kind", "state", "tier", "assignee", "anchor", "evidence", "blocking"]

    def filter_blocking(self, queryset, name, value):
        return queryset.filter(selectors.BLOCKING) if value else queryset.exclude(selectors.BLOCKING)
