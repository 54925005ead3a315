from collections.abc import Mapping

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..validators import control_character_in

from .. import selectors
from ..models import (
    NOTE_MAX_LENGTH,
    Article,
    ChecklistItem,
    ItemKind,
    ItemState,
    ItemTier,
    Note,
    NotificationChannel,
    NotificationEvent,
    SourceDocument,
    Story,
    WebhookEvent,
    WebhookSubscription,
)
from ..services import UpsertOutcome
from .parsers import PayloadTooLarge


class StrictCharField(serializers.CharField):
    """Text only: a number or a boolean is refused, not turned into its digits."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class NullMeansAbsent:
    """For request bodies: an optional field sent as ``null`` counts as not given, as many CMSs
    send every field (in a partial update every field is optional). The fields named in
    ``null_is_a_value`` keep their null: it means something there (``"assignee": null``
    unassigns). Optional fields are declared ``allow_null`` so that the schema says so."""

    null_is_a_value: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            data = {name: value for name, value in data.items() if value is not None or not self._null_means_absent(name)}
        return super().to_internal_value(data)

    def _null_means_absent(self, name: str) -> bool:
        field = self.fields.get(name)
        return field is not None and (self.partial or not field.required) and name not in self.null_is_a_value


class ArticleUpsertSerializer(NullMeansAbsent, serializers.Serializer):
    """The optional fields accept ``null`` as "not given", as many CMSs send them."""

    source = StrictCharField(max_length=100)
    external_id = StrictCharField(max_length=255)
    body = StrictCharField(trim_whitespace=False, help_text="Plain text of the article, at most 1 MB.")
    title = StrictCharField(max_length=500, required=False, allow_blank=True, allow_null=True)
    byline = StrictCharField(max_length=300, required=False, allow_blank=True, allow_null=True)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, allow_null=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_body(self, body: str) -> str:
        size = len(body.encode("utf-8", errors="replace"))
        if size > settings.ARTICLE_MAX_BYTES:
            raise PayloadTooLarge(f"The body is {size:,} bytes; the limit is {settings.ARTICLE_MAX_BYTES:,} bytes.")
        if not body.strip():
            raise serializers.ValidationError("The body is empty.")
        return body


class ArticleSerializer(serializers.ModelSerializer):
    # An article without a known address has "" here: plain text, not declared as a URI.
    url = serializers.CharField(read_only=True, help_text="The article's address; empty when unknown.")
    counts = serializers.SerializerMethodField(help_text="Number of items in each state.")
    item_total = serializers.IntegerField(read_only=True)
    item_resolved = serializers.IntegerField(read_only=True)
    required_total = serializers.IntegerField(read_only=True, help_text="Current items in the required tier.")
    required_resolved = serializers.IntegerField(read_only=True)
    ready = serializers.SerializerMethodField(
        help_text="Checklist extracted, every required item resolved and no item marked incorrect."
    )

    story = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The story the article belongs to (see /api/v1/stories/)."
    )

    class Meta:
        model = Article
        fields = [
            "id", "source", "external_id", "title", "byline", "url", "published_at", "revision", "story",
            "checklist_status", "checklist_due_at", "ready", "item_total", "item_resolved", "required_total",
            "required_resolved", "counts", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def get_counts(self, article) -> dict[str, int]:
        return {state: getattr(article, f"items_{state}", 0) for state in ItemState.values}

    def get_ready(self, article) -> bool:
        return selectors.is_ready(article)


class ArticleUpsertResultSerializer(ArticleSerializer):
    outcome = serializers.ChoiceField(
        choices=[UpsertOutcome.CREATED, UpsertOutcome.UPDATED, UpsertOutcome.UNCHANGED], read_only=True,
        help_text="new, updated (a new revision or new metadata) or unchanged.",
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "outcome"]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    editor = serializers.SerializerMethodField(
        help_text="User name of the article's editor (told of incorrect items and readiness); null when none."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "editor", "body"]
        read_only_fields = fields

    def get_editor(self, article) -> str | None:
        editor = selectors.article_editor(article)
        return editor.get_username() if editor else None


class RelatedClaimSerializer(serializers.Serializer):
    """A claim in another article that is the same claim as this item, or a variant of it."""

    article = serializers.IntegerField(source="other.article_id")
    article_title = serializers.CharField(source="other.article.title")
    item = serializers.IntegerField(source="other.id")
    text = serializers.CharField(source="other.text")
    relation = serializers.ChoiceField(
        choices=["same", "variant"],
        help_text="same: the same words (up to punctuation, case and white space; for a quote, the same "
        "speaker; for a figure, the same value); variant: some words or the value changed.",
    )
    state = serializers.CharField(source="other.state")
    verdict_by = serializers.SerializerMethodField(help_text="Who reached the verdict; null without one.")
    verdict_at = serializers.SerializerMethodField(help_text="When; null without a verdict.")
    sources = serializers.IntegerField(source="other_sources", help_text="How many of its notes name a source.")
    can_adopt = serializers.SerializerMethodField(
        help_text="Whether its verdict can be adopted (POST /items/{id}/adopt/): only the same claim's."
    )

    def get_verdict_by(self, link) -> str | None:
        if link.other.state not in selectors.VERDICTS or link.other.state_changed_by is None:
            return None
        return link.other.state_changed_by.get_username()

    def get_verdict_at(self, link) -> str | None:
        if link.other.state not in selectors.VERDICTS or link.other.state_changed_at is None:
            return None
        return serializers.DateTimeField().to_representation(link.other.state_changed_at)

    def get_can_adopt(self, link) -> bool:
        return selectors.can_adopt(link)


class EvidenceSerializer(serializers.Serializer):
    """A passage of one of the article's sources that supports the claim, or nearly does."""

    source = serializers.IntegerField(source="source_id")
    source_title = serializers.CharField(source="source.title")
    start = serializers.IntegerField(help_text="Offset of the passage in the source's text (Unicode code points).")
    end = serializers.IntegerField()
    passage = serializers.CharField()
    match = serializers.ChoiceField(choices=["exact", "variant"])
    differences = serializers.ListField(
        child=serializers.DictField(), help_text='For a variant: {"claim": words here, "source": words there} pairs.'
    )


class ItemSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="User name; null when unassigned."
    )
    related = serializers.SerializerMethodField(
        help_text="The same claim, or variants of it, in other articles of the desk, with their verdicts."
    )
    evidence = serializers.SerializerMethodField(
        help_text="Passages of the article's sources that support the claim (exact) or nearly (variant), best first."
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id", "article", "kind", "text", "start", "end", "sentence", "speaker", "value", "guidance",
            "priority", "tier", "tier_pinned", "state", "assignee", "due_at", "origin", "anchor", "anchored_revision", "previous_text",
            "version", "related", "evidence_match", "evidence", "created_at", "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "start": {"help_text": "Offset of the claim's first character in the article body, in Unicode code "
                      "points (a JavaScript string counts UTF-16 units: convert after characters such as emoji)."},
            "end": {"help_text": "Offset just past the claim's last character, in Unicode code points."},
        }


    @extend_schema_field(RelatedClaimSerializer(many=True))
    def get_related(self, item):
        return RelatedClaimSerializer(selectors.related_of(item), many=True).data

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, item):
        return EvidenceSerializer(selectors.passages_of(item), many=True).data


class AdoptSerializer(NullMeansAbsent, serializers.Serializer):
    """``{"from": <item id>}``: ``from`` is a Python keyword, so the field is added by name."""

    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="The version you read; a stale one gets 409 with the current item.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.IntegerField(
            min_value=1, max_value=2**63 - 1, help_text="The related item (the same claim) whose verdict to adopt."
        )
        return fields


class VerifyFromSourceSerializer(NullMeansAbsent, serializers.Serializer):
    source = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A source holding an exact match.")
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="The version you read; a stale one gets 409 with the current item.",
    )


class SourceSerializer(serializers.ModelSerializer):
    added_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # A pasted text or a file has "" here: plain text, not declared as a URI.
    url = serializers.CharField(read_only=True, help_text="The page the source was fetched from; empty otherwise.")

    class Meta:
        model = SourceDocument
        fields = [
            "id", "article", "title", "kind", "url", "filename", "format", "pages", "revision", "status", "error",
            "added_by", "created_at", "updated_at",
        ]
        read_only_fields = fields


class SourceAddSerializer(NullMeansAbsent, serializers.Serializer):
    """JSON with ``title`` and ``text`` or ``url``; or a multipart form with ``title`` and ``file``."""

    title = StrictCharField(max_length=300)
    text = StrictCharField(required=False, allow_null=True, trim_whitespace=False, help_text="Pasted text.")
    url = serializers.URLField(required=False, allow_null=True, max_length=1000, help_text="A public web page.")
    file = serializers.FileField(required=False, allow_null=True, help_text="Text, HTML, PDF or DOCX (multipart).")

    def validate(self, data):
        given = [name for name in ("text", "url", "file") if data.get(name) not in (None, "")]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of text, url or file.")
        return data


class StoryArticleSerializer(serializers.ModelSerializer):
    ready = serializers.BooleanField(source="is_ready", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "source", "external_id", "url", "ready"]
        read_only_fields = fields


class StorySerializer(serializers.ModelSerializer):
    articles = serializers.SerializerMethodField()
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Story
        fields = ["id", "name", "article_count", "articles", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(StoryArticleSerializer(many=True))
    def get_articles(self, story):
        articles = getattr(story, "listed_articles", None)
        if articles is None:
            articles = selectors.story_articles(story)
        return StoryArticleSerializer(articles, many=True).data


class StoryRenameSerializer(serializers.Serializer):
    name = StrictCharField(max_length=300)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ItemSerializer(help_text="The item as it is now.")


ASSIGNEE_HELP = "The username of an active checker or editor"


class AssigneeField(serializers.SlugRelatedField):
    """An active checker or editor, by user name: text only, looked up only when it could be one."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=selectors.active_users(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or control_character_in(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class ItemUpdateSerializer(NullMeansAbsent, serializers.Serializer):
    null_is_a_value = ("assignee", "due_at")

    state = serializers.ChoiceField(choices=ItemState.choices, required=False, allow_null=True)
    tier = serializers.ChoiceField(
        choices=ItemTier.choices, required=False, allow_null=True,
        help_text="Editors only: move the item between required and recommended; needs a note.",
    )
    assignee = AssigneeField(required=False, allow_null=True, help_text=f"{ASSIGNEE_HELP}; null unassigns.")
    due_at = serializers.DateTimeField(required=False, allow_null=True, help_text="null clears the due time.")
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="The version you read; a stale one gets 409 with the current item.",
    )
    note = StrictCharField(
        required=False, allow_blank=True, allow_null=True, max_length=NOTE_MAX_LENGTH,
        help_text="Why; required for a tier move and for verdicts other than verified.",
    )
    source = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=1000)

    def validate(self, data):
        if not {"state", "tier", "assignee", "due_at"} & set(data):
            raise serializers.ValidationError("Give at least one of state, tier, assignee, due_at.")
        return data


class AssignOpenItemsSerializer(NullMeansAbsent, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices, help_text="Assign every open item of this kind.")
    assignee = AssigneeField(help_text=f"{ASSIGNEE_HELP}.")
    due_at = serializers.DateTimeField(required=False, allow_null=True)


class AssignItemsSerializer(NullMeansAbsent, serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=500,
        help_text="Item ids.",
    )
    assignee = AssigneeField(allow_null=True, help_text=f"{ASSIGNEE_HELP}; null unassigns.")
    due_at = serializers.DateTimeField(required=False, allow_null=True)


class ManualItemSerializer(NullMeansAbsent, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    start = serializers.IntegerField(min_value=0, help_text="Offset in Unicode code points into the article body.")
    end = serializers.IntegerField(min_value=1, help_text="Offset just past the claim, in Unicode code points.")
    guidance = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=2000)
    speaker = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=200)


class NoteAddSerializer(NullMeansAbsent, serializers.Serializer):
    body = StrictCharField(max_length=NOTE_MAX_LENGTH)
    source = StrictCharField(
        required=False, allow_blank=True, allow_null=True, max_length=1000,
        help_text="Where the check was made: a URL, a document, a person contacted.",
    )


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="User name; null once the user is deleted."
    )

    class Meta:
        model = Note
        fields = ["id", "item", "author", "body", "source", "created_at"]
        read_only_fields = fields


class BlockingItemSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="User name; null when unassigned."
    )

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
    blocking_count = serializers.IntegerField(
        help_text="How many items block publication: required and not resolved yet, or marked incorrect in "
        "either tier."
    )
    blocking = BlockingItemSerializer(
        many=True,
        help_text="The first 50 blocking items, in text order. When there are more, `blocking_next` pages "
        "through the rest.",
    )
    blocking_next = serializers.URLField(
        allow_null=True,
        help_text="When `blocking` does not hold them all: the next page of blocking items (the article's "
        "item list with `blocking=true`, 50 a page; it pages on with `next`). Null otherwise.",
    )


class WebhookSubscribeSerializer(NullMeansAbsent, serializers.Serializer):
    url = serializers.URLField(max_length=1000, help_text="http(s) address that receives signed POST requests.")
    events = serializers.MultipleChoiceField(choices=WebhookEvent.choices)
    description = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=200)
    is_active = serializers.BooleanField(required=False, allow_null=True)


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as it is read; its signing secret is never shown here."""

    events = serializers.MultipleChoiceField(choices=WebhookEvent.choices, read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "description", "is_active", "created_at"]
        read_only_fields = fields

    def to_representation(self, subscription):
        data = super().to_representation(subscription)
        data["events"] = sorted(data["events"])
        return data


class WebhookSubscriptionWithSecretSerializer(WebhookSubscriptionSerializer):
    """The answer to creating a subscription or rotating its secret: the only times the secret is shown."""

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields
        extra_kwargs = {"secret": {"help_text": "Standard Webhooks signing secret (whsec_...); shown only this once."}}


class ArticleEditorSerializer(serializers.Serializer):
    editor = serializers.SlugRelatedField(
        slug_field="username", queryset=selectors.article_editors(), allow_null=True,
        help_text="The user name of an active editor; null: no editor.",
    )

    def to_internal_value(self, data):
        editor = data.get("editor") if isinstance(data, Mapping) else None
        if editor is not None and (not isinstance(editor, str) or control_character_in(editor)):
            raise serializers.ValidationError({"editor": ["Give an editor's user name, or null."]})
        return super().to_internal_value(data)


def _event_switches(channel: str) -> serializers.Serializer:
    fields = {
        event: serializers.BooleanField(required=False, help_text=label) for event, label in NotificationEvent.choices
    }
    return type(f"{channel.title()}Switches", (serializers.Serializer,), fields)(required=False)


class NotificationSettingsSerializer(serializers.Serializer):
    """One person's notifications: each event on (true) or off (false) per channel, and the chat
    address. Events and channels left out keep their setting."""

    chat_webhook_url = serializers.URLField(
        max_length=1000, required=False, allow_blank=True,
        help_text="A Slack-compatible incoming webhook address; empty for no chat messages.",
    )
    email = _event_switches(NotificationChannel.EMAIL)
    chat = _event_switches(NotificationChannel.CHAT)

    def to_representation(self, preferences):
        return {
            "chat_webhook_url": preferences.chat_webhook_url,
            **{
                channel: {event: preferences.wants(channel, event) for event in NotificationEvent.values}
                for channel in NotificationChannel.values
            },
        }
