import dataclasses
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import selectors
from ..claimreview import NoVerdict, article_claim_reviews, item_claim_review
from ..models import (
    Article,
    ChecklistItem,
    ItemAnchor,
    ItemKind,
    ItemState,
    ItemTier,
    Note,
    NotificationChannel,
    SourceDocument,
    WebhookSubscription,
)
from ..services import UpsertOutcome, article_upsert
from ..services.articles import article_set_editor
from ..services.notifications import notification_settings_of, notification_settings_update
from ..services.items import article_assign_open_items, item_add_manual, item_update, items_assign, note_add
from ..services.evidence import item_verify_from_source, source_add, source_delete, uploaded_bytes
from ..services.stories import item_adopt_verdict, story_rename
from ..services.webhooks import webhook_rotate_secret, webhook_subscribe
from .filters import ArticleFilter, ItemFilter
from .parsers import SizeLimitedJSONParser
from .permissions import HasRolePermissions
from .serializers import (
    ArticleDetailSerializer,
    ArticleEditorSerializer,
    ArticleSerializer,
    ArticleUpsertResultSerializer,
    ArticleUpsertSerializer,
    AssignItemsSerializer,
    AdoptSerializer,
    AssignOpenItemsSerializer,
    ConflictSerializer,
    ItemSerializer,
    ItemUpdateSerializer,
    ManualItemSerializer,
    NoteAddSerializer,
    NoteSerializer,
    NotificationSettingsSerializer,
    ReadinessSerializer,
    SourceAddSerializer,
    SourceSerializer,
    StoryRenameSerializer,
    StorySerializer,
    VerifyFromSourceSerializer,
    WebhookSubscribeSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionWithSecretSerializer,
)

READ_ARTICLES = ["view_article"]
READ_ITEMS = ["view_article", "view_checklistitem"]


@extend_schema_view(
    list=extend_schema(
        summary="List articles with checklist progress",
        description="Most recently updated first. `q` searches the title, byline and text (English full-text "
        "search: every word must be there, in any form — \"councils\" finds \"council\"; `\"a phrase\"`, "
        "`-word` and `or` work as in a web search engine; on a database other than PostgreSQL, the title and "
        "byline are searched for the words as typed). Paginated (`page`, `page_size`); `count` is exact.",
    ),
    retrieve=extend_schema(summary="One article with its body, checklist status and counts by state"),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRolePermissions]
    required_permissions = {
        "list": READ_ARTICLES,
        "retrieve": READ_ARTICLES,
        "create": ["add_article", "change_article"],
        "items": READ_ITEMS,
        "add_item": ["add_checklistitem"],
        "readiness": READ_ITEMS,
        "assign_open_items": [*READ_ITEMS, "assign_item"],
        "claimreview": READ_ITEMS,
        "sources": [*READ_ARTICLES, "view_sourcedocument"],
        "add_source": [*READ_ARTICLES, "add_sourcedocument"],
        "set_editor": [*READ_ARTICLES, "assign_item"],
    }
    filterset_class = ArticleFilter

    def get_queryset(self):
        if self.action in ("retrieve", "create"):
            return selectors.articles_with_progress()
        if self.action == "list":
            # The kept progress columns, never the text: a page is read from the filter's index.
            return selectors.article_list()
        if self.action == "readiness":
            return Article.objects.only(*selectors.READINESS_FIELDS)
        # The actions on an article's items need only the article itself, not its counts or text.
        return Article.objects.only("pk", "revision", "checklist_status")

    def article_id(self) -> int:
        """The article id in the address, without reading the article (404 when it cannot be one)."""
        try:
            article_id = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except (TypeError, ValueError):
            raise NotFound() from None
        if not 0 < article_id < 2**63:
            raise NotFound()
        return article_id

    def article_must_exist(self, article_id: int) -> None:
        if not Article.objects.filter(pk=article_id).exists():
            raise NotFound()

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    @extend_schema(
        summary="Create or update an article by (source, external_id)",
        request=ArticleUpsertSerializer,
        responses={201: ArticleUpsertResultSerializer, 200: ArticleUpsertResultSerializer,
                   202: ArticleUpsertResultSerializer},
        description="201 when new; 200 when it exists (an unchanged body changes nothing; a changed body becomes "
        "a new revision and its checklist is extracted again, keeping editors' work). 202 instead of either when "
        "the article is saved but its extraction could not be queued yet (the task broker is unreachable): it "
        "stays `pending` and is queued as soon as the broker is back.",
    )
    def create(self, request):
        upsert = ArticleUpsertSerializer(data=request.data)
        upsert.is_valid(raise_exception=True)
        result = article_upsert(**upsert.validated_data)
        article = self.get_queryset().get(pk=result.article.pk)
        if article.extraction_waiting_for_broker:
            answer = status.HTTP_202_ACCEPTED
        elif result.outcome == UpsertOutcome.CREATED:
            answer = status.HTTP_201_CREATED
        else:
            answer = status.HTTP_200_OK
        article.outcome = result.outcome
        return Response(ArticleUpsertResultSerializer(article).data, status=answer)

    @extend_schema(
        summary="The article's checklist, in text order",
        responses=ItemSerializer(many=True),
        parameters=[
            OpenApiParameter("kind", enum=ItemKind.values),
            OpenApiParameter("state", enum=ItemState.values),
            OpenApiParameter("tier", enum=ItemTier.values),
            OpenApiParameter("assignee", str, description="Assignee's user name"),
            OpenApiParameter(
                "anchor", enum=ItemAnchor.values,
                description="found, changed (words edited in a new revision) or removed",
            ),
            OpenApiParameter(
                "blocking", bool,
                description="true: only the items that block publication (current, and required and unresolved, "
                "or marked incorrect), as readiness lists them; false: the others",
            ),
        ],
        description="Paginated (`page`, `page_size`, at most 500). `count` is exact; it costs a count only "
        "when there is a next page.",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def items(self, request, pk=None):
        # The page itself shows that the article exists; it is looked up only when the page is empty.
        article_id = self.article_id()
        items = ItemFilter(
            request.query_params,
            queryset=ChecklistItem.objects.filter(article_id=article_id)
            .select_related("assignee")
            .order_by(*selectors.TEXT_ORDER),
        )
        if not items.is_valid():
            self.article_must_exist(article_id)
            raise ValidationError(items.errors)
        page = self.paginate_queryset(items.qs)
        if not page:
            self.article_must_exist(article_id)
        selectors.attach_desk(page)
        return self.get_paginated_response(ItemSerializer(page, many=True).data)

    @extend_schema(summary="Add a claim the engine missed", request=ManualItemSerializer, responses={201: ItemSerializer})
    @items.mapping.post
    def add_item(self, request, pk=None):
        article = self.get_object()
        manual = ManualItemSerializer(data=request.data)
        manual.is_valid(raise_exception=True)
        item = item_add_manual(article_id=article.pk, by=request.user, **manual.validated_data)
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Assign every open item of one kind in the article",
        request=AssignOpenItemsSerializer,
        responses={200: ItemSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="assign", filter_backends=[], pagination_class=None)
    def assign_open_items(self, request, pk=None):
        article = self.get_object()
        incoming = AssignOpenItemsSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        items = article_assign_open_items(article_id=article.pk, by=request.user, **incoming.validated_data)
        return Response(ItemSerializer(items, many=True).data)

    @extend_schema(
        summary="Name the article's editor (editors)",
        request=ArticleEditorSerializer,
        responses={200: ArticleDetailSerializer},
        description="The editor is told, by the channels they chose, when an item of the article is marked "
        "incorrect and when it becomes ready to publish. Without one, the first editor to assign its items "
        "becomes its editor.",
    )
    @action(detail=True, methods=["post"], url_path="editor", filter_backends=[])
    def set_editor(self, request, pk=None):
        article = self.get_object()
        incoming = ArticleEditorSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        article_set_editor(article_id=article.pk, editor=incoming.validated_data["editor"], by=request.user)
        return Response(ArticleDetailSerializer(selectors.articles_with_progress().get(pk=article.pk)).data)

    @extend_schema(
        summary="Whether the article can be published, and what blocks it",
        responses=ReadinessSerializer,
        description="Counts by state and tier, and the first 50 blocking items in text order with their number "
        "(`blocking_count`); `blocking_next`, when not null, pages through the rest.",
    )
    @action(detail=True, methods=["get"])
    def readiness(self, request, pk=None):
        article = self.get_object()
        readiness = selectors.readiness_with_blocking(article)
        if readiness.blocking_count > len(readiness.blocking):
            query = urlencode({"blocking": "true", "page": 2, "page_size": selectors.BLOCKING_SHOWN})
            items = reverse("article-items", args=[article.pk], request=request)
            readiness = dataclasses.replace(readiness, blocking_next=f"{items}?{query}")
        return Response(ReadinessSerializer(readiness).data)

    @extend_schema(summary="The article's source documents", responses=SourceSerializer(many=True))
    @action(
        detail=True, methods=["get"], filter_backends=[], pagination_class=None,
        parser_classes=[SizeLimitedJSONParser, MultiPartParser],  # a file comes as a multipart form
    )
    def sources(self, request, pk=None):
        article_id = self.article_id()
        self.article_must_exist(article_id)
        sources = SourceDocument.objects.filter(article_id=article_id).select_related("added_by").order_by("created_at", "pk")
        return Response(SourceSerializer(sources, many=True).data)

    @extend_schema(
        summary="Attach a source document: pasted text, a web page, or a file",
        request={"application/json": SourceAddSerializer, "multipart/form-data": SourceAddSerializer},
        responses={201: SourceSerializer, 200: SourceSerializer},
        description="JSON `{\"title\", \"text\"}` or `{\"title\", \"url\"}`, or a multipart form with `title` and "
        "`file` (text, HTML, PDF or DOCX, at most `FACTCHECK_SOURCE_MAX_BYTES`). A worker reads it (`status` "
        "`pending`, then `ready` or `failed` with an `error`) and matches the article's claims against it. The "
        "same title again: 200 and a new version when the content changed, unchanged otherwise.",
    )
    @sources.mapping.post
    def add_source(self, request, pk=None):
        article_id = self.article_id()
        self.article_must_exist(article_id)
        incoming = SourceAddSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        upload = data.get("file")
        added = source_add(
            article_id=article_id, title=data["title"], by=request.user, text=data.get("text"), url=data.get("url"),
            data=uploaded_bytes(upload) if upload else None,
            filename=upload.name if upload else "", content_type=getattr(upload, "content_type", "") or "",
        )
        source = SourceDocument.objects.select_related("added_by").get(pk=added.source.pk)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED if added.created else status.HTTP_200_OK)

    @extend_schema(
        summary="schema.org ClaimReview JSON-LD for every item of the article with a verdict",
        responses={200: OpenApiResponse(description="A JSON-LD list of ClaimReview objects.")},
        description="Items verified, found incorrect or unverifiable, in text order; an empty list when none is.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def claimreview(self, request, pk=None):
        article = get_object_or_404(Article.objects.only("pk", "url", "title", "published_at"), pk=self.article_id())
        return Response(article_claim_reviews(article, request=request))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(retrieve=extend_schema(summary="One checklist item"))
class ItemViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRolePermissions]
    required_permissions = {
        "retrieve": READ_ITEMS,
        "partial_update": READ_ITEMS,
        "notes": [*READ_ITEMS, "view_note"],
        "add_note": [*READ_ITEMS, "add_note"],
        "assign": READ_ITEMS,
        "claimreview": READ_ITEMS,
        "adopt": READ_ITEMS,
        "verify_from_source": READ_ITEMS,
    }
    serializer_class = ItemSerializer
    queryset = ChecklistItem.objects.select_related("assignee")

    @extend_schema(
        summary="Change an item's state, tier, assignee or due time",
        request=ItemUpdateSerializer,
        responses={
            200: ItemSerializer,
            409: OpenApiResponse(ConflictSerializer, description="The version sent is stale: the item as it is now."),
        },
        description="Send `version` (the one you read) to guard against concurrent edits: when it is stale the "
        "answer is 409 with the current item. Verdicts other than `verified` need a `note` saying why. "
        "`assignee` is a username; only active checkers and editors can be assigned. Editors move an item "
        "between `required` and `recommended` with `tier` and a `note`.",
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        update = ItemUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        data = dict(update.validated_data)
        item = item_update(item_id=item.pk, by=request.user, expected_version=data.pop("version", None), **data)
        return Response(ItemSerializer(item).data)

    @extend_schema(
        summary="Assign (or unassign) many items at once: all or none",
        request=AssignItemsSerializer,
        responses={200: ItemSerializer(many=True)},
        description="Checkers may only assign unassigned items to themselves; editors may assign anything.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def assign(self, request):
        incoming = AssignItemsSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        wanted = list(dict.fromkeys(data["items"]))
        found = set(self.get_queryset().filter(pk__in=wanted).values_list("pk", flat=True))
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            raise ValidationError({"items": [f"No such item: {', '.join(map(str, missing))}."]})
        items = items_assign(item_ids=wanted, assignee=data["assignee"], by=request.user, due_at=data.get("due_at"))
        return Response(ItemSerializer(items, many=True).data)

    @extend_schema(
        summary="schema.org ClaimReview JSON-LD for the item's verdict",
        responses={
            200: OpenApiResponse(description="A ClaimReview object (JSON-LD)."),
            409: OpenApiResponse(description="The item has no verdict yet (or is not a claim)."),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def claimreview(self, request, pk=None):
        item = generics.get_object_or_404(ChecklistItem.objects.select_related("article", "state_changed_by"), pk=pk)
        try:
            review = item_claim_review(item, request=request)
        except NoVerdict as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return Response(review)

    @extend_schema(
        summary="Adopt the verdict a colleague reached on the same claim in another article",
        request=AdoptSerializer,
        responses={
            200: ItemSerializer,
            409: OpenApiResponse(ConflictSerializer, description="The version sent is stale: the item as it is now."),
        },
        description="`from` is one of the item's `related` items with `relation` `same` and a verdict. The item "
        "gets the same state and a note that names the original and carries its sources; the history records "
        "the adoption. A variant's verdict cannot be adopted (400): its wording differs.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def adopt(self, request, pk=None):
        item = self.get_object()
        incoming = AdoptSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        item = item_adopt_verdict(
            item_id=item.pk, from_item_id=data["from"], by=request.user, expected_version=data.get("version")
        )
        return Response(ItemSerializer(item).data)

    @extend_schema(
        summary="Verify the item from a source that says it word for word",
        request=VerifyFromSourceSerializer,
        responses={200: ItemSerializer, 409: OpenApiResponse(ConflictSerializer, description="Stale version.")},
        description="Refused (400) unless the source holds an `exact` match for the item. The note quotes the "
        "passage and cites the source, its version and the passage's place; the history records it.",
    )
    @action(detail=True, methods=["post"], url_path="verify-from-source", filter_backends=[])
    def verify_from_source(self, request, pk=None):
        item = self.get_object()
        incoming = VerifyFromSourceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        item = item_verify_from_source(
            item_id=item.pk, source_id=data["source"], by=request.user, expected_version=data.get("version")
        )
        return Response(ItemSerializer(item).data)

    @extend_schema(summary="Notes on the item", responses=NoteSerializer(many=True))
    @action(detail=True, methods=["get"])
    def notes(self, request, pk=None):
        item = self.get_object()
        page = self.paginate_queryset(Note.objects.filter(item=item).select_related("author").order_by("created_at"))
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a note, with an optional source", request=NoteAddSerializer, responses={201: NoteSerializer}
    )
    @notes.mapping.post
    def add_note(self, request, pk=None):
        item = self.get_object()
        incoming = NoteAddSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = note_add(item_id=item.pk, author=request.user, **incoming.validated_data)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Your webhook subscriptions (without their secrets)"),
    retrieve=extend_schema(summary="One webhook subscription (without its secret)"),
    update=extend_schema(
        summary="Change a webhook subscription", request=WebhookSubscribeSerializer,
        responses={200: WebhookSubscriptionSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a webhook subscription", request=WebhookSubscribeSerializer,
        responses={200: WebhookSubscriptionSerializer},
    ),
    destroy=extend_schema(summary="Delete a webhook subscription"),
)
class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    """Signed webhooks (Standard Webhooks): the secret is shown only when the subscription is
    created and when it is rotated."""

    permission_classes = [HasRolePermissions]
    required_permissions = {
        "list": ["view_webhooksubscription"],
        "retrieve": ["view_webhooksubscription"],
        "create": ["add_webhooksubscription"],
        "update": ["change_webhooksubscription"],
        "partial_update": ["change_webhooksubscription"],
        "rotate_secret": ["change_webhooksubscription"],
        "destroy": ["delete_webhooksubscription"],
    }
    serializer_class = WebhookSubscriptionSerializer

    queryset = WebhookSubscription.objects.none()

    def get_queryset(self):
        subscriptions = WebhookSubscription.objects.order_by("-created_at")
        if getattr(self, "swagger_fake_view", False) or self.request.user.is_superuser:
            return subscriptions
        return subscriptions.filter(created_by=self.request.user)

    @extend_schema(
        summary="Subscribe to events; the answer holds the signing secret, shown this once",
        request=WebhookSubscribeSerializer,
        responses={201: WebhookSubscriptionWithSecretSerializer},
    )
    def create(self, request):
        incoming = WebhookSubscribeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscription = webhook_subscribe(by=request.user, **incoming.validated_data)
        return Response(WebhookSubscriptionWithSecretSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        subscription = self.get_object()
        incoming = WebhookSubscribeSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        with transaction.atomic():
            subscription = get_object_or_404(WebhookSubscription.objects.select_for_update(), pk=subscription.pk)
            subscription = webhook_subscribe(
                url=data.get("url", subscription.url),
                events=data.get("events", subscription.events),
                by=request.user,
                description=data.get("description", subscription.description),
                is_active=data.get("is_active", subscription.is_active),
                subscription=subscription,
            )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(
        summary="Replace the signing secret; the answer holds the new one, shown this once",
        request=None,
        responses={200: WebhookSubscriptionWithSecretSerializer},
        description="Deliveries still waiting are signed with the new secret when they are sent.",
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret", filter_backends=[])
    def rotate_secret(self, request, pk=None):
        subscription = self.get_object()
        with transaction.atomic():
            subscription = get_object_or_404(WebhookSubscription.objects.select_for_update(), pk=subscription.pk)
            webhook_rotate_secret(subscription=subscription)
        return Response(WebhookSubscriptionWithSecretSerializer(subscription).data)


@extend_schema_view(
    list=extend_schema(
        summary="Stories: articles that share claims and people, grouped as they are imported",
        description="Most recently changed first, each with its articles (oldest first). Paginated.",
    ),
    retrieve=extend_schema(summary="One story with its articles"),
    partial_update=extend_schema(
        summary="Name a story (editors)", request=StoryRenameSerializer, responses={200: StorySerializer}
    ),
)
class StoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRolePermissions]
    required_permissions = {
        "list": ["view_story", *READ_ARTICLES],
        "retrieve": ["view_story", *READ_ARTICLES],
        "partial_update": ["view_story", "change_story"],
    }
    serializer_class = StorySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.story_list().prefetch_related(
            Prefetch("articles", queryset=selectors.story_articles_all(), to_attr="listed_articles")
        )

    def partial_update(self, request, pk=None):
        story = self.get_object()
        incoming = StoryRenameSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        story_rename(story=story, name=incoming.validated_data["name"], by=request.user)
        return Response(StorySerializer(self.get_queryset().get(pk=story.pk)).data)


@extend_schema_view(
    retrieve=extend_schema(summary="One source document, with the text read from it"),
    destroy=extend_schema(summary="Remove a source document (editors); the article's claims are matched again"),
)
class SourceViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRolePermissions]
    required_permissions = {
        "retrieve": [*READ_ARTICLES, "view_sourcedocument"],
        "destroy": [*READ_ARTICLES, "delete_sourcedocument"],
    }
    serializer_class = SourceSerializer
    queryset = SourceDocument.objects.select_related("added_by").defer("data")

    def retrieve(self, request, pk=None, **kwargs):
        source = self.get_object()
        return Response({**SourceSerializer(source).data, "text": source.text})

    def destroy(self, request, pk=None, **kwargs):
        source = self.get_object()
        source_delete(source_id=source.pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationSettingsView(generics.GenericAPIView):
    """The signed-in person's own notification settings."""

    permission_classes = [HasRolePermissions]
    required_permissions = {"get": READ_ARTICLES, "put": READ_ARTICLES}
    serializer_class = NotificationSettingsSerializer

    @property
    def action(self):
        """What HasRolePermissions checks: reading (GET, HEAD) or changing (PUT); None for a
        method this view does not offer, which DRF answers with 405."""
        method = self.request.method.lower() if self.request else ""
        return {"get": "get", "head": "get", "put": "put"}.get(method)

    @extend_schema(summary="What I am told, on which channel")
    def get(self, request):
        return Response(NotificationSettingsSerializer(notification_settings_of(request.user)).data)

    @extend_schema(summary="Change what I am told: events on or off per channel, and the chat address")
    def put(self, request):
        incoming = NotificationSettingsSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        switches = {
            (channel, event): on
            for channel in NotificationChannel.values
            for event, on in (data.get(channel) or {}).items()
        }
        preferences = notification_settings_update(
            user=request.user, switches=switches, chat_webhook_url=data.get("chat_webhook_url")
        )
        return Response(NotificationSettingsSerializer(preferences).data)


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI schema, for authenticated callers only, like every other API call."""

    permission_classes = [IsAuthenticated]


class ApiDocsView(SpectacularSwaggerView):
    """The interactive docs, for authenticated callers; a browser without a session is sent to sign in."""

    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
