import pytest

from articles.extraction import InvalidText, prepare_text


def test_cp1252_bytes_are_decoded_with_the_detected_encoding():
    raw = "“We won,” said Zoë Müller, adding that the café’s takings rose 5%.\n".encode("cp1252")
    article = prepare_text(raw * 3)
    assert "“We won,” said Zoë Müller" in article.body
    assert "café’s" in article.body


def test_utf8_with_bom_is_read_without_the_bom():
    assert prepare_text("\ufeffA short story about the council.".encode("utf-8")).body.startswith("A short")


@pytest.mark.parametrize("raw", [b"", b"   \n\n  ", ""])
def test_empty_input_is_rejected_with_a_readable_reason(raw):
    with pytest.raises(InvalidText, match="empty"):
        prepare_text(raw)


def test_binary_input_is_rejected():
    with pytest.raises(InvalidText, match="binary"):
        prepare_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_cms_settings_related_links_and_signoff_are_dropped():
    raw = (
        "Council approves budget\n\n"
        "showComments: true\n"
        "The council approved the budget on Monday.\n"
        "READ MORE: Mayor pledges new parks\n"
        "The vote was 7-2.\n"
        "AB\n"
    )
    body = prepare_text(raw).body
    assert "showComments" not in body and "READ MORE" not in body
    assert not body.rstrip().endswith("AB")
    assert "The council approved the budget on Monday.\nThe vote was 7-2." in body


def test_initials_glued_to_the_last_sentence_are_dropped():
    body = prepare_text("The plant will open in 2026. Officials declined to comment. KR").body
    assert body.endswith("declined to comment.")


def test_everything_else_is_kept_verbatim_except_line_endings_and_trailing_blank_lines():
    raw = "First line — with “curly” quotes.\r\n\r\nSecond  line,\twith odd   spacing.\r\n\r\n"
    assert prepare_text(raw).body == "First line — with “curly” quotes.\n\nSecond  line,\twith odd   spacing."


def test_a_short_unpunctuated_first_line_is_the_title_and_stays_in_the_body():
    article = prepare_text("Mayor quits after audit\n\nThe mayor resigned on Friday.")
    assert article.title == "Mayor quits after audit"
    assert article.body.startswith("Mayor quits after audit")


def test_a_lead_sentence_is_not_taken_for_a_title():
    assert prepare_text("The mayor resigned on Friday.\n\nShe gave no reason.").title is None


def test_a_title_case_headline_closed_with_a_full_stop_is_still_the_headline():
    from articles.extraction.text import headline_end

    headline = "Mayor Picks Up Her First Union Endorsements."
    lead = "The mayor picked up her first union endorsements on Monday."

    assert headline_end(f"{headline}\n\n{lead}\n") == len(headline)
    assert headline_end(f"{lead}\n\nMore text follows here.\n") == 0
