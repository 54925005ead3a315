"""Evidence matching: each checklist item against the article's source documents.

The items are those the real engine extracts from sample 001 (a Russian envoy's briefing
in Manila); the source is a transcript of the briefing written for these tests, which
says some things word for word, some a little differently, and leaves some out.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from articles import evidence
from articles.evidence import (
    ClaimToMatch,
    Evidence,
    SourceIndex,
    SourceText,
    benchmark,
    best_match,
    match_claims,
)
from articles.extraction import extract_claims

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "001_cb18ab48477794f1.txt"

TRANSCRIPT = SourceText(
    7,
    """TRANSCRIPT — Press briefing of H.E. Igor Khovayev, Ambassador of the Russian Federation to the Philippines
Manila

AMBASSADOR KHOVAYEV: Good morning. Both sides are exploring specific opportunities. We are ready to organize a joint \
production of sophisticated arms and small weapons here in the Philippines. You Filipinos will produce Russian arms and \
weapons. There will be Philippine products with Russian technology. We already started working on that.

Q: What about Washington?

AMBASSADOR KHOVAYEV: No third country has the right to interfere in our defense cooperation. Our defense cooperation is \
not against anyone. Your partners must respect the choice of Russia and the Philippines.

Q: And the helicopters?

AMBASSADOR KHOVAYEV: Our officials are actively working on that. You remember that in 2016 the US halted the sale of \
rifles for the Philippine national police. Two years later, Canada suspended a signed deal for 16 helicopters. The \
$235 million agreement was eventually scrapped by President Rodrigo Duterte.

Russia will never teach anyone human rights or something like that and we'll never use our defense cooperation as a \
pretext to interfere to meddle into the domestic affairs of states. It's not possible at all.
""",
)


@functools.lru_cache(maxsize=1)
def article_items() -> tuple[ClaimToMatch, ...]:
    """Sample 001's checklist as the engine extracts it, as items to match."""
    claims = extract_claims(SAMPLE.read_text(encoding="utf-8"), score_sentences=False)
    return tuple(ClaimToMatch(i, c.kind, c.text, c.value, c.sentence) for i, c in enumerate(claims))


def item(kind: str, text_starts: str) -> ClaimToMatch:
    return next(c for c in article_items() if c.kind == kind and c.text.startswith(text_starts))


@functools.lru_cache(maxsize=1)
def against_transcript() -> dict[int, list[Evidence]]:
    return match_claims(article_items(), [TRANSCRIPT])


def evidence_for(claim: ClaimToMatch) -> list[Evidence]:
    return against_transcript()[claim.id]


def assert_points_into(source: SourceText, found: Evidence) -> None:
    assert found.source == source.id
    assert source.text[found.start:found.end] == found.passage


def words(text: str) -> list[str]:
    return [t[0] for t in evidence._tokens(text)]


# -- quotes ---------------------------------------------------------------------------


def test_a_quote_said_word_for_word_is_exact_and_its_passage_points_into_the_source():
    quote = item("quote", "No third country has the right")
    [found] = evidence_for(quote)
    assert found.match == "exact" and found.differences == [] and found.score == 1.0
    assert_points_into(TRANSCRIPT, found)
    assert found.start == TRANSCRIPT.text.index("No third country has the right")
    assert found.passage == "No third country has the right to interfere in our defense cooperation"
    assert words(found.passage) == words(quote.text)
    assert best_match(evidence_for(quote)) == "exact"


def test_a_quote_with_one_word_changed_is_a_variant_naming_the_changed_words():
    quote = item("quote", "We are ready to organize a joint production")
    assert quote.text.endswith("They will be Philippine products with Russian technology")
    found = evidence_for(quote)
    assert best_match(found) == "variant"
    assert found[0].differences == [{"claim": "They", "source": "There"}]
    assert_points_into(TRANSCRIPT, found[0])
    assert found[0].passage.startswith("We are ready to organize")
    assert found[0].passage.endswith("There will be Philippine products with Russian technology")
    assert 0 < found[0].score < 0.5


def test_the_differences_are_only_the_words_that_differ():
    # The previous sentence ends "our defense cooperation": the alignment must not borrow it.
    source = SourceText(1, "No third country may interfere in our defense cooperation. Our military cooperation is not against anyone.")
    [found] = SourceIndex([source]).find(item("quote", "Our defense cooperation is not against anyone"))
    assert found.match == "variant" and found.differences == [{"claim": "defense", "source": "military"}]
    assert found.passage == "Our military cooperation is not against anyone"


def test_a_quote_the_source_does_not_hold_is_not_found():
    quote = item("quote", "Your traditional partners have no right to be jealous")
    assert evidence_for(quote) == []
    assert best_match(evidence_for(quote)) == "not_found"


def test_a_quote_with_typographic_apostrophes_matches_plain_ones_exactly():
    quote = item("quote", "Russia will never teach anyone human rights")
    assert "we’ll" in quote.text and "It’s" in quote.text  # the article's curly apostrophes
    [found] = evidence_for(quote)
    assert found.match == "exact"
    assert "we'll" in found.passage and found.passage.endswith("It's not possible at all")
    assert_points_into(TRANSCRIPT, found)


def test_case_punctuation_quote_marks_dashes_and_compatibility_forms_are_folded():
    source = SourceText(1, "He said: WE'LL NEVER use our \"defense cooperation\" as a pretext -- never, ever.")
    quote = ClaimToMatch(1, "quote", "we’ll never use our “defense ｃｏｏｐｅｒａｔｉｏｎ” as a pretext—never", None)
    [found] = SourceIndex([source]).find(quote)
    assert found.match == "exact"
    assert found.passage == "WE'LL NEVER use our \"defense cooperation\" as a pretext -- never"


def test_quotes_of_one_or_two_words_must_read_word_for_word():
    source = SourceText(1, "Only the advanced ones, he said. The advanced ones are ours.")
    index = SourceIndex([source])
    two_words = index.find(ClaimToMatch(1, "quote", "advanced ones", None))
    assert [f.match for f in two_words] == ["exact", "exact"]
    assert all(source.text[f.start:f.end] == "advanced ones" for f in two_words)
    assert index.find(ClaimToMatch(2, "quote", "Only ones", None)) == []


def test_a_variant_quote_needs_most_of_its_words_to_align():
    source = SourceText(1, "The minister said the new bridge will open to traffic in the spring after delays.")
    index = SourceIndex([source])
    close = index.find(ClaimToMatch(1, "quote", "the new bridge will open to cars in the spring", None))
    assert best_match(close) == "variant" and close[0].differences == [{"claim": "cars", "source": "traffic"}]
    far = index.find(ClaimToMatch(2, "quote", "the old tunnel must close to lorries before the summer", None))
    assert far == []


def test_offsets_stay_exact_after_non_ascii_text_before_the_passage():
    # Ligatures, combining accents and Cyrillic change length under NFKC: offsets must not move.
    preface = "Заявление посла — ﬁnal “draft” Café ½ naïve ﬀ.\n"
    source = SourceText(3, preface + "No third country has the right to interfere in our defense cooperation, he said.")
    [found] = SourceIndex([source]).find(item("quote", "No third country has the right"))
    assert found.start == len(preface)
    assert_points_into(source, found)
    assert found.passage == "No third country has the right to interfere in our defense cooperation"


# -- figures, dates and names ------------------------------------------------------------


def test_an_amount_of_money_changed_in_the_article_is_a_variant_with_both_figures():
    money = item("money", "$233-million")
    assert money.value == {"amount": 233000000, "currency": "USD"}
    [found] = evidence_for(money)
    assert found.match == "variant"
    assert found.differences == [{"claim": "$233-million", "source": "$235 million"}]
    assert found.passage == "The $235 million agreement was eventually scrapped by President Rodrigo Duterte."
    assert_points_into(TRANSCRIPT, found)


def test_a_figure_said_in_the_same_context_is_exact_and_its_passage_is_the_sentence():
    helicopters = item("number", "16 helicopters")
    found = evidence_for(helicopters)
    assert found[0].match == "exact"
    assert found[0].passage == "Two years later, Canada suspended a signed deal for 16 helicopters."
    assert_points_into(TRANSCRIPT, found[0])


def test_a_figure_with_no_value_is_read_from_its_text():
    source = SourceText(1, "The ministry confirmed that the agreement was worth $233 million in total.")
    claim = ClaimToMatch(1, "money", "$233 million", None, "The agreement was worth $233 million.")
    assert best_match(SourceIndex([source]).find(claim)) == "exact"


def test_a_date_is_compared_by_its_normalised_value():
    year = next(c for c in article_items() if c.kind == "date" and c.text == "2016" and "rifles" in c.sentence)
    assert year.value == {"type": "year", "year": 2016}
    found = evidence_for(year)
    assert found[0].match == "exact" and "in 2016 the US halted the sale of rifles" in found[0].passage
    # "Two years after" in the article, "Two years later" in the source: the same offset.
    assert best_match(evidence_for(item("date", "Two years after"))) == "exact"
    other_year = SourceText(2, "In 2015 the US halted the sale of rifles for the Philippine national police.")
    moved = SourceIndex([other_year]).find(year)
    assert best_match(moved) == "variant" and moved[0].differences == [{"claim": "2016", "source": "2015"}]


def test_a_misspelt_name_is_a_variant_naming_both_spellings():
    name = item("name", "Igor Khovaev")
    assert name.value["name"] == "Igor Khovaev"
    found = evidence_for(name)
    assert best_match(found) == "variant"
    assert found[0].differences == [{"claim": "Khovaev", "source": "Khovayev"}]
    assert "Igor Khovayev" in found[0].passage
    assert_points_into(TRANSCRIPT, found[0])


def test_a_name_spelled_as_in_the_source_is_exact():
    found = evidence_for(item("name", "President Rodrigo Duterte"))
    assert found[0].match == "exact" and found[0].score == 1.0 and "Rodrigo Duterte" in found[0].passage


def test_a_name_with_a_possessive_ending_is_the_name():
    source = SourceText(1, "The deal was scrapped during Rodrigo Duterte’s visit to Moscow.")
    [found] = SourceIndex([source]).find(item("name", "President Rodrigo Duterte"))
    assert found.match == "exact" and found.passage == source.text


def test_only_capitalised_source_words_count_for_names():
    source = SourceText(1, "the fomin family grows formin apples, wrote a reporter.")
    assert SourceIndex([source]).find(ClaimToMatch(1, "name", "Alexander Fomin", {"name": "Alexander Fomin"})) == []
    spelled = SourceText(2, "Deputy minister Alexander Formin met the delegation.")
    [found] = SourceIndex([spelled]).find(ClaimToMatch(1, "name", "Alexander Fomin", {"name": "Alexander Fomin"}))
    assert found.match == "variant" and found.differences == [{"claim": "Fomin", "source": "Formin"}]


# -- several sources, none, other kinds ----------------------------------------------------


def test_the_best_evidence_across_sources_comes_first_and_exact_beats_variant():
    quote = item("quote", "No third country has the right")
    changed = SourceText(1, "No other country has the right to interfere in our defense cooperation.")
    word_for_word = SourceText(2, "Khovaev: No third country has the right to interfere in our defense cooperation.")
    found = match_claims([quote], [changed, word_for_word])[quote.id]
    assert [(f.source, f.match) for f in found] == [(2, "exact"), (1, "variant")]
    assert found[1].differences == [{"claim": "third", "source": "other"}]
    assert best_match(found) == "exact"
    assert_points_into(word_for_word, found[0]) and assert_points_into(changed, found[1])


def test_at_most_three_passages_are_kept_best_first():
    source = SourceText(1, " ".join(["Talks began. Our defense cooperation is not against anyone."] * 6))
    found = SourceIndex([source]).find(item("quote", "Our defense cooperation is not against anyone"))
    assert len(found) == evidence.MAX_EVIDENCE
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_without_sources_every_matchable_item_has_no_evidence():
    result = match_claims(article_items(), [])
    matchable = {c.id for c in article_items() if c.kind in evidence.MATCHABLE_KINDS}
    assert set(result) == matchable and all(found == [] for found in result.values())
    assert best_match([]) == "not_found"


def test_kinds_that_are_not_matched_are_absent_from_the_result():
    result = against_transcript()
    kinds = {c.kind for c in article_items()}
    assert {"attribution", "superlative"} <= kinds
    for claim in article_items():
        assert (claim.id in result) == (claim.kind in ("quote", "number", "money", "date", "name"))


def test_best_match_is_the_best_of_an_items_evidence():
    exact = Evidence(1, 0, 3, "abc", "exact", [], 1.0)
    variant = Evidence(1, 5, 8, "abd", "variant", [{"claim": "c", "source": "d"}], 0.4)
    assert best_match([variant, exact]) == "exact"
    assert best_match([variant]) == "variant"
    assert best_match([]) == "not_found"


# -- the module itself -----------------------------------------------------------------------


def test_the_module_imports_no_django():
    tree = ast.parse(Path(evidence.__file__).read_text(encoding="utf-8"))
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [name for name in imported if "django" in name]


def test_the_benchmark_runs_with_small_parameters_and_reports_its_timings():
    result = benchmark(words=300, pages=4, seed=3)
    for key in ("index_seconds", "match_seconds", "items", "source_words", "naive_seconds", "ratio"):
        assert key in result
    assert result["items"] >= 5 and 1500 <= result["source_words"] <= 2500
    assert result["index_seconds"] >= 0 and result["match_seconds"] >= 0 and result["naive_seconds"] > 0
    assert result == {**result, "items": benchmark(words=300, pages=4, seed=3)["items"]}  # deterministic


@pytest.mark.parametrize("kind", ["quote", "money", "number", "date", "name"])
def test_an_empty_source_text_finds_nothing(kind):
    claim = ClaimToMatch(1, kind, "16 helicopters", {"name": "Igor Khovaev"} if kind == "name" else None, "")
    assert SourceIndex([SourceText(1, "")]).find(claim) == []
