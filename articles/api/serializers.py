from django.conf import settings
from rest_framework import serializers

from .. import selectors
from ..models import (
    NOTE_MAX_LENGTH,
    Article,
    ChecklistItem,
    ItemKind,
    ItemState,
    ItemTier,
    Note,
    WebhookEvent,
    WebhookSubscription,
)
from .parsers import PayloadTooLarge


class StrictCharField(serializers.CharField):
    """Text only: a number or a boolean is refused, not turned into its digits."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ArticleUpsertSerializer(serializers.Serializer):
    """The optional fields accept ``null`` as "not given", as many CMSs send them."""

    OPTIONAL_TEXT = ("title", "byline", "url")

    source = StrictCharField(max_length=100)
    external_id = StrictCharField(max_length=255)
    body = StrictCharField(trim_whitespace=False, help_text="Plain text of the article, at most 1 MB.")
    title = StrictCharField(max_length=500, required=False, allow_blank=True, allow_null=True)
    byline = StrictCharField(max_length=300, required=False, allow_blank=True, allow_null=True)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, allow_null=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, data):
        return {name: value for name, value in data.items() if not (name in self.OPTIONAL_TEXT and value is None)}

    def validate_body(self, body: str) -> str:
        size = len(body.encode("utf-8", errors="replace"))
        if size > settings.ARTICLE_MAX_BYTES:
            raise PayloadTooLarge(f"The body is {size:,} bytes; the limit is {settings.ARTICLE_MAX_BYTES:,} bytes.")
        if not body.strip():
            raise serializers.ValidationError("The body is empty.")
        return body


class ArticleSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField(help_text="Number of items in each state.")
    item_total = serializers.IntegerField(read_only=True)
    item_resolved = serializers.IntegerField(read_only=True)
    required_total = serializers.IntegerField(read_only=True, help_text="Current items in the required tier.")
    required_resolved = serializers.IntegerField(read_only=True)
    ready = serializers.SerializerMethodField(
        help_text="Checklist extracted, every required item resolved and no item marked incorrect."
    )

    class Meta:
        model = Article
        fields = [
            "id", "source", "external_id", "title", "byline", "url", "published_at", "revision",
            "checklist_status", "ready", "item_total", "item_resolved", "required_total", "required_resolved",
            "counts", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def get_counts(self, article) -> dict[str, int]:
        return {state: getattr(article, f"items_{state}", 0) for state in ItemState.values}

    def get_ready(self, article) -> bool:
        return selectors.is_ready(article)


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id", "article", "kind", "text", "start", "end", "sentence", "speaker", "value", "guidance",
            "priority", "tier", "tier_pinned", "state", "assignee", "due_at", "origin", "anchor", "anchored_revision", "previous_text",
            "version", "created_at", "updated_at",
        ]
        read_only_fields = fields


ASSIGNEE_HELP = "The username of an active checker or editor"


class ItemUpdateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ItemState.choices, required=False)
    tier = serializers.ChoiceField(
        choices=ItemTier.choices, required=False,
        help_text="Editors only: move the item between required and recommended; needs a note.",
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=selectors.active_users(), required=False,
        allow_null=True, help_text=f"{ASSIGNEE_HELP}; null unassigns.",
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read; a stale one gets 409 with the current item."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH,
        help_text="Why; required for a tier move and for verdicts other than verified.",
    )
    source = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def validate(self, data):
        if not {"state", "tier", "assignee", "due_at"} & set(data):
            raise serializers.ValidationError("Give at least one of state, tier, assignee, due_at.")
        return data


class AssignOpenItemsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices, help_text="Assign every open item of this kind.")
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=selectors.active_users(), help_text=f"{ASSIGNEE_HELP}."
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True)


class AssignItemsSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=500,
        help_text="Item ids.",
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=selectors.active_users(), allow_null=True,
        help_text=f"{ASSIGNEE_HELP}; null unassigns.",
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True)


class ManualItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    guidance = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    speaker = serializers.CharField(required=False, allow_blank=True, max_length=200)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    body = serializers.CharField(max_length=NOTE_MAX_LENGTH)

    class Meta:
        model = Note
        fields = ["id", "item", "author", "body", "source", "created_at"]
        read_only_fields = ["id", "item", "author", "created_at"]


class BlockingItemSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "kind", "tier", "text", "state", "assignee", "due_at"]


class ReadinessSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    reason = serializers.CharField()
    checklist_status = serializers.CharField()
    total = serializers.IntegerField()
    resolved = serializers.IntegerField()
    required_total = serializers.IntegerField()
    required_resolved = serializers.IntegerField()
    recommended_open = serializers.IntegerField(help_text="Recommended items still open; they do not block.")
    counts = serializers.DictField(child=serializers.IntegerField())
    blocking = BlockingItemSerializer(
        many=True, help_text="Required items not resolved yet, and items of either tier marked incorrect."
    )


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.MultipleChoiceField(choices=WebhookEvent.choices)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "description", "is_active", "secret", "created_at"]
        read_only_fields = ["id", "secret", "created_at"]

    def to_representation(self, subscription):
        data = super().to_representation(subscription)
        data["events"] = sorted(data["events"])
        return data
