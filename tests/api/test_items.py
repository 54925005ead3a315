import pytest

from articles.models import ChecklistItem
from articles.services import checklist_extract
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def items_url(article):
    return f"/api/v1/articles/{article.pk}/items/"


def item_url(item):
    return f"/api/v1/items/{item.pk}/"


def test_items_come_in_text_order_with_every_field(api, checklist):
    article, money, date = checklist

    data = api("cms").get(items_url(article)).json()

    assert [item["id"] for item in data["results"]] == [money.pk, date.pk]
    assert set(data["results"][0]) >= {
        "id", "kind", "text", "start", "end", "sentence", "speaker", "value", "guidance", "priority", "state",
        "assignee", "version",
    }


def test_items_are_filtered_by_kind_state_and_assignee(api, checklist, cast):
    article, money, date = checklist
    api("editor").patch(item_url(money), {"assignee": cast.checker.username}, format="json")

    assert [i["id"] for i in api("cms").get(items_url(article), {"kind": "money"}).json()["results"]] == [money.pk]
    assert api("cms").get(items_url(article), {"state": "verified"}).json()["count"] == 0
    by_assignee = api("cms").get(items_url(article), {"assignee": cast.checker.username}).json()
    assert [i["id"] for i in by_assignee["results"]] == [money.pk]
    assert api("cms").get(items_url(article), {"kind": "gossip"}).status_code == 400


def test_an_editor_verifies_an_item(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"state": "verified", "version": 1}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "verified"
    assert response.json()["version"] == 2


def test_a_cms_token_cannot_change_an_items_state(api, checklist):
    article, money, date = checklist

    response = api("cms").patch(item_url(money), {"state": "verified"}, format="json")

    assert response.status_code == 403
    money.refresh_from_db()
    assert money.state == "open"


def test_an_unknown_state_is_a_400(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"state": "approved"}, format="json")

    assert response.status_code == 400
    assert "state" in response.json()


def test_a_verdict_without_a_note_is_a_400_saying_why(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"state": "dismissed"}, format="json")

    assert response.status_code == 400
    assert "note is required" in response.json()["detail"]


def test_a_verdict_with_a_note_stores_the_note(api, checklist):
    article, money, date = checklist

    api("editor").patch(item_url(money), {"state": "incorrect", "note": "Budget was $4.2m.", "source": "minutes"},
                        format="json")

    assert money.notes.get().body == "Budget was $4.2m."


def test_a_stale_version_is_a_409_with_the_current_item(api, checklist):
    article, money, date = checklist
    api("editor").patch(item_url(money), {"state": "verified", "version": 1}, format="json")

    response = api("editor").patch(item_url(money), {"state": "in_progress", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current"]["state"] == "verified"
    assert response.json()["current"]["version"] == 2


def test_assigning_with_a_due_time(api, checklist, cast):
    article, money, date = checklist

    response = api("editor").patch(
        item_url(money), {"assignee": cast.checker.username, "due_at": "2026-11-24T18:00:00Z"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["assignee"] == cast.checker.username
    assert response.json()["due_at"].startswith("2026-11-24T18:00:00")


def test_an_unknown_assignee_is_a_400(api, checklist):
    article, money, date = checklist

    assert api("editor").patch(item_url(money), {"assignee": "nobody-here"}, format="json").status_code == 400


def test_a_checker_works_their_own_items_only(api, checklist, cast):
    article, money, date = checklist
    api("editor").patch(item_url(money), {"assignee": cast.checker.username}, format="json")

    assert api("checker").patch(item_url(money), {"state": "verified"}, format="json").status_code == 200
    assert api("checker").patch(item_url(date), {"state": "verified"}, format="json").status_code == 403


def test_a_patch_without_any_change_is_a_400(api, checklist):
    article, money, date = checklist

    assert api("editor").patch(item_url(money), {"version": 1}, format="json").status_code == 400


def test_put_and_delete_are_not_offered(api, checklist):
    article, money, date = checklist

    assert api("editor").put(item_url(money), {"state": "verified"}, format="json").status_code == 405
    assert api("editor").delete(item_url(money)).status_code == 405


def test_an_editor_adds_a_manual_item(api, checklist):
    article, money, date = checklist
    start = article.body.index("Mayor Ann Lee")

    response = api("editor").post(
        items_url(article), {"kind": "name", "start": start, "end": start + 13, "guidance": "Check her title."},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["text"] == "Mayor Ann Lee"
    assert response.json()["origin"] == "manual"


def test_a_manual_item_outside_the_text_is_a_400(api, checklist):
    article, money, date = checklist

    response = api("editor").post(items_url(article), {"kind": "name", "start": 5, "end": 99_999}, format="json")

    assert response.status_code == 400
    assert ChecklistItem.objects.filter(origin="manual").count() == 0


def test_a_cms_token_cannot_add_items(api, checklist):
    article, money, date = checklist

    assert api("cms").post(items_url(article), {"kind": "name", "start": 0, "end": 3}, format="json").status_code == 403


def test_an_editor_assigns_every_open_item_of_a_kind_in_an_article(api, checklist, cast):
    article, money, date = checklist

    response = api("editor").post(
        f"/api/v1/articles/{article.pk}/assign/", {"kind": "money", "assignee": cast.checker.username}, format="json"
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [money.pk]
    assert ChecklistItem.objects.get(pk=money.pk).assignee == cast.checker
    assert ChecklistItem.objects.get(pk=date.pk).assignee is None


@pytest.mark.parametrize("role", ["checker", "reporter", "cms"])
def test_only_editors_assign_by_kind(api, checklist, cast, role):
    article, _, _ = checklist

    response = api(role).post(
        f"/api/v1/articles/{article.pk}/assign/", {"kind": "money", "assignee": cast.checker.username}, format="json"
    )

    assert response.status_code == 403


def test_many_items_are_assigned_at_once_with_a_due_time_and_unassigned_again(api, checklist, cast):
    _, money, date = checklist

    response = api("editor").post(
        "/api/v1/items/assign/",
        {"items": [money.pk, date.pk], "assignee": cast.checker.username, "due_at": "2030-01-02T17:30:00Z"},
        format="json",
    )
    assert response.status_code == 200
    assert {item["assignee"] for item in response.json()} == {cast.checker.username}
    assert all(item["due_at"].startswith("2030-01-02T17:30") for item in response.json())

    response = api("editor").post("/api/v1/items/assign/", {"items": [money.pk, date.pk], "assignee": None}, format="json")
    assert response.status_code == 200
    assert {item["assignee"] for item in response.json()} == {None}


def test_a_checker_may_take_unassigned_items_but_not_give_them_away(api, checklist, cast):
    _, money, date = checklist

    mine = api("checker").post("/api/v1/items/assign/", {"items": [money.pk], "assignee": cast.checker.username}, format="json")
    theirs = api("checker").post("/api/v1/items/assign/", {"items": [date.pk], "assignee": cast.editor.username}, format="json")

    assert mine.status_code == 200
    assert theirs.status_code == 403
    assert ChecklistItem.objects.get(pk=date.pk).assignee is None


def test_assigning_many_is_all_or_none(api, checklist, cast):
    _, money, date = checklist
    ChecklistItem.objects.filter(pk=date.pk).update(assignee=cast.editor)

    response = api("checker").post(
        "/api/v1/items/assign/", {"items": [money.pk, date.pk], "assignee": cast.checker.username}, format="json"
    )

    assert response.status_code == 403
    assert ChecklistItem.objects.get(pk=money.pk).assignee is None


def test_assigning_an_unknown_item_is_a_400(api, checklist, cast):
    response = api("editor").post("/api/v1/items/assign/", {"items": [999_999], "assignee": None}, format="json")

    assert response.status_code == 400
    assert "999999" in response.json()["items"][0]


def test_a_cms_reads_who_said_a_quote_and_whether_a_source_is_named(api, db):
    body = (
        "Budget vote delayed\n\n"
        "Mayor Ann Lee defended the budget on Monday.\n\n"
        "\"We balanced it without new taxes,\" she said.\n\n"
        "The council will vote again next week, officials said."
    )
    article = ArticleFactory(body=body, checklist_status="pending")
    checklist_extract(article_id=article.pk)

    response = api("cms").get(f"/api/v1/articles/{article.pk}/items/")

    items = response.json()["results"]
    [quote] = [i for i in items if i["kind"] == "quote"]
    assert quote["speaker"] == "Mayor Ann Lee"
    assert quote["value"] == {"source_type": "named", "said_as": "she"}
    [source] = [i for i in items if i["kind"] == "attribution"]
    assert source["value"] == {"source": "officials", "source_type": "unnamed"}
    assert "unnamed source" in source["guidance"]


def test_every_item_says_its_tier_and_the_list_filters_by_it(api, checklist):
    article, money, date = checklist
    date.tier = "recommended"
    date.save()

    items = api("cms").get(items_url(article)).json()["results"]
    recommended = api("cms").get(items_url(article), {"tier": "recommended"}).json()["results"]

    assert [(i["id"], i["tier"]) for i in items] == [(money.pk, "required"), (date.pk, "recommended")]
    assert [i["id"] for i in recommended] == [date.pk]


def test_an_editor_moves_an_item_to_recommended_with_a_note_and_readiness_follows(api, checklist):
    article, money, date = checklist
    api("editor").patch(item_url(money), {"state": "verified"}, format="json")

    response = api("editor").patch(
        item_url(date), {"tier": "recommended", "note": "The day does not matter here."}, format="json"
    )
    readiness = api("cms").get(f"/api/v1/articles/{article.pk}/readiness/").json()

    assert response.status_code == 200
    assert (response.json()["tier"], response.json()["tier_pinned"]) == ("recommended", True)
    assert readiness["ready"] is True
    assert (readiness["required_total"], readiness["recommended_open"]) == (1, 1)


def test_a_tier_move_without_a_note_or_by_a_checker_is_refused(api, checklist, cast):
    article, money, date = checklist

    no_note = api("editor").patch(item_url(date), {"tier": "recommended"}, format="json")
    checker = api("checker").patch(item_url(date), {"tier": "recommended", "note": "Minor."}, format="json")

    assert no_note.status_code == 400 and "note is required" in no_note.json()["detail"]
    assert checker.status_code == 403
    date.refresh_from_db()
    assert date.tier == "required"


def test_the_cms_account_cannot_be_assigned_an_item(api, checklist, cast):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"assignee": cast.cms.username}, format="json")

    assert response.status_code == 400
    assert "only active checkers and editors" in response.json()["detail"]


def test_a_nul_character_anywhere_in_a_request_is_a_400_not_a_server_error(api, checklist, cast):
    article, money, date = checklist

    response = api("editor").post(
        "/api/v1/items/assign/", {"items": [money.pk], "assignee": "carl\x00"}, format="json"
    )

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_note_sent_with_a_verdict_has_the_same_length_limit_as_any_note(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(
        item_url(money), {"state": "dismissed", "note": "x" * 20_001}, format="json"
    )

    assert response.status_code == 400
    money.refresh_from_db()
    assert money.state == "open"


# --- hostile input: control characters, null as "not given", one note limit ---------------------


NUL_ASSIGNEE = "carl-checker\x00"
ASSIGNMENTS = {
    "patch-item": lambda article, item: ("patch", item_url(item), {"assignee": NUL_ASSIGNEE}),
    "bulk-assign": lambda article, item: (
        "post", "/api/v1/items/assign/", {"items": [item.pk], "assignee": NUL_ASSIGNEE}
    ),
    "assign-by-kind": lambda article, item: (
        "post", f"/api/v1/articles/{article.pk}/assign/", {"kind": item.kind, "assignee": NUL_ASSIGNEE}
    ),
}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_nul_in_an_assignee_is_a_400_naming_the_field_on_every_assignment_path(api, checklist, assignment):
    article, money, date = checklist
    method, url, body = ASSIGNMENTS[assignment](article, money)

    response = getattr(api("editor"), method)(url, body, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The field 'assignee' holds the control character U+0000 (NUL); "
        "text may hold tabs and line breaks but no other control characters."
    )
    assert not ChecklistItem.objects.filter(assignee__isnull=False).exists()


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"state": "incorrect", "note": "Budget was\x1b[2J $4.2m."}, "The field 'note'"),
        ({"state": "verified", "source": "minutes\x7f"}, "The field 'source'"),
        ({"state": "verified", "extra": {"nested": ["ok", "\x08"]}}, "The field 'extra.nested[1]'"),
        ({"state": "verified", "\x01": "x"}, "A field name"),
    ],
)
def test_other_control_characters_are_refused_saying_where(api, checklist, body, where):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), body, format="json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{where} holds the control character U+00")
    money.refresh_from_db()
    assert money.state == "open"


def test_tabs_and_line_breaks_in_a_note_are_kept(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(
        item_url(money), {"state": "incorrect", "note": "Budget:\t$4.2m.\r\nSee p. 3."}, format="json"
    )

    assert response.status_code == 200
    assert money.notes.get().body == "Budget:\t$4.2m.\r\nSee p. 3."


def test_optional_fields_of_an_item_change_sent_as_null_count_as_not_given(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(
        item_url(money),
        {"state": "verified", "tier": None, "version": None, "note": None, "source": None},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["tier"]) == ("verified", "required")


def test_a_change_holding_only_nulls_of_optional_fields_is_a_400_not_a_change(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"state": None, "tier": None}, format="json")

    assert response.status_code == 400
    assert "Give at least one of" in response.json()["non_field_errors"][0]


def test_null_keeps_its_meaning_where_it_has_one_an_assignee_of_null_unassigns(api, checklist, cast):
    article, money, date = checklist
    api("editor").patch(item_url(money), {"assignee": cast.checker.username, "due_at": "2030-01-02T17:30:00Z"},
                        format="json")

    response = api("editor").patch(item_url(money), {"assignee": None, "due_at": None}, format="json")

    assert (response.json()["assignee"], response.json()["due_at"]) == (None, None)


def test_an_optional_due_time_sent_as_null_on_an_assignment_counts_as_not_given(api, checklist, cast):
    article, money, date = checklist

    by_kind = api("editor").post(
        f"/api/v1/articles/{article.pk}/assign/",
        {"kind": "money", "assignee": cast.checker.username, "due_at": None}, format="json",
    )
    bulk = api("editor").post(
        "/api/v1/items/assign/", {"items": [date.pk], "assignee": cast.checker.username, "due_at": None}, format="json"
    )

    assert (by_kind.status_code, bulk.status_code) == (200, 200)
    assert ChecklistItem.objects.filter(assignee=cast.checker, due_at__isnull=True).count() == 2


def test_a_manual_items_optional_fields_sent_as_null_count_as_not_given(api, checklist):
    article, money, date = checklist
    start = article.body.index("Mayor Ann Lee")

    response = api("editor").post(
        items_url(article), {"kind": "name", "start": start, "end": start + 13, "guidance": None, "speaker": None},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["speaker"] == ""


def test_a_million_character_note_sent_with_a_change_is_a_400(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"state": "incorrect", "note": "x" * 1_000_000}, format="json")

    assert response.status_code == 400
    assert "20000" in response.json()["note"][0]
    money.refresh_from_db()
    assert money.state == "open" and not money.notes.exists()


def test_a_number_where_text_belongs_is_refused(api, checklist):
    article, money, date = checklist

    response = api("editor").patch(item_url(money), {"state": "incorrect", "note": 4.2}, format="json")

    assert response.status_code == 400
    assert "note" in response.json()


def test_the_item_list_of_an_unknown_article_is_a_404(api, checklist):
    article, money, date = checklist

    assert api("reporter").get("/api/v1/articles/999999999/items/").status_code == 404
    assert api("reporter").get("/api/v1/articles/999999999/items/", {"state": "gossip"}).status_code == 404
    assert api("reporter").get("/api/v1/articles/not-a-number/items/").status_code == 404
    # An article without items is an empty list, not a 404.
    empty = ArticleFactory()
    assert api("reporter").get(items_url(empty)).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_item_list_is_paged_and_counted_exactly(api, checklist):
    article, money, date = checklist
    reader = api("reporter")

    first = reader.get(items_url(article), {"page_size": 1}).json()
    second = reader.get(first["next"]).json()

    assert (first["count"], [i["id"] for i in first["results"]], first["previous"]) == (2, [money.pk], None)
    assert (second["count"], [i["id"] for i in second["results"]], second["next"]) == (2, [date.pk], None)
    assert second["previous"] is not None
    assert reader.get(items_url(article), {"page": 3, "page_size": 1}).status_code == 404
    assert reader.get(items_url(article), {"page": 0}).status_code == 404
    assert reader.get(items_url(article), {"page": 10**30}).status_code == 404
    assert reader.get(items_url(article), {"page": "last", "page_size": 1}).json()["results"][0]["id"] == date.pk


def test_a_short_page_costs_no_count(api, checklist, django_assert_num_queries):
    article, money, date = checklist
    reader = api("reporter")
    reader.get(items_url(article))

    with django_assert_num_queries(3):  # token, permissions, the page (one row past its end)
        assert reader.get(items_url(article)).json()["count"] == 2


def test_the_blocking_filter_lists_what_readiness_counts(api, checklist):
    article, money, date = checklist
    api("editor").patch(f"/api/v1/items/{money.pk}/", {"state": "verified"}, format="json")

    blocking = api("reporter").get(items_url(article), {"blocking": "true"}).json()
    others = api("reporter").get(items_url(article), {"blocking": "false"}).json()

    assert [item["id"] for item in blocking["results"]] == [date.pk]
    assert [item["id"] for item in others["results"]] == [money.pk]
    assert api("reporter").get(items_url(article), {"blocking": "maybe"}).status_code == 400
