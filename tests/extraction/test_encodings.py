"""Which encoding an article's bytes are read in.

English text that is not UTF-8 decodes as Windows-1252 unless the evidence for another
encoding is strong; UTF-8 is always read as UTF-8.
"""

import codecs

import pytest

from articles.extraction import prepare_text

EARNINGS = (
    "Acme beats forecasts\n\n"
    "LONDON — Acme Plc reported pre-tax profit of £15.8m for the year, and its parent raised "
    "€3bn from a bond sale, the company said on Tuesday.\n\n"
    "“It was a record year,” said chief executive Zoë Müller. "
    "Analysts called the results ‘solid’ but warned that costs were rising."
)

# Written for these tests: a council story in Russian and a central-bank story in Japanese.
RUSSIAN = (
    "Городской совет утвердил бюджет\n\n"
    "Городской совет во вторник утвердил бюджет на следующий год. По словам мэра, на ремонт "
    "дорог выделят 15 миллионов рублей, а новая школа откроется осенью.\n\n"
    "Депутаты от оппозиции проголосовали против и заявили, что расходы на транспорт занижены."
)
JAPANESE = (
    "日銀、政策金利を据え置き\n\n"
    "日本銀行は金曜日、政策金利を据え置くと発表した。総裁は記者会見で、物価の上昇は一時的な"
    "ものだと述べた。\n\n"
    "市場関係者の多くは、年内の利上げを予想している。政府は来年度予算で防衛費を増やす方針だ。"
)
GREEK = (
    "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη τον προϋπολογισμό της πόλης για το επόμενο έτος.\n\n"
    "Σύμφωνα με τον δήμαρχο, θα διατεθούν 15 εκατομμύρια ευρώ για την επισκευή των δρόμων."
)


def test_windows_1252_money_quotes_and_dashes_are_read_as_written():
    article = prepare_text(EARNINGS.encode("cp1252"))

    assert article.body == EARNINGS
    for text in ["£15.8m", "€3bn", "“It was a record year,”", "‘solid’", "LONDON — Acme"]:
        assert text in article.body


@pytest.mark.parametrize(
    "text",
    [
        "Profit rose to £15.8m.",
        "Revenue £15.8m",
        "Acme reported pre-tax profit of £15.8m on Tuesday.",
    ],
)
def test_a_short_article_whose_only_non_ascii_byte_is_a_pound_sign_keeps_it(text):
    raw = text.encode("cp1252")
    assert raw.count(b"\xa3") == 1 and sum(byte > 0x7F for byte in raw) == 1

    assert prepare_text(raw).body == text


def test_a_byte_windows_1252_leaves_unassigned_does_not_change_how_the_rest_is_read():
    raw = "Profit rose to £15.8m.".encode("cp1252") + b"\x81"

    assert prepare_text(raw).body == "Profit rose to £15.8m.\x81"


def test_western_languages_with_accented_letters_are_read_as_windows_1252():
    text = (
        "Le président a déclaré mardi que le gouvernement allouera 15 milliards d’euros à la "
        "construction de nouveaux hôpitaux. Les travaux débuteront au printemps, a précisé la ministre."
    )
    assert prepare_text(text.encode("cp1252")).body == text


@pytest.mark.parametrize(
    "text, encoding",
    [(RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (JAPANESE, "shift_jis"), (GREEK, "cp1253")],
    ids=["russian-cp1251", "russian-koi8-r", "japanese-shift-jis", "greek-cp1253"],
)
def test_a_document_in_a_non_latin_script_is_read_in_its_own_encoding(text, encoding):
    assert prepare_text(text.encode(encoding)).body == text


@pytest.mark.parametrize("bom", [b"", "\ufeff".encode("utf-8")], ids=["utf-8", "utf-8-with-bom"])
def test_utf8_is_read_as_utf8(bom):
    assert prepare_text(bom + EARNINGS.encode("utf-8")).body == EARNINGS


def test_utf8_of_a_short_text_is_not_mistaken_for_windows_1252():
    raw = "Profit rose to £15.8m.".encode("utf-8")
    assert raw.decode("cp1252") == "Profit rose to Â£15.8m.", "the same bytes are valid Windows-1252"

    assert prepare_text(raw).body == "Profit rose to £15.8m."


def test_utf16_with_a_byte_order_mark_is_read_as_utf16():
    text = "Shares fell 5% to £15.8m, the company said.\n"
    for encoding in ("utf-16", "utf-16-be"):
        raw = text.encode(encoding)
        if encoding == "utf-16-be":
            raw = codecs.BOM_UTF16_BE + raw
        assert prepare_text(raw).body == text.rstrip("\n")
