"""The permission matrix: what each newsroom role may do, enforced by the services every path uses."""

import pytest
from django.core.exceptions import PermissionDenied

from articles.services.items import item_add_manual, item_assign, item_verify, note_add
from tests.factories import ChecklistItemFactory

pytestmark = pytest.mark.django_db


def attempt(action) -> bool:
    try:
        action()
    except PermissionDenied:
        return False
    return True


MATRIX = [
    # role,       verify own, verify others', assign others, take unassigned, add note, add item
    ("reporter", False, False, False, False, True, False),
    ("checker", True, False, False, True, True, False),
    ("editor", True, True, True, True, True, True),
    ("cms", False, False, False, False, False, False),
    ("outsider", False, False, False, False, False, False),
]


@pytest.mark.parametrize(
    ("role", "verify_own", "verify_others", "assign_others", "take_unassigned", "add_note", "add_item"), MATRIX
)
def test_role_permissions(cast, role, verify_own, verify_others, assign_others, take_unassigned, add_note, add_item):
    user = cast.by_role(role)
    own = ChecklistItemFactory(assignee=user)
    others = ChecklistItemFactory(assignee=cast.other_checker)
    unassigned = ChecklistItemFactory()
    article = unassigned.article

    assert attempt(lambda: item_verify(item_id=own.pk, by=user)) is verify_own
    assert attempt(lambda: item_verify(item_id=others.pk, by=user)) is verify_others
    assert attempt(lambda: item_assign(item_id=unassigned.pk, assignee=cast.other_checker, by=user)) is assign_others
    fresh = ChecklistItemFactory(article=article, kind="date", start=0, end=3, text=article.body[:3])
    assert attempt(lambda: item_assign(item_id=fresh.pk, assignee=user, by=user)) is take_unassigned
    assert attempt(lambda: note_add(item_id=own.pk, author=user, body="Checked.")) is add_note
    assert attempt(lambda: item_add_manual(article_id=article.pk, start=4, end=8, kind="name", by=user)) is add_item


def test_roles_are_groups_created_by_migrate(cast):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"reporter", "checker", "editor", "cms"}
    assert Group.objects.get(name="cms").permissions.filter(codename="add_article").exists()
    assert not Group.objects.get(name="cms").permissions.filter(codename__startswith="work_").exists()


def test_a_request_reads_the_callers_permissions_once_in_one_query(cast, django_assert_num_queries):
    from django.contrib.auth.models import Permission

    from articles.roles import can_add_item, can_add_note, can_assign_anyone, load_permissions
    from tests.factories import UserFactory

    extra = UserFactory(username="reporter-who-may-add-items")
    extra.groups.add(*cast.reporter.groups.all())
    extra.user_permissions.add(Permission.objects.get(codename="add_checklistitem"))

    for user, adds_items in [(cast.checker, False), (cast.editor, True), (extra, True)]:
        with django_assert_num_queries(1):
            load_permissions(user)
            load_permissions(user)  # kept: asked again, nothing is read
            assert can_add_note(user)
            assert can_add_item(user) is adds_items  # a permission of the user's own counts too
            assert can_assign_anyone(user) is (user == cast.editor)
