"""Newsroom roles as Django groups, and the questions every path (admin, API, pages) asks.

The permissions of each role are written once here; ``sync_role_groups`` runs after every
migrate so the groups always match.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

REPORTER, CHECKER, EDITOR, CMS = "reporter", "checker", "editor", "cms"
ROLES = (REPORTER, CHECKER, EDITOR, CMS)

_WEBHOOKS = ["view_webhooksubscription", "add_webhooksubscription", "change_webhooksubscription",
             "delete_webhooksubscription"]
_FEEDS = ["view_feed", "add_feed", "change_feed", "delete_feed"]
_TIER_POLICY = ["view_tierrule", "add_tierrule", "change_tierrule", "delete_tierrule"]
_READ = [
    "view_article", "view_articlerevision", "view_checklistitem", "view_note", "view_extractionrun", "view_story",
    "view_sourcedocument",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REPORTER: [*_READ, "add_note", "add_sourcedocument"],
    CHECKER: [*_READ, "add_note", "work_assigned_item", "claim_item"],
    EDITOR: [
        *_READ,
        "add_article",
        "change_article",
        "add_note",
        "add_checklistitem",
        "change_checklistitem",
        "work_assigned_item",
        "work_any_item",
        "assign_item",
        "claim_item",
        "change_story",
        "add_sourcedocument",
        "delete_sourcedocument",
        *_WEBHOOKS,
        *_FEEDS,
        *_TIER_POLICY,
    ],
    CMS: [*_READ, "add_article", "change_article", "add_sourcedocument", *_WEBHOOKS, *_FEEDS],
}


def sync_role_groups(**kwargs) -> None:
    permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="articles")}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        missing = [codename for codename in codenames if codename not in permissions]
        if missing:  # permissions are created by the same post_migrate pass; try again next time
            continue
        group.permissions.set([permissions[codename] for codename in codenames])


def perm(codename: str) -> str:
    return f"articles.{codename}"


def load_permissions(user) -> None:
    """Read everything ``user`` may do — their own permissions and their groups' — in one query,
    and keep it on the user for the rest of the request.

    Django's permission checks would read the user's permissions and their groups'
    permissions in two queries, the first time a request asks; every role check below (and
    ``has_perm`` anywhere else in the request) then answers from what is kept here. Superusers
    and inactive or anonymous users need no query at all.
    """
    if user is None or not getattr(user, "is_authenticated", False) or hasattr(user, "_perm_cache"):
        return
    if not user.is_active or user.is_superuser:
        return
    through_groups = Permission.objects.filter(group__user=user)
    own = Permission.objects.filter(user=user)
    fields = ("content_type__app_label", "codename")
    rows = through_groups.order_by().values_list(*fields).union(own.order_by().values_list(*fields))
    user._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}


def can_add_source(user) -> bool:
    """Attach source documents to an article: reporters, editors and CMSs."""
    return user.has_perm(perm("add_sourcedocument"))


def can_delete_source(user) -> bool:
    return user.has_perm(perm("delete_sourcedocument"))


def can_manage_stories(user) -> bool:
    """Merge, split and name stories, move articles between them: editors."""
    return user.has_perm(perm("change_story"))


def can_work_item(user, item) -> bool:
    """Change an item's state: editors on any item, checkers on items assigned to them."""
    if user.has_perm(perm("work_any_item")):
        return True
    return user.has_perm(perm("work_assigned_item")) and item.assignee_id == user.pk


def can_assign_anyone(user) -> bool:
    """Editors assign any item to anyone; others at most claim or release their own."""
    return user.has_perm(perm("assign_item"))


def can_assign(user, item, assignee) -> bool:
    if can_assign_anyone(user):
        return True
    claiming = assignee is not None and assignee.pk == user.pk and item.assignee_id in (None, user.pk)
    releasing = assignee is None and item.assignee_id == user.pk
    return user.has_perm(perm("claim_item")) and (claiming or releasing)


def can_add_note(user) -> bool:
    return user.has_perm(perm("add_note"))


def can_add_item(user) -> bool:
    return user.has_perm(perm("add_checklistitem"))
