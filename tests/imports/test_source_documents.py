"""Reading the text of source documents (transcripts, press releases, filings): plain Python, no database.

Every fixture is built here: PDFs written byte by byte (and encrypted with pypdf's writer),
Word documents with python-docx, HTML and text in the test.
"""

import codecs
import io
import random
import zipfile

import pytest

from articles.importers.base import UnreadableInput
from articles.importers.documents import SOURCE_FORMATS, SourceDocumentText, read_source_document

QUOTE = "There will be Philippine products with Russian technology"


# Fixtures ---------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def text_stream(lines: list[str]) -> bytes:
    """A content stream writing ``lines`` in 12-point Helvetica, one under the other."""
    parts = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
    for line in lines:
        parts.append(_pdf_string(line) + b" Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def make_pdf(page_streams: list[bytes | None], *, title: str | None = None) -> bytes:
    """A minimal valid PDF: one page per content stream (None: a page with no content at all)."""
    objects: list[bytes] = []
    page_ids = []
    # 1 catalog, 2 page tree, 3 font, then each page and its content stream.
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, once the page numbers are known
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for stream in page_streams:
        page_id = len(objects) + 1
        page_ids.append(page_id)
        resources = b"/Resources << /Font << /F1 3 0 R >> >>"
        if stream is None:
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + resources + b" >>")
            continue
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            + resources
            + f" /Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    kids = " ".join(f"{number} 0 R" for number in page_ids)
    objects[1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    info = None
    if title is not None:
        objects.append(b"<< /Title " + _pdf_string(title) + b" /Producer (hand) >>")
        info = len(objects)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted(pdf: bytes, *, user_password: str, algorithm: str = "AES-256") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


TWO_PAGE_PDF = make_pdf(
    [
        text_stream(["Transcript of the press conference, 4 March 2024", "", f'"{QUOTE}," the minister said.']),
        text_stream(["Questions from reporters followed (about 20 minutes)."]),
    ],
    title="Press conference transcript",
)


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(UnreadableInput) as caught:
        read_source_document(data, **kwargs)
    return str(caught.value)


# PDF --------------------------------------------------------------------------------------


def test_a_pdf_gives_its_text_page_by_page_with_title_and_page_count():
    source = read_source_document(TWO_PAGE_PDF, filename="transcript.pdf")

    assert isinstance(source, SourceDocumentText)
    assert source.format == "pdf"
    assert source.pages == 2
    assert source.title == "Press conference transcript"
    assert f'"{QUOTE}," the minister said.' in source.text
    # Pages are paragraphs of their own: a blank line between them.
    first, second = source.text.split("\n\n")
    assert first.startswith("Transcript of the press conference")
    assert second == "Questions from reporters followed (about 20 minutes)."


def test_words_of_a_pdf_are_separated_by_single_spaces_so_that_words_match():
    source = read_source_document(TWO_PAGE_PDF)

    words = [word.strip('",.') for word in source.text.split()]
    start = words.index("There")
    assert words[start : start + len(QUOTE.split())] == QUOTE.split()
    assert "Philippine products with Russian technology" in source.text
    assert "  " not in source.text


def test_words_a_pdf_spaces_out_by_kerning_or_positioning_are_not_glued():
    kerned = b"BT /F1 12 Tf 72 720 Td [(There)-278(will)-278(be)-278(Philippine)-278(products)] TJ ET"
    positioned = b"BT /F1 12 Tf 72 700 Td (with) Tj 30 0 Td (Russian) Tj 48 0 Td (technology) Tj ET"

    source = read_source_document(make_pdf([kerned + b"\n" + positioned]))

    assert "There will be Philippine products" in source.text
    assert "with Russian technology" in source.text


def test_a_pdf_protected_by_a_password_is_refused_with_what_to_do():
    message = refusal(encrypted(TWO_PAGE_PDF, user_password="secret"), filename="filing.pdf")

    assert message.startswith("This PDF is protected by a password")
    assert "without the password" in message


def test_a_pdf_that_only_restricts_printing_or_copying_opens_without_a_password():
    # Court filings and government reports often carry an owner password only (AES-128 here).
    source = read_source_document(encrypted(TWO_PAGE_PDF, user_password="", algorithm="AES-128"))

    assert QUOTE in source.text
    assert source.pages == 2


def test_a_pdf_without_text_is_refused_as_a_probable_scan():
    message = refusal(make_pdf([None, None]), filename="scan.pdf")

    assert message == "This PDF holds no text (a scan?): paste the text or attach a text version."


def test_a_pdf_with_empty_text_on_some_pages_keeps_the_pages_that_have_text():
    source = read_source_document(make_pdf([None, text_stream(["Only the second page has text."])]))

    assert source.text == "Only the second page has text."
    assert source.pages == 2


def test_a_damaged_or_truncated_pdf_is_refused_as_unreadable():
    for damaged in (b"%PDF-1.7\nthis is not a PDF body at all", TWO_PAGE_PDF[: len(TWO_PAGE_PDF) // 3]):
        message = refusal(damaged, filename="report.pdf")

        assert message.startswith("This PDF cannot be read: ")
        assert "damaged" in message


def test_a_pdf_with_more_pages_than_allowed_is_refused_with_the_numbers():
    three_pages = make_pdf([text_stream([f"Page {n}"]) for n in (1, 2, 3)])

    assert read_source_document(three_pages, max_pages=3).pages == 3
    message = refusal(three_pages, max_pages=2)
    assert "3 pages" in message and "at most 2" in message


def test_a_pdf_whose_text_is_too_long_is_refused_before_reading_every_page():
    pages = make_pdf([text_stream(["x" * 60]) for _ in range(5)])

    message = refusal(pages, max_chars=100)

    assert "too long" in message
    assert "at most 100" in message
    assert "by page 2 of 5" in message


def test_a_file_called_pdf_that_is_not_one_is_refused():
    message = refusal(b"Just some words, saved with the wrong name.", filename="filing.pdf")

    assert "not a PDF" in message


# DOCX -------------------------------------------------------------------------------------


def test_a_word_document_gives_its_paragraphs_and_tables_in_order_with_its_title():
    def build(document):
        document.core_properties.title = "Ministry press release"
        document.add_heading("Defence cooperation agreement signed", level=1)
        document.add_paragraph(f'"{QUOTE}," the secretary said.')
        table = document.add_table(rows=2, cols=3)
        for row, values in zip(table.rows, (("Year", "Budget", "Units"), ("2024", "$1.2 billion", "40"))):
            for cell, value in zip(row.cells, values):
                cell.text = value
        document.add_paragraph("Notes to editors: the agreement runs for five years.")

    source = read_source_document(make_docx(build), filename="release.docx")

    assert source.format == "docx"
    assert source.title == "Ministry press release"
    assert source.pages is None
    assert source.text == (
        "Defence cooperation agreement signed\n\n"
        f'"{QUOTE}," the secretary said.\n\n'
        "Year\tBudget\tUnits\n2024\t$1.2 billion\t40\n\n"
        "Notes to editors: the agreement runs for five years."
    )


def test_a_merged_table_cell_is_read_once():
    def build(document):
        table = document.add_table(rows=1, cols=3)
        merged = table.cell(0, 0).merge(table.cell(0, 1))
        merged.text = "Total"
        table.cell(0, 2).text = "812"

    assert read_source_document(make_docx(build)).text == "Total\t812"


def test_a_word_document_without_text_is_refused():
    assert refusal(make_docx(lambda document: None)) == "This Word document holds no text."


def test_a_word_document_protected_by_a_password_is_refused_with_what_to_do():
    # Word saves it as an OLE compound file holding an "EncryptedPackage" stream.
    protected = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le")

    message = refusal(protected, filename="statement.docx")

    assert message.startswith("This document is protected by a password")


def test_other_office_packages_and_plain_zips_are_refused_by_name():
    def package(names: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, content in names.items():
                archive.writestr(name, content)
        return out.getvalue()

    workbook = refusal(package({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}))
    archive = refusal(package({"notes.txt": b"hello"}), filename="sources.zip")

    assert "an Excel workbook" in workbook
    assert archive == (
        "This file (a ZIP archive: attach the documents in it one by one) is not a format sources"
        " can be read from (text, HTML, PDF, DOCX)."
    )


# HTML -------------------------------------------------------------------------------------

PRESS_RELEASE = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ministry of Defence | Press release: cooperation agreement</title>
  <style>body { font-family: "STYLE LEAK"; }</style>
  <script>var tracking = "SCRIPT LEAK"; dataLayer.push({});</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/news">NAV LEAK</a></nav>
  <main>
    <h1>Cooperation agreement signed</h1>
    <p>MANILA, 4 March 2024 &ndash; The secretary said:
       &ldquo;There will be Philippine products with <em>Russian</em> technology.&rdquo;</p>
    <p>READ: Earlier agreements</p>
    <table>
      <tr><th>Year</th><th>Budget</th></tr>
      <tr><td>2024</td><td>$1.2 billion</td></tr>
    </table>
    <ul><li>First point</li><li>Second point</li></ul>
    <p>Line one<br>Line two</p>
    <script>document.write("SCRIPT LEAK 2")</script>
    <div hidden>HIDDEN LEAK</div>
  </main>
  <aside><h2>Notes to editors</h2><p>The agreement runs for five years.</p></aside>
  <footer><p>Contact: press@example.gov</p></footer>
  <noscript>NOSCRIPT LEAK</noscript>
</body>
</html>
"""


def test_an_html_page_keeps_all_of_its_body_text_without_scripts_styles_or_menus():
    source = read_source_document(PRESS_RELEASE, filename="release.html")

    assert source.format == "html"
    assert source.title == "Ministry of Defence | Press release: cooperation agreement"
    assert source.pages is None
    assert "“There will be Philippine products with Russian technology.”" in source.text
    # Not just the article: the notes to editors, the contact, even a "READ:" line are evidence.
    for kept in ("Notes to editors", "The agreement runs for five years.", "Contact: press@example.gov", "READ: Earlier agreements"):
        assert kept in source.text
    for leak in ("SCRIPT LEAK", "STYLE LEAK", "dataLayer", "NAV LEAK", "HIDDEN LEAK", "NOSCRIPT LEAK"):
        assert leak not in source.text


def test_an_html_page_keeps_blocks_apart_and_table_rows_and_list_items_on_lines():
    text = read_source_document(PRESS_RELEASE).text

    assert text.startswith("Cooperation agreement signed\n\nMANILA, 4 March 2024 – The secretary said:")
    assert "Year\tBudget\n2024\t$1.2 billion" in text
    assert "First point\nSecond point" in text
    assert "Line one\nLine two" in text
    assert "\n\n\n" not in text


def test_html_is_recognised_by_its_content_whatever_the_file_is_called():
    assert read_source_document(PRESS_RELEASE, filename="download", content_type="application/octet-stream").format == "html"


def test_a_page_saved_by_a_browser_is_recognised_as_html_after_its_leading_comment():
    saved = b"<!-- saved from url=(0040)https://example.gov/press -->\n<html><body><p>Saved text.</p></body></html>"

    source = read_source_document(saved)

    assert (source.format, source.text) == ("html", "Saved text.")


def test_text_nested_deep_in_a_page_is_not_lost():
    page = b"<html><body>" + b"<div>" * 1000 + b"Deep quote." + b"</div>" * 1000 + b"</body></html>"

    assert read_source_document(page).text == "Deep quote."


def test_an_html_fragment_is_read_as_html_when_the_name_or_type_says_so():
    fragment = b"Statement by the mayor. <b>We will not</b> raise taxes."

    assert read_source_document(fragment, content_type="text/html; charset=utf-8").text == (
        "Statement by the mayor. We will not raise taxes."
    )
    assert read_source_document(fragment, filename="notes.txt").text == fragment.decode()


def test_an_html_page_in_a_declared_legacy_encoding_is_decoded_by_its_declaration():
    page = '<html><head><meta charset="koi8-r"><title>Заявление</title></head><body><p>Мы подпишем соглашение.</p></body></html>'

    source = read_source_document(page.encode("koi8-r"))

    assert source.title == "Заявление"
    assert source.text == "Мы подпишем соглашение."


# Plain text -------------------------------------------------------------------------------


def test_text_in_windows_1252_is_decoded():
    transcript = "Q: And the cost?\r\nA: \u201cAbout \u00a3200 million,\u201d she said \u2013 caf\u00e9 prices.\r\n"

    source = read_source_document(transcript.encode("cp1252"), filename="interview.txt")

    assert source.format == "text"
    assert source.title == ""
    assert source.pages is None
    assert source.text == "Q: And the cost?\nA: \u201cAbout \u00a3200 million,\u201d she said \u2013 caf\u00e9 prices."


def test_text_in_utf16_with_a_byte_order_mark_is_decoded():
    data = f"Interview with the minister\n\n{QUOTE}.".encode("utf-16")
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    source = read_source_document(data)

    assert source.format == "text"
    assert source.text == f"Interview with the minister\n\n{QUOTE}."


def test_text_is_cleaned_lightly_and_nothing_is_dropped_as_boilerplate():
    raw = (
        b"\r\n\r\nREAD: Related story here\r\n"
        b"enablePagination: false\r\n"
        b"Speaker 1:\tWe said it. \x07\x1b  \r\n\r\n\r\n\r\n"
        b"Speaker 2: No.\x0c\n"
        b"JE\n\n\n"
    )

    text = read_source_document(raw).text

    assert text == (
        "READ: Related story here\n"
        "enablePagination: false\n"
        "Speaker 1:\tWe said it.\n\n"
        "Speaker 2: No.\n\n"
        "JE"
    )


def test_the_same_bytes_always_give_the_same_text():
    for data in (TWO_PAGE_PDF, PRESS_RELEASE, "caf\u00e9 \u2013 ok".encode("cp1252")):
        assert read_source_document(data) == read_source_document(data)


# Refusals ---------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."
    assert refusal(b" \r\n\t\n") == "The file is empty."


def test_a_text_longer_than_the_limit_is_refused_with_the_numbers():
    message = refusal(b"word " * 30, max_chars=100)

    assert message.startswith("This document is too long: its text is 149 characters")
    assert "at most 100" in message
    assert read_source_document(b"word " * 20, max_chars=100).text == ("word " * 20).strip()


def test_random_binary_is_refused_as_not_text():
    junk = random.Random(20240304).randbytes(4096)

    message = refusal(junk, filename="upload.bin")

    assert message.startswith("This file is not text: ")
    assert "(text, HTML, PDF, DOCX)" in message


def test_images_and_programs_are_refused_by_name():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64

    assert refusal(png, filename="photo.png") == (
        "This file (a PNG image) is not a format sources can be read from (text, HTML, PDF, DOCX)."
    )
    assert "(a JPEG image)" in refusal(jpeg)
    assert "(a Windows program)" in refusal(exe)
    assert "save it as DOCX or PDF" in refusal(old_word, filename="filing.doc")


def test_text_that_happens_to_start_like_a_binary_signature_is_still_text():
    assert read_source_document(b"BMW said sales rose 4%.").text == "BMW said sales rose 4%."
    assert read_source_document(b"MZ Holdings denied the report.").text == "MZ Holdings denied the report."


def test_every_result_format_is_one_of_the_source_formats():
    docx = make_docx(lambda document: document.add_paragraph("One line."))
    formats = {read_source_document(data).format for data in (TWO_PAGE_PDF, PRESS_RELEASE, b"plain", docx)}

    assert formats == set(SOURCE_FORMATS)
