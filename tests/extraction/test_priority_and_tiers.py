"""Priority is risk, and the tier policy turns it into required and recommended items."""

import datetime

from articles.extraction import extract_claims
from articles.extraction.tiers import DEFAULT_POLICY, RECOMMENDED, REQUIRED, TierRule, tier_for


def claims_of(body: str, **kwargs):
    return extract_claims(body, score_sentences=False, **kwargs)


def only(claims, kind: str, text: str):
    return next(c for c in claims if c.kind == kind and text in c.text)


def test_a_claim_on_an_unnamed_source_is_high_risk_and_required():
    body = (
        "The ministry plans to buy 16 helicopters, according to diplomatic sources.\n"
        "The minister said the ministry would review the plan.\n"
    )
    claims = claims_of(body)

    unnamed = next(c for c in claims if c.kind == "attribution" and "diplomatic" in c.sentence)
    assert unnamed.priority >= 85
    assert unnamed.tier == REQUIRED


def test_figures_money_and_firsts_outrank_a_vague_date():
    body = (
        "The council approved a $4.5-million budget this month, the first increase in a decade.\n"
        "It will hire 40 inspectors.\n"
    )
    claims = claims_of(body)

    money = only(claims, "money", "$4.5-million")
    number = only(claims, "number", "40 inspectors")
    superlative = next(c for c in claims if c.kind == "superlative")
    vague = only(claims, "date", "this month")
    assert min(money.priority, number.priority, superlative.priority) > vague.priority
    assert (money.tier, number.tier, superlative.tier) == (REQUIRED, REQUIRED, REQUIRED)
    assert vague.tier == RECOMMENDED


def test_a_date_that_places_an_event_is_required_and_today_is_recommended():
    claims = claims_of("The treaty was signed in 1951.\nThe talks resumed last month.\nShe spoke today.\n")

    assert only(claims, "date", "1951").tier == REQUIRED
    assert only(claims, "date", "last month").tier == REQUIRED
    assert only(claims, "date", "today").tier == RECOMMENDED


def test_an_allegation_of_wrongdoing_raises_the_priority_of_the_claim_carrying_it():
    plain = "The mayor approved the contract for the bridge, the newspaper reported.\n"
    alleging = "The mayor took bribes for the bridge contract, the newspaper reported.\n"
    scorer = lambda sentences: [0.7 for _ in sentences]  # noqa: E731 - the same score for both

    plain_claim = next(c for c in extract_claims(plain, score_sentences=scorer) if c.kind in ("statement", "attribution"))
    alleging_claim = next(
        c for c in extract_claims(alleging, score_sentences=scorer) if c.kind == plain_claim.kind
    )

    assert alleging_claim.priority > plain_claim.priority
    assert "respond" in alleging_claim.guidance


def test_guidance_reads_like_a_note_and_shows_no_internal_values():
    body = "Officials met on Oct. 22 to sign the deal.\nThe ministry said it acted last month.\n"
    claims = claims_of(body, published_on=datetime.date(2026, 11, 5))

    date = only(claims, "date", "Oct. 22")
    relative = only(claims, "date", "last month")
    assert "= " not in date.guidance and "{" not in date.guidance
    assert date.guidance.startswith("Check that")
    assert "October 2026" in relative.guidance


def test_the_first_matching_rule_gives_the_tier_and_no_match_means_required():
    rules = (
        TierRule(RECOMMENDED, kind="date", min_priority=0),
        TierRule(REQUIRED, kind="date"),
    )

    assert tier_for(rules, kind="date", source_type=None, priority=90) == RECOMMENDED
    assert tier_for(rules, kind="name", source_type=None, priority=10) == REQUIRED
    assert tier_for((), kind="quote", source_type=None, priority=0) == REQUIRED


def test_the_engine_applies_the_policy_it_is_given():
    body = "The treaty was signed in 1951.\n"
    everything_recommended = (TierRule(RECOMMENDED),)

    assert only(claims_of(body), "date", "1951").tier == REQUIRED
    assert only(claims_of(body, tier_policy=everything_recommended), "date", "1951").tier == RECOMMENDED


def test_the_default_policy_ends_with_a_rule_for_every_item():
    assert DEFAULT_POLICY[-1].kind is None and DEFAULT_POLICY[-1].min_priority == 0
