from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from .models import Article, ArticleRevision, ChecklistItem, ExtractionRun, ItemState, Note


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("kind", "text", "speaker", "priority", "state", "assignee", "origin")
    readonly_fields = ("kind", "text", "speaker", "priority", "origin")
    show_change_link = True
    ordering = ("start", "end", "kind")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")


class ExtractionRunInline(admin.TabularInline):
    model = ExtractionRun
    extra = 0
    can_delete = False
    fields = ("status", "started_at", "finished_at", "item_count", "extractor_version", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "external_id", "checklist_status", "resolved_items", "revision", "updated_at")
    list_filter = ("checklist_status", "source")
    search_fields = ("title", "external_id", "byline", "url")
    date_hierarchy = "updated_at"
    readonly_fields = ("content_hash", "revision", "checklist_status", "checklist_changed_at", "created_at", "updated_at")
    inlines = [ChecklistItemInline, ExtractionRunInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                item_total=Count("items"),
                item_resolved=Count("items", filter=Q(items__state__in=ItemState.resolved())),
            )
        )

    @admin.display(description="Resolved")
    def resolved_items(self, article):
        return f"{article.item_resolved} / {article.item_total}"


class NoteInline(admin.StackedInline):
    model = Note
    extra = 0
    fields = ("author", "body", "source", "created_at")
    readonly_fields = ("created_at",)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("text_excerpt", "kind", "state", "assignee", "priority", "article", "origin")
    list_filter = ("state", "kind", "origin", ("assignee", admin.RelatedOnlyFieldListFilter))
    search_fields = ("text", "speaker", "sentence", "article__title")
    list_select_related = ("article", "assignee")
    raw_id_fields = ("article",)
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [NoteInline]

    @admin.display(description="Claim", ordering="text")
    def text_excerpt(self, item):
        return item.text if len(item.text) <= 80 else item.text[:77] + "..."


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "item", "author", "source", "created_at")
    list_filter = (("author", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("body", "source", "item__text")
    list_select_related = ("item", "author")
    raw_id_fields = ("item",)


@admin.register(ExtractionRun)
class ExtractionRunAdmin(admin.ModelAdmin):
    list_display = ("article", "status", "item_count", "extractor_version", "started_at", "finished_at")
    list_filter = ("status", "extractor_version")
    search_fields = ("article__title", "task_id", "error")
    list_select_related = ("article",)
    readonly_fields = [field.name for field in ExtractionRun._meta.fields]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "created_at")
    search_fields = ("article__title", "body")
    list_select_related = ("article",)
    readonly_fields = ("article", "number", "body", "content_hash", "created_at")
