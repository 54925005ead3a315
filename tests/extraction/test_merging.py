from articles.extraction.merge import Finding, merge_findings
from tests.extraction.helpers import items


def test_overlapping_findings_of_one_kind_become_one_item():
    merged = merge_findings([Finding("superlative", 0, 20), Finding("superlative", 10, 40)])
    assert [(f.start, f.end) for f in merged] == [(0, 40)]


def test_findings_too_broad_together_keep_only_the_first():
    merged = merge_findings([Finding("name", 0, 150), Finding("name", 100, 260)])
    assert [(f.start, f.end) for f in merged] == [(0, 150)]


def test_a_number_inside_a_date_or_amount_is_not_listed_again():
    merged = merge_findings([Finding("date", 0, 15), Finding("number", 0, 9), Finding("money", 20, 30), Finding("number", 21, 30)])
    assert [f.kind for f in merged] == ["date", "money"]


def test_no_two_items_of_a_kind_share_words_in_a_real_article():
    body = (
        "It is the largest and the most expensive stadium ever built in the country, the first of its kind, "
        "and it opened 14 months late at a cost of $1.2 billion."
    )
    claims = items(body, "superlative") + items(body, "number") + items(body, "money")
    for a in claims:
        for b in claims:
            if a is not b and a.kind == b.kind:
                assert a.end <= b.start or b.end <= a.start
