"""The admin for newsroom staff.

Item state and assignment are read-only in forms: they change only through the actions
below, which call the same services as the API and the pages, so permissions, required
notes and the audit trail apply here too.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import PermissionDenied
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from . import selectors
from .paging import EstimatedCountPaginator
from .search import article_sources
from .models import (
    Article,
    ArticleRevision,
    ChecklistItem,
    ExtractionRun,
    Feed,
    ItemKind,
    ItemState,
    ItemTier,
    Note,
    Notification,
    NotificationSettings,
    SourceDocument,
    SourceType,
    Story,
    TierRule,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    notification_pairs,
)
from .services.items import (
    WorkflowError,
    article_assign_open_items,
    item_assign,
    item_set_state,
    item_set_tier,
    note_add,
)
from .services.evidence import source_delete
from .services.locks import articles_lock_for_items
from .services.stories import articles_move_to_story, stories_merge, story_rename
from .services.tiers import tier_policy_changed
from .outbound import UnsafeURL, check_outbound_url
from .services.webhooks import webhook_rotate_secret, webhook_subscribe


# The article's change page lists this many of its items inline; all of them are a link away.
INLINE_ITEMS = 100


class FirstItemsFormSet(BaseInlineFormSet):
    """The inline's rows: the article's first items only (an article can have thousands)."""

    def get_queryset(self):
        if not hasattr(self, "_first_items"):
            self._first_items = super().get_queryset()[:INLINE_ITEMS]
        return self._first_items


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    formset = FirstItemsFormSet
    extra = 0
    fields = ("kind", "tier", "text", "speaker", "priority", "state", "assignee", "origin", "anchor")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    ordering = selectors.TEXT_ORDER
    verbose_name_plural = f"Items (the first {INLINE_ITEMS} in text order; see “All items” above for the rest)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")

    def has_add_permission(self, request, obj=None):
        return False


class ExtractionRunInline(admin.TabularInline):
    model = ExtractionRun
    extra = 0
    can_delete = False
    fields = ("status", "started_at", "finished_at", "item_count", "extractor_version", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def action_values(request, form_class, *names) -> dict | None:
    """The extra fields of an admin action form, cleaned; None when one is invalid.

    (The whole form cannot be validated here: its ``action`` choices are filled in by the admin.)
    """
    fields = form_class().fields
    try:
        return {name: fields[name].clean(request.POST.get(name) or None) for name in names}
    except forms.ValidationError:
        return None


class ItemActionForm(ActionForm):
    assignee = forms.ModelChoiceField(
        queryset=selectors.assignable_users(), required=False, label="Assign to"
    )
    due_at = forms.DateTimeField(required=False, label="Due (YYYY-MM-DD HH:MM)")
    note = forms.CharField(required=False, label="Note (why)")


class ArticleActionForm(ActionForm):
    kind = forms.ChoiceField(choices=[("", "Kind…"), *ItemKind.choices], required=False, label="Open items of kind")
    assignee = forms.ModelChoiceField(
        queryset=selectors.assignable_users(), required=False, label="to"
    )
    due_at = forms.DateTimeField(required=False, label="Due (YYYY-MM-DD HH:MM)")


class SourceListFilter(admin.SimpleListFilter):
    """The article sources, found by one index probe each rather than by reading every article."""

    title = "source"
    parameter_name = "source__exact"

    def lookups(self, request, model_admin):
        return [(source, source) for source in article_sources()]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


class RelatedWithRowsListFilter(admin.RelatedOnlyFieldListFilter):
    """The people (or other related rows) that some row of the list points to, as Django's
    ``RelatedOnlyFieldListFilter`` offers them, found by one index probe per person instead of a
    DISTINCT over every row of the list (a million items)."""

    def field_choices(self, field, request, model_admin):
        pointed_to = Exists(model_admin.model._default_manager.filter(**{self.field_path: OuterRef("pk")}))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=Q(pointed_to), ordering=ordering)


def is_changelist(model_admin, request) -> bool:
    match = getattr(request, "resolver_match", None)
    opts = model_admin.model._meta
    return bool(match) and match.url_name == f"{opts.app_label}_{opts.model_name}_changelist"


class QuickActionCheckboxMixin:
    """Each row's action checkbox written directly, the same HTML as Django's own.

    Django renders it as a form widget through the template engine, once per row: a sixth of
    a 100-row change list's time.
    """

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME, obj.pk, label,
        )


class ListWithoutTextMixin:
    """The change list never reads the long text fields named in ``list_defer`` (the change page does)."""

    list_defer: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.list_defer and is_changelist(self, request):
            queryset = queryset.defer(*self.list_defer)
        return queryset


class WithArticleTitleMixin:
    """Lists rows of an article's things: the article is shown by its title, never its text.

    Joins the article and every other relation in ``list_select_related`` (the change list
    applies ``list_select_related`` only to a queryset that joins nothing yet), so that no row
    reads its article or assignee on its own.
    """

    def get_queryset(self, request):
        related = ["article", *(name for name in self.list_select_related or () if name != "article")]
        return super().get_queryset(request).select_related(*related).defer("article__body")


@admin.register(Article)
class ArticleAdmin(QuickActionCheckboxMixin, ListWithoutTextMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "source", "checklist_status", "progress", "is_ready", "revision", "updated_at")
    list_display_links = ("__str__",)
    # Every filter answers without reading the articles (a year of them): choices, or an index.
    list_filter = ("checklist_status", "is_ready", SourceListFilter, "updated_at")
    list_defer = ("body",)
    show_full_result_count = False
    search_fields = ("title", "external_id", "byline", "url")
    exclude = ("story",)  # moved between stories by the actions here and on the story pages
    readonly_fields = (
        "readiness",
        "story_link",
        "story_pinned",
        "all_items",
        "content_hash",
        "revision",
        "checklist_status",
        "checklist_changed_at",
        "created_at",
        "updated_at",
    )
    inlines = [ChecklistItemInline, ExtractionRunInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    action_form = ArticleActionForm
    actions = ["assign_open_items_of_kind", "move_to_new_story"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The editor is chosen among the editors, and whoever edits the article now (who may
        have stopped being an editor: the form still saves)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if "editor" in form.base_fields:
            choices = Q(pk__in=selectors.article_editors().values("pk"))
            if obj is not None and obj.editor_id:
                choices |= Q(pk=obj.editor_id)
            form.base_fields["editor"].queryset = get_user_model().objects.filter(choices).order_by("username")
        return form

    @admin.action(description="Move the selected articles to a new story")
    def move_to_new_story(self, request, queryset):
        try:
            story = articles_move_to_story(article_ids=list(queryset.values_list("pk", flat=True)), story=None, by=request.user)
        except (WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"Moved to the new story “{story}”.", messages.SUCCESS)

    @admin.action(description="Assign the open items of the chosen kind to the chosen person")
    def assign_open_items_of_kind(self, request, queryset):
        values = action_values(request, ArticleActionForm, "kind", "assignee", "due_at")
        if not values or not values["kind"] or values["assignee"] is None:
            self.message_user(request, "Choose a kind and a person (and a valid due time, if any).", messages.WARNING)
            return
        kind, assignee = values["kind"], values["assignee"]
        for article in queryset:
            try:
                assigned = article_assign_open_items(
                    article_id=article.pk, kind=kind, assignee=assignee, by=request.user, due_at=values["due_at"]
                )
            except (WorkflowError, PermissionDenied) as error:
                self.message_user(request, f"{article}: {error}", messages.ERROR)
                continue
            self.message_user(
                request, f"{article}: {len(assigned)} open {ItemKind(kind).label.lower()} item(s) assigned to "
                f"{assignee.get_username()}.", messages.SUCCESS,
            )

    @admin.display(description="Required resolved", ordering="required_resolved")
    def progress(self, article):
        by_state = ", ".join(
            f"{getattr(article, f'items_{state}')} {label.lower()}"
            for state, label in ItemState.choices
            if getattr(article, f"items_{state}", 0)
        )
        recommended = article.item_total - article.required_total
        return format_html(
            "{} / {} required<br><small>{} recommended; all items: {}</small>",
            article.required_resolved, article.required_total, recommended, by_state,
        )

    @admin.display(description="Ready to publish?")
    def readiness(self, article):
        readiness = selectors.kept_readiness(article)
        return f"{'Yes' if readiness.ready else 'No'}: {readiness.reason}"

    @admin.display(description="Story")
    def story_link(self, article):
        if not article.story_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:articles_story_change", args=[article.story_id]), article.story)

    @admin.display(description="All items")
    def all_items(self, article):
        if not article.pk:
            return "—"
        url = reverse("admin:articles_checklistitem_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}">Every item of this article</a> ({} in the current text)',
            url, article.pk, article.item_total,
        )


class AssignedToMeFilter(admin.SimpleListFilter):
    title = "assigned"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "To me"), ("nobody", "To nobody")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


class NoteInline(admin.StackedInline):
    model = Note
    extra = 0
    fields = ("author", "body", "source", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SourceTypeFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source_type"

    def lookups(self, request, model_admin):
        return SourceType.choices

    def queryset(self, request, queryset):
        if self.value() in SourceType.values:
            return queryset.filter(value__source_type=self.value())
        return queryset


@admin.register(ChecklistItem)
class ChecklistItemAdmin(QuickActionCheckboxMixin, WithArticleTitleMixin, SimpleHistoryAdmin):
    list_display = (
        "text_excerpt", "kind", "tier", "source", "state", "assignee", "due_at", "priority", "article", "origin", "anchor"
    )
    list_filter = (
        AssignedToMeFilter, "tier", "state", "kind", SourceTypeFilter, "origin", "anchor",
        ("assignee", RelatedWithRowsListFilter),
    )
    search_fields = ("text", "speaker", "sentence", "article__title")
    list_select_related = ("article", "assignee")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = (
        "article", "kind", "start", "end", "text", "sentence", "speaker", "value", "origin",
        "anchor", "anchored_revision", "previous_text", "state", "tier", "tier_pinned", "assignee", "due_at",
        "version", "state_changed_at", "state_changed_by", "created_at", "updated_at",
    )
    inlines = [NoteInline]
    action_form = ItemActionForm
    actions = ["assign_to", "assign_to_me", "mark_in_progress", "mark_verified", "mark_unverifiable", "mark_incorrect",
               "dismiss", "reopen", "make_required", "make_recommended"]

    def has_add_permission(self, request):
        return False  # manual items are added from the article page or the API, by span

    @admin.display(description="Source")
    def source(self, item):
        return item.source_label or "—"

    @admin.display(description="Claim", ordering="text")
    def text_excerpt(self, item):
        return item.text if len(item.text) <= 80 else item.text[:77] + "..."

    def _apply(self, request, queryset, change, done: str):
        changed, refused = 0, []
        # One transaction, a savepoint per item: a refused item changes nothing, and what the
        # others tell people (an assignment of many items) goes as one message.
        with transaction.atomic():
            items = list(queryset)
            articles_lock_for_items(item.pk for item in items)  # all of them first, in the common order
            for item in items:
                try:
                    with transaction.atomic():
                        change(item)
                    changed += 1
                except (WorkflowError, PermissionDenied) as error:
                    refused.append(f"“{item.text[:40]}”: {error}")
        if changed:
            self.message_user(request, f"{changed} item(s) {done}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    def _state_action(self, request, queryset, state: str, done: str):
        note = request.POST.get("note", "")
        self._apply(
            request, queryset, lambda item: item_set_state(item_id=item.pk, state=state, by=request.user, note=note), done
        )

    @admin.action(description="Assign to the chosen person (with the due time, if given)")
    def assign_to(self, request, queryset):
        values = action_values(request, ItemActionForm, "assignee", "due_at")
        if not values or values["assignee"] is None:
            self.message_user(request, "Choose a person in “Assign to” (and a valid due time, if any).", messages.WARNING)
            return
        assignee, due_at = values["assignee"], values["due_at"]
        self._apply(
            request, queryset,
            lambda item: item_assign(item_id=item.pk, assignee=assignee, by=request.user, due_at=due_at),
            f"assigned to {assignee.get_username()}",
        )

    @admin.action(description="Assign to me")
    def assign_to_me(self, request, queryset):
        self._apply(request, queryset, lambda item: item_assign(item_id=item.pk, assignee=request.user, by=request.user),
                    "assigned to you")

    @admin.action(description="Mark in progress")
    def mark_in_progress(self, request, queryset):
        self._state_action(request, queryset, ItemState.IN_PROGRESS, "marked in progress")

    @admin.action(description="Mark verified")
    def mark_verified(self, request, queryset):
        self._state_action(request, queryset, ItemState.VERIFIED, "verified")

    @admin.action(description="Mark unverifiable (note required)")
    def mark_unverifiable(self, request, queryset):
        self._state_action(request, queryset, ItemState.UNVERIFIABLE, "marked unverifiable")

    @admin.action(description="Mark incorrect (note required)")
    def mark_incorrect(self, request, queryset):
        self._state_action(request, queryset, ItemState.INCORRECT, "marked incorrect")

    @admin.action(description="Dismiss: not a claim (note required)")
    def dismiss(self, request, queryset):
        self._state_action(request, queryset, ItemState.DISMISSED, "dismissed")

    @admin.action(description="Reopen")
    def reopen(self, request, queryset):
        self._state_action(request, queryset, ItemState.OPEN, "reopened")

    def _tier_action(self, request, queryset, tier: str, done: str):
        note = request.POST.get("note", "")
        self._apply(
            request, queryset, lambda item: item_set_tier(item_id=item.pk, tier=tier, by=request.user, note=note), done
        )

    @admin.action(description="Move to required (note required)")
    def make_required(self, request, queryset):
        self._tier_action(request, queryset, ItemTier.REQUIRED, "moved to required")

    @admin.action(description="Move to recommended (note required)")
    def make_recommended(self, request, queryset):
        self._tier_action(request, queryset, ItemTier.RECOMMENDED, "moved to recommended")


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ("name",)

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError("A story needs a name.")
        return name


@admin.register(Story)
class StoryAdmin(QuickActionCheckboxMixin, SimpleHistoryAdmin):
    """Stories: rename one here (the name is then kept), merge several with the action; an
    article moves to a new story with the article list's action."""

    form = StoryForm
    list_display = ("__str__", "article_count", "updated_at")
    search_fields = ("name",)
    fields = ("name", "story_articles", "created_at", "updated_at")
    readonly_fields = ("story_articles", "created_at", "updated_at")
    actions = ["merge_into_oldest"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    def has_add_permission(self, request):
        return False  # stories are made by grouping, by splitting and by moving articles

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, story):
        return story.article_total

    @admin.display(description="Articles")
    def story_articles(self, story):
        if not story.pk:
            return "—"
        rows = format_html_join(
            "", '<li><a href="{}">{}</a></li>',
            ((reverse("admin:articles_article_change", args=[a.pk]), str(a)) for a in selectors.story_articles(story)),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "—"

    def save_model(self, request, obj, form, change):
        story_rename(story=obj, name=form.cleaned_data["name"], by=request.user)

    @admin.action(description="Merge the selected stories into the oldest of them")
    def merge_into_oldest(self, request, queryset):
        stories = list(queryset.order_by("created_at", "pk"))
        if len(stories) < 2:
            self.message_user(request, "Choose at least two stories to merge.", messages.WARNING)
            return
        try:
            into = stories_merge(into=stories[0], stories=stories[1:], by=request.user)
        except (WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"{len(stories) - 1} story(ies) merged into “{into}”.", messages.SUCCESS)


@admin.register(SourceDocument)
class SourceDocumentAdmin(QuickActionCheckboxMixin, WithArticleTitleMixin, SimpleHistoryAdmin):
    """Sources attached to articles: read-only here; they are attached on the article page or
    through the API, and removing one matches the article's claims again."""

    list_display = ("title", "article", "kind", "format", "status", "revision", "added_by", "created_at")
    list_filter = ("status", "kind", "format")
    search_fields = ("title", "article__title", "url", "filename")
    list_select_related = ("article", "added_by")
    fields = ("article", "title", "kind", "url", "filename", "format", "pages", "status", "error", "revision",
              "added_by", "created_at", "text")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        source_delete(source_id=obj.pk, by=request.user)

    def delete_queryset(self, request, queryset):
        for source in queryset:
            source_delete(source_id=source.pk, by=request.user)


@admin.register(TierRule)
class TierRuleAdmin(SimpleHistoryAdmin):
    """The tier policy. Saving or deleting a rule re-tiers the open items of articles not yet ready."""

    list_display = ("position", "__str__", "kind", "source_type", "min_priority", "tier", "description")
    list_display_links = ("__str__",)
    list_editable = ("position",)
    ordering = ("position", "pk")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._retier(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._retier(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._retier(request)

    def _retier(self, request):
        moved = tier_policy_changed(by=request.user)
        self.message_user(request, f"Tier policy applied: {moved} open item(s) changed tier.", messages.INFO)


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ("item", "body", "source")


@admin.register(Note)
class NoteAdmin(QuickActionCheckboxMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "item", "author", "source", "created_at")
    list_filter = (("author", RelatedWithRowsListFilter),)
    search_fields = ("body", "source", "item__text")
    list_select_related = ("item", "author")
    show_full_result_count = False
    raw_id_fields = ("item",)
    form = NoteForm

    def get_readonly_fields(self, request, obj=None):
        return ("item", "author", "body", "source", "created_at") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = note_add(item_id=obj.item_id, author=request.user, body=obj.body, source=obj.source)
        obj.pk = created.pk

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


@admin.register(ExtractionRun)
class ExtractionRunAdmin(QuickActionCheckboxMixin, WithArticleTitleMixin, admin.ModelAdmin):
    list_display = ("article", "status", "item_count", "extractor_version", "started_at", "finished_at")
    list_filter = ("status", "extractor_version")
    show_full_result_count = False
    search_fields = ("article__title", "task_id", "error")
    list_select_related = ("article",)
    readonly_fields = [field.name for field in ExtractionRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(QuickActionCheckboxMixin, ListWithoutTextMixin, WithArticleTitleMixin, admin.ModelAdmin):
    list_display = ("article", "number", "created_at")
    list_defer = ("body",)
    show_full_result_count = False
    search_fields = ("article__title", "body")
    list_select_related = ("article",)
    readonly_fields = ("article", "number", "body", "content_hash", "created_at")

    def has_add_permission(self, request):
        return False


class OutboundURLForm(forms.ModelForm):
    """A form whose address (``url_field``) the service will contact: only public http(s)
    addresses, unless allowed."""

    refusal = "This address cannot be used"
    url_field = "url"

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get(self.url_field)
        if url:
            try:
                check_outbound_url(url, allow_private=settings.ALLOW_PRIVATE_URLS)
            except UnsafeURL as error:
                self.add_error(self.url_field, f"{self.refusal}: {error}.")
        return cleaned


class WebhookSubscriptionForm(OutboundURLForm):
    refusal = "This address cannot receive webhooks"
    url = forms.URLField(
        max_length=1000, assume_scheme="https", help_text=WebhookSubscription._meta.get_field("url").help_text
    )
    events = forms.MultipleChoiceField(choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookSubscription
        fields = ("url", "events", "description", "is_active")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Subscriptions. The signing secret is never displayed: it is shown once, to the person who
    created the subscription or rotated its secret, in the message that confirms it."""

    list_select_related = ("created_by",)
    list_display = ("__str__", "url", "events", "is_active", "created_by", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    form = WebhookSubscriptionForm
    readonly_fields = ("created_by", "created_at")
    actions = ["rotate_secret"]

    def save_model(self, request, obj, form, change):
        saved = webhook_subscribe(
            url=form.cleaned_data["url"], events=form.cleaned_data["events"], by=request.user,
            description=form.cleaned_data.get("description", ""), is_active=form.cleaned_data.get("is_active", True),
            subscription=obj if change else None,
        )
        obj.pk = saved.pk
        if not change:
            obj.secret = saved.secret
            request._webhook_secret_to_show = saved.secret  # added to the "added successfully" message

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        secret = getattr(request, "_webhook_secret_to_show", None)
        if secret and level == messages.SUCCESS:
            del request._webhook_secret_to_show
            message = format_html("{} {}", message, self._secret_sentence(secret))
        super().message_user(request, message, level, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if getattr(request, "_webhook_secret_to_show", None):  # no success message (a popup): say it anyway
            self.message_user(request, format_html("“{}” was added.", obj), messages.SUCCESS)
        return response

    @admin.action(description="Rotate signing secret", permissions=["change"])
    def rotate_secret(self, request, queryset):
        for subscription in queryset:
            secret = webhook_rotate_secret(subscription=subscription)
            self.message_user(
                request,
                format_html("“{}” has a new signing secret. {}", subscription, self._secret_sentence(secret)),
                messages.SUCCESS,
            )

    @staticmethod
    def _secret_sentence(secret: str):
        return format_html(
            "Its signing secret is <code class=\"webhook-secret\">{}</code>: give it to the receiver now, "
            "it will not be shown again.",
            secret,
        )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "attempted_at", "status_code", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(QuickActionCheckboxMixin, admin.ModelAdmin):
    list_display = ("event", "subscription", "status", "attempt_count", "created_at", "finished_at")
    list_filter = ("status", "event")
    show_full_result_count = False
    search_fields = ("message_id", "subscription__url")
    list_select_related = ("subscription",)
    readonly_fields = ("subscription", "event", "message_id", "payload", "status", "attempt_count", "created_at",
                       "finished_at")
    inlines = [WebhookAttemptInline]

    def has_add_permission(self, request):
        return False


class NotificationSettingsForm(OutboundURLForm):
    refusal = "This address cannot receive chat messages"
    url_field = "chat_webhook_url"
    chat_webhook_url = forms.URLField(
        label="Chat webhook", required=False, max_length=1000, assume_scheme="https",
        help_text=NotificationSettings._meta.get_field("chat_webhook_url").help_text,
    )

    def clean_muted(self):
        muted = self.cleaned_data["muted"]
        known = {f"{channel}:{event}" for channel, event in notification_pairs()}
        if not isinstance(muted, list) or not set(muted) <= known:
            raise forms.ValidationError(f"A list of what is turned off, among: {', '.join(sorted(known))}.")
        return muted

    class Meta:
        model = NotificationSettings
        fields = ("user", "chat_webhook_url", "muted")


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    """Each person changes their own on the Notifications page; administrators can here."""

    form = NotificationSettingsForm
    list_display = ("user", "chat_webhook_url", "muted", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


@admin.register(Notification)
class NotificationAdmin(QuickActionCheckboxMixin, admin.ModelAdmin):
    """What was told to whom, and whether it went out: a record, not edited here."""

    list_display = ("event", "recipient", "channel", "status", "attempt_count", "created_at", "sent_at")
    list_filter = ("status", "channel", "event")
    show_full_result_count = False
    search_fields = ("recipient__username", "text")
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "channel", "event", "article", "item", "text", "link", "dedupe_key", "status",
                       "attempt_count", "last_error", "created_at", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FeedForm(OutboundURLForm):
    refusal = "This address cannot be polled"
    url = forms.URLField(max_length=1000, assume_scheme="https", help_text=Feed._meta.get_field("url").help_text)

    class Meta:
        model = Feed
        fields = ("name", "url", "is_active")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "last_polled_at", "last_result", "polled_without_error")
    list_filter = ("is_active", "last_polled_at")
    search_fields = ("name", "url", "last_error")
    form = FeedForm
    readonly_fields = ("last_polled_at", "last_success_at", "last_result", "last_error", "etag", "modified",
                       "created_at", "updated_at")
    actions = ["poll_now"]

    @admin.display(description="Last poll OK", boolean=True)
    def polled_without_error(self, feed):
        return None if feed.last_polled_at is None else not feed.last_error

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request, queryset):
        from .tasks import poll_feeds

        ids = list(queryset.values_list("pk", flat=True))
        poll_feeds.delay_on_commit(ids)
        self.message_user(
            request, f"Polling {len(ids)} feed(s); new and changed entries appear among the articles.", messages.SUCCESS
        )
