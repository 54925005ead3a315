"""When two claims of different articles are the same claim, a variant, or unrelated (plain Python)."""

from articles import matching
from articles.matching import SAME, VARIANT, relation, wording_of

READY = (
    "We are ready to organize a joint production of sophisticated arms and small weapons here in the "
    "Philippines. You Filipinos will produce Russian arms and weapons. {} will be Philippine products with "
    "Russian technology"
)


def quote(text, speaker=""):
    return wording_of("quote", text, speaker=speaker)


def test_the_same_words_up_to_punctuation_case_and_spacing_by_the_same_speaker_are_the_same_claim():
    assert relation(
        quote("We already started working on that", "Khovaev"),
        quote("we already  started working on that.", "Igor Khovaev"),
    ) == SAME


def test_typographic_quotes_and_apostrophes_do_not_make_a_difference():
    assert relation(quote("We’ll never use our cooperation against anyone"), quote("We'll never use our cooperation against anyone")) == SAME


def test_one_changed_word_in_a_quote_makes_a_variant():
    assert relation(quote(READY.format("There"), "Khovaev"), quote(READY.format("They"), "Igor Khovaev")) == VARIANT


def test_a_quote_with_a_sentence_added_is_a_variant():
    short = (
        "Both sides are committed to open new horizons of our defense cooperation, and one of these horizons "
        "is the joint production, joint manufacturing of arms and weapons on Philippine soil"
    )
    longer = "I can only express my hope that it can be done as soon as possible. " + short
    assert relation(quote(short), quote(longer)) == VARIANT


def test_a_fragment_quoted_from_a_long_quote_is_not_a_variant_of_it():
    fragment = "a joint production of sophisticated arms and small weapons"
    assert relation(quote(fragment), quote(READY.format("There"))) is None


def test_the_same_words_from_two_named_people_are_a_variant_not_the_same_claim():
    assert relation(
        quote("We want to be a reliable partner for many years", "Igor Khovaev"),
        quote("We want to be a reliable partner for many years", "Sergey Shoygu"),
    ) == VARIANT


def test_a_role_or_a_body_as_speaker_may_be_anyone():
    assert matching.speakers_agree("the Russian ambassador", "Igor Khovaev")
    assert matching.speakers_agree("DFA", "Igor Khovaev")
    assert matching.speakers_agree("", "Igor Khovaev")
    assert not matching.speakers_agree("Sergey Shoygu", "Igor Khovaev")


def test_unrelated_quotes_are_not_related():
    assert relation(
        quote("Our defense cooperation is not against anyone"),
        quote("The first step should be the signing of some relevant bilateral agreements"),
    ) is None


def test_short_quotes_recur_by_chance_and_are_not_linked():
    assert wording_of("quote", "actively working") is None


def test_names_dates_and_spelling_checks_are_not_linked():
    for kind in ("name", "date", "consistency"):
        assert wording_of(kind, "President Rodrigo Duterte of the Philippines said so") is None


def test_a_figure_is_compared_by_the_words_around_it_and_its_value():
    sentence = "The Philippines signed the {} agreement with Canada for 16 helicopters last year."
    same_deal = lambda amount, value: wording_of(  # noqa: E731
        "money", amount, sentence.format(amount), value={"amount": value, "currency": "USD"}
    )
    assert relation(same_deal("$233-million", 233_000_000), same_deal("$233 million", 233_000_000)) == SAME
    assert relation(same_deal("$233-million", 233_000_000), same_deal("$235-million", 235_000_000)) == VARIANT
    other = wording_of(
        "money", "$233-million", "A $233-million stadium opens in Lyon next spring after years of delay.",
        value={"amount": 233_000_000, "currency": "USD"},
    )
    assert relation(same_deal("$233-million", 233_000_000), other) is None


def test_a_figure_is_never_related_to_a_quote():
    figure = wording_of("number", "16", "Manila considers buying at least 16 helicopters from Russia.", value={"value": 16})
    assert relation(figure, quote("Manila considers buying at least 16 helicopters from Russia")) is None


def test_the_same_claim_shares_its_exact_key_and_a_variant_shares_a_minhash_band():
    a, b = quote(READY.format("There")), quote(READY.format("They"))
    assert matching.exact_key(quote("We already started working on that")) == matching.exact_key(
        quote("We already started working on that!")
    )
    assert matching.exact_key(a) != matching.exact_key(b)
    assert set(matching.band_keys(a)) & set(matching.band_keys(b))


def test_unrelated_wordings_share_no_key():
    a = quote("The first step should be the signing of some relevant bilateral agreements")
    b = quote("Russia will never teach anyone human rights or something like that")
    assert not set(matching.keys(a)) & set(matching.keys(b))


def test_keys_fit_a_signed_64_bit_column():
    assert all(0 <= key < 2**63 for key in matching.keys(quote(READY.format("There"))))


def test_a_name_is_keyed_by_its_last_word_without_titles():
    assert matching.name_key("Igor Khovaev") == matching.name_key("Ambassador Khovaev") == matching.name_key("Khovaev")
    assert matching.name_key("President") is None


def test_the_difference_marks_only_the_changed_words_and_keeps_each_texts_own_punctuation():
    here, there = matching.word_difference("There will be Philippine products.", "They will be Philippine products!")
    assert [(p.text, p.changed) for p in here] == [("There", True), (" will be Philippine products.", False)]
    assert [(p.text, p.changed) for p in there] == [("They", True), (" will be Philippine products!", False)]
    assert matching.changed_words("a long-term strategic cooperation (with the Philippines).", "a long-term strategic cooperation.") == (
        ["with the Philippines"],
        [],
    )
