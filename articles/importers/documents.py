"""Reading the text of source documents: transcripts, press releases, court filings, reports.

Reporters attach their sources to an article so that its claims can be matched against
them. ``read_source_document(data, filename=..., content_type=...)`` returns the plain
text of one file (``SourceDocumentText``) or raises ``UnreadableInput`` with a message
for the person who uploaded it. Plain Python, no Django.

The format is taken from the content first (``%PDF-``, a ZIP holding
``word/document.xml``, HTML markup at the start), then from the file name and the
Content-Type. Image, archive, program and office formats we cannot read are refused by
name ("This file (a PNG image) is not a format sources can be read from ...").

A source is evidence, so unlike an article nothing is dropped as boilerplate:

- **text** is decoded as every article text is (``extraction.text.decode_bytes``: UTF-8,
  a UTF-16 byte-order mark, Windows-1252, or the encoding a detector finds);
- **HTML** keeps all the text of the page body, not only the article trafilatura would
  pick: a press release's notes to editors, a table of figures or a sidebar quote are as
  much evidence as its first paragraphs. Only what a reader never sees as text is left
  out: scripts, styles, ``<noscript>``, the ``<head>`` (its ``<title>`` is the title),
  embedded SVG and frames, form option lists, ``hidden`` elements and ``<nav>`` menus.
  Block elements are separated by blank lines, list items and table rows by line
  breaks, table cells by tabs;
- **PDF** (pypdf) is read page by page with ``page.extract_text()``, pages separated by
  blank lines. Within a page the PDF's own lines are kept as lines (a PDF has no
  paragraphs to recover without guessing); runs of spaces are collapsed. A hyphen at the
  end of a line is kept as it is ("well-\\nknown" stays two lines: joining would turn
  "well-known" into "wellknown"), except a soft hyphen (U+00AD), which only a
  hyphenating layout puts there and which is removed with its line break. Typographic
  ligatures (U+FB00-FB06, "ﬁ") are spelled out so that words match;
- **DOCX** (python-docx): body paragraphs and tables in document order, a table row by row,
  one line per row with the cells separated by tabs. Headers, footers, footnotes,
  comments and text boxes are not read.

Every format then gets the same light cleaning: line endings become ``\\n``, control
characters other than tab and newline are removed, trailing whitespace is stripped,
runs of blank lines become one blank line, and leading and trailing blank lines go.
The same bytes always give the same text (for one version of pypdf and python-docx: store
the text, do not re-read the file, when offsets point into it).
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from ..extraction.text import InvalidText, decode_bytes
from .base import UnreadableInput

TEXT, HTML, PDF, DOCX = "text", "html", "pdf", "docx"
SOURCE_FORMATS = (TEXT, HTML, PDF, DOCX)

_FORMATS_LIST = "text, HTML, PDF, DOCX"

# A Word document unpacks to its XML and media; beyond this it is not a document to read.
_MAX_DOCX_UNPACKED_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocumentText:
    """The plain text of a source document; offsets into ``text`` are final."""

    text: str
    format: str
    title: str
    pages: int | None


def read_source_document(
    data: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    max_chars: int = 5_000_000,
    max_pages: int = 1000,
) -> SourceDocumentText:
    """The text of a source document in one of ``SOURCE_FORMATS``.

    The format comes from the content (magic bytes: ``%PDF-``; a ZIP with
    ``word/document.xml`` for DOCX; HTML markup at the start), then from ``filename``
    and ``content_type``. Raises ``UnreadableInput`` with a message for the person who
    uploaded the file: empty, not a format we read, damaged, password-protected, a PDF
    without text (a scan), more than ``max_pages`` pages or ``max_chars`` characters.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("read_source_document reads bytes")
    data = bytes(data)
    if not data.strip():
        raise UnreadableInput("The file is empty.")
    kind = _detect(data, filename=filename, content_type=content_type)
    if kind == PDF:
        return _read_pdf(data, max_chars=max_chars, max_pages=max_pages)
    if kind == DOCX:
        text, title = _read_docx(data)
    elif kind == HTML:
        text, title = _read_html(data, content_type=content_type)
    else:
        text, title = _read_text(data), ""
    text = clean_source_text(text)
    if not text:
        raise UnreadableInput(_EMPTY_MESSAGES[kind])
    _check_length(len(text), max_chars)
    return SourceDocumentText(text=text, format=kind, title=title, pages=None)


_EMPTY_MESSAGES = {
    TEXT: "The file is empty.",
    HTML: "This page holds no text.",
    DOCX: "This Word document holds no text.",
}


def clean_source_text(text: str) -> str:
    """``text`` with the light cleaning every source gets (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_LINE_BREAKS)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


# Form feeds (page breaks in text files), vertical tabs and Unicode line separators are
# line breaks; a Unicode paragraph separator is a paragraph break.
_LINE_BREAKS = str.maketrans({"\f": "\n", "\v": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def _check_length(length: int, max_chars: int, *, so_far: str = "") -> None:
    """Refuses a text over ``max_chars``; ``so_far`` says where reading stopped (a PDF's page)."""
    if length > max_chars:
        how_long = f"at least {length:,} characters {so_far}" if so_far else f"{length:,} characters"
        raise UnreadableInput(
            f"This document is too long: its text is {how_long}, and a source can have"
            f" at most {max_chars:,}. Split it, or attach only the part the article relies on."
        )


# Detection ---------------------------------------------------------------------------------

_PDF_HEADER = b"%PDF-"
_ZIP_HEADER = b"PK\x03\x04"
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|section|meta|title|table|ul|ol|span|a|br|b|i|em|strong|header|nav)[\s>/]"
)
_TAG = re.compile(rb"<[a-zA-Z!/]")
_XML_DECLARATION = re.compile(rb"<\?xml[^>]*\?>\s*")
# A page saved by a browser starts with "<!-- saved from url=... -->".
_LEADING_COMMENTS = re.compile(rb"^\s*(?:<!--.*?-->\s*)*", re.DOTALL)

_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# Formats recognised by their first bytes and refused by name.
_KNOWN_BINARY = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", None),  # BMP only with a plausible header, checked below
    (b"\x00\x00\x01\x00", "an icon"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls or .ppt): save it as DOCX or PDF"),
    (b"{\\rtf", "an RTF document: save it as DOCX or PDF"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\xca\xfe\xba\xbe", "a program"),
    (b"\xcf\xfa\xed\xfe", "a program"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"BZh", None),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "a compressed (xz) file"),
    (b"\x28\xb5\x2f\xfd", "a compressed (zstd) file"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio or video file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1aE\xdf\xa3", "a video (Matroska or WebM)"),
    (b"SQLite format 3\x00", "a database"),
    (b"%!PS", "a PostScript file: save it as PDF"),
    (b"wOFF", "a font"),
    (b"wOF2", "a font"),
)


def _detect(data: bytes, *, filename: str, content_type: str) -> str:
    suffix = _suffix(filename)
    kind = _mime(content_type)
    if _PDF_HEADER in data[:1024]:
        # Readers accept the header anywhere in the first kilobyte (junk before it is common).
        return PDF
    if data.startswith(_ZIP_HEADER):
        return _zip_format(data, suffix)
    if data.startswith(_OLE_HEADER) and _OLE_ENCRYPTED_PACKAGE in data:
        # Word saves a document protected by a password as an encrypted package in an OLE file.
        raise UnreadableInput(
            "This document is protected by a password, so its text cannot be read: attach a copy"
            " without the password, or paste the text."
        )
    binary = _binary_format(data)
    if binary is not None:
        raise UnreadableInput(_not_a_source_format(binary))
    if suffix in (".pdf",) or kind == "application/pdf":
        raise UnreadableInput(
            "This file is not a PDF although it is called one (it does not start as a PDF does):"
            " it may be damaged or only partly uploaded."
        )
    if suffix in (".docx", ".docm", ".dotx") or kind in _DOCX_TYPES:
        raise UnreadableInput(
            "This file is not a Word document although it is called one (it is not a DOCX package):"
            " it may be damaged or only partly uploaded."
        )
    if suffix == ".txt":
        # As for articles (importers.detect): a .txt file is text, whatever it looks like.
        return TEXT
    head = _text_head(data)
    if head is not None:
        stripped = _LEADING_COMMENTS.sub(b"", _XML_DECLARATION.sub(b"", head.lstrip(), count=1)).lower()
        if stripped.startswith(b"<") and _HTML_START.match(stripped):
            return HTML
        hinted = suffix in (".html", ".htm", ".xhtml") or kind in ("text/html", "application/xhtml+xml")
        if hinted and _TAG.search(data[:65536]):
            return HTML
    return TEXT


_DOCX_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-word.document.macroenabled.12",
)


def _zip_format(data: bytes, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            mimetype = package.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        if suffix in (".docx", ".docm", ".dotx"):
            raise UnreadableInput(
                "This Word document cannot be read: the file is damaged or only partly uploaded."
            ) from None
        raise UnreadableInput(_not_a_source_format("a damaged ZIP archive")) from None
    if "word/document.xml" in names:
        return DOCX
    if names & {"xl/workbook.xml", "xl/workbook.bin"}:
        what = "an Excel workbook: save the part you need as PDF or paste it as text"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation: save it as PDF"
    elif mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        what = "an OpenDocument text (.odt): save it as DOCX or PDF"
    elif mimetype.startswith(b"application/vnd.oasis.opendocument"):
        what = "an OpenDocument file: save it as PDF"
    elif mimetype.startswith(b"application/epub"):
        what = "an e-book (EPUB)"
    else:
        what = "a ZIP archive: attach the documents in it one by one"
    raise UnreadableInput(_not_a_source_format(what))


def _binary_format(data: bytes) -> str | None:
    for magic, what in _KNOWN_BINARY:
        if not data.startswith(magic):
            continue
        if magic == b"BM":
            # "BM" also starts plain text ("BMW said ..."): a bitmap has binary bytes next.
            if len(data) > 14 and b"\x00" in data[2:14]:
                return "a BMP image"
            continue
        if magic == b"BZh":
            if len(data) > 4 and data[3:4].isdigit() and b"\x00" in data[:4096]:
                return "a compressed (bzip2) file"
            continue
        if magic == b"MZ" and b"\x00" not in data[:4096]:
            continue  # text that happens to start with "MZ"
        if magic == b"ID3" and b"\x00" not in data[:64]:
            continue
        return what
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
            return "a HEIC or AVIF image"
        return "a video or audio file (MP4, MOV or M4A)"
    if data.startswith(b"RIFF") and len(data) >= 12:
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}.get(
            data[8:12], "a RIFF media file"
        )
    return None


def _not_a_source_format(what: str) -> str:
    return f"This file ({what}) is not a format sources can be read from ({_FORMATS_LIST})."


def _text_head(data: bytes) -> bytes | None:
    head = data[:4096]
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head.decode("utf-16", errors="ignore").encode("utf-8")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    if b"\x00" in head:
        return None
    return head


def _suffix(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in name:
        return ""
    return "." + name.rsplit(".", 1)[-1].lower()


def _mime(content_type: str) -> str:
    return (content_type or "").split(";")[0].strip().lower()


# Plain text -----------------------------------------------------------------------------


def _read_text(data: bytes) -> str:
    try:
        text = decode_bytes(data)
    except InvalidText as error:
        reason = str(error)
        if "binary" in reason:
            raise UnreadableInput(
                "This file is not text: it holds binary data, and it is not a format sources can be"
                f" read from ({_FORMATS_LIST})."
            ) from None
        raise UnreadableInput(f"This file is not text: {reason}.") from None
    if _looks_binary(text):
        raise UnreadableInput(
            "This file is not text: it is mostly control characters, and it is not a format sources"
            f" can be read from ({_FORMATS_LIST})."
        )
    return text


def _looks_binary(text: str) -> bool:
    # As extraction.text does for articles: more than 1 in 20 characters are controls.
    sample = text[:4096]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\r\f")
    return "\x00" in sample or control > len(sample) // 20


# HTML -------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
# What browsers decode as Windows-1252 (WHATWG): decode_bytes does that, UTF-8 first.
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_1", "ascii", "iso8859_15"})

# Never text a reader sees: dropped with everything in them.
_NEVER_TEXT = frozenset(
    "script style noscript template head svg math iframe frame frameset object embed canvas "
    "audio video map nav select datalist".split()
)
# Blocks: a blank line before and after.
_PARAGRAPH_BLOCKS = frozenset(
    "p div section article header footer aside main h1 h2 h3 h4 h5 h6 ul ol dl menu blockquote pre "
    "table thead tbody tfoot caption figure figcaption address hr form fieldset legend details "
    "summary center dialog hgroup search body html".split()
)
# One line each.
_LINE_BLOCKS = frozenset("li tr dt dd option".split())
_CELLS = frozenset(("td", "th"))
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _read_html(data: bytes, *, content_type: str) -> tuple[str, str]:
    import lxml.etree
    import lxml.html

    markup = _decode_html(data, content_type=content_type)
    markup = _XML_DECLARATION_TEXT.sub("", markup, count=1)
    if not markup.strip():
        raise UnreadableInput("This page holds no text.")
    try:
        # huge_tree: libxml2 otherwise drops what is nested more than 256 elements deep.
        root = lxml.html.document_fromstring(markup, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.LxmlError, ValueError) as error:
        if "empty" in str(error).lower():
            raise UnreadableInput("This page holds no text.") from None
        raise UnreadableInput(f"This HTML cannot be read: {error}") from None
    return _html_text(root), _html_title(root)


def _decode_html(data: bytes, *, content_type: str) -> str:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _read_text(data)
    declared = _CONTENT_TYPE_CHARSET.search(content_type or "")
    name = declared.group(1) if declared else None
    if name is None:
        meta = _META_CHARSET.search(data[:4096])
        name = meta.group(1).decode("ascii", "ignore") if meta else None
    codec = _codec(name)
    if codec is not None and codec not in _WESTERN:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    return _read_text(data)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None


def _html_title(root) -> str:
    for element in root.iter("title"):
        title = " ".join(element.text_content().split())
        if title:
            return title
    for element in root.iter("meta"):
        if (element.get("property") or element.get("name") or "").lower() == "og:title":
            title = " ".join((element.get("content") or "").split())
            if title:
                return title
    return ""


class _HtmlText:
    """Text of an HTML tree as a browser lays it out, roughly: whitespace collapsed, blocks apart."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line: list[str] = []
        self.pending = 0  # line breaks owed before the next text: 0, 1 (a line) or 2 (a paragraph)
        self.cell = False  # a table cell started: a tab before the next text on this line

    def brk(self, level: int, *, add: bool = False) -> None:
        self.pending = min(2, self.pending + level) if add else max(self.pending, level)
        self.cell = False

    def text(self, value: str | None, *, pre: bool) -> None:
        if not value:
            return
        if pre:
            first, *rest = value.split("\n")
            self._inline(first, keep=True)
            for part in rest:
                self.brk(1, add=True)
                self._inline(part, keep=True)
            return
        self._inline(_HTML_SPACE.sub(" ", value), keep=False)

    def _inline(self, value: str, *, keep: bool) -> None:
        if not value:
            return
        if not keep and value == " " and (self.pending or not self.line):
            return
        if self.pending:
            self._flush()
            self.lines.extend([""] * (self.pending - 1))
            self.pending = 0
        if self.cell:
            if self.line:
                self.line.append("\t")
            self.cell = False
        self.line.append(value)

    def _flush(self) -> None:
        if self.line:
            line = "".join(self.line)
            line = re.sub(r" *\t *", "\t", line)
            self.lines.append(re.sub(r"(?<=\S) {2,}", " ", line).strip(" "))
            self.line = []

    def result(self) -> str:
        self._flush()
        return "\n".join(self.lines)


def _html_text(root) -> str:
    out = _HtmlText()
    # An explicit stack, not recursion: pages nest deeper than Python's recursion limit.
    stack: list[tuple[object, bool]] = [(root, False)]
    pre_depth = 0
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if closing:
            if tag == "pre":
                pre_depth -= 1
            if tag in _PARAGRAPH_BLOCKS:
                out.brk(2)
            elif tag in _LINE_BLOCKS:
                out.brk(1)
            out.text(element.tail, pre=pre_depth > 0)
            continue
        if tag is None or tag in _NEVER_TEXT or element.get("hidden") is not None or (
            (element.get("role") or "").lower() == "navigation"
        ):
            # Comments, processing instructions and what is never shown: only the text after them.
            out.text(element.tail, pre=pre_depth > 0)
            continue
        if tag in _PARAGRAPH_BLOCKS:
            out.brk(2)
        elif tag in _LINE_BLOCKS:
            out.brk(1)
        elif tag == "br":
            out.brk(1, add=True)
        elif tag in _CELLS:
            out.cell = True
        if tag == "pre":
            pre_depth += 1
        out.text(element.text, pre=pre_depth > 0)
        stack.append((element, True))
        for child in reversed(element):
            stack.append((child, False))
    return out.result()


# PDF --------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t]+")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
_LIGATURES = str.maketrans({chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)})


def _read_pdf(data: bytes, *, max_chars: int, max_pages: int) -> SourceDocumentText:
    import pypdf
    from pypdf.errors import DependencyError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
            raise UnreadableInput(
                "This PDF is protected by a password, so its text cannot be read: attach a copy"
                " without the password, or paste the text."
            )
        count = len(reader.pages)
    except UnreadableInput:
        raise
    except DependencyError:
        # AES encryption needs the `cryptography` package (pypdf[crypto]).
        raise UnreadableInput(
            "This PDF is encrypted in a way this server cannot open: attach a copy without"
            " protection (print it to a new PDF), or paste the text."
        ) from None
    except Exception as error:  # noqa: BLE001 - a damaged file fails in many ways
        raise UnreadableInput(f"This PDF cannot be read: {_pdf_error(error)}") from None
    if count == 0:
        raise UnreadableInput("This PDF cannot be read: it has no pages.")
    if count > max_pages:
        raise UnreadableInput(
            f"This PDF has {count:,} pages; a source can have at most {max_pages:,}."
            " Attach only the part the article relies on."
        )
    title = _pdf_title(reader)
    pages: list[str] = []
    length = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            raw = page.extract_text() or ""
        except DependencyError:
            raise UnreadableInput(
                "This PDF is encrypted in a way this server cannot open: attach a copy without"
                " protection (print it to a new PDF), or paste the text."
            ) from None
        except Exception as error:  # noqa: BLE001 - a damaged page fails in many ways
            raise UnreadableInput(
                f"This PDF cannot be read: page {number} is damaged ({_pdf_error(error)})."
            ) from None
        text = clean_source_text(_pdf_page_text(raw))
        if text:
            pages.append(text)
            length += len(text) + 2
            # Stop reading early: the rest of a document that is already too long is wasted work.
            so_far = f"(by page {number:,} of {count:,})" if number < count else ""
            _check_length(length - 2, max_chars, so_far=so_far)
    if not pages:
        raise UnreadableInput(
            "This PDF holds no text (a scan?): paste the text or attach a text version."
        )
    return SourceDocumentText(text="\n\n".join(pages), format=PDF, title=title, pages=count)


def _pdf_page_text(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    text = text.translate(_LIGATURES)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _pdf_title(reader) -> str:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception:  # noqa: BLE001 - a damaged Info dictionary only loses the title
        return ""
    if not isinstance(title, str):
        return ""
    return " ".join(clean_source_text(title).split())


def _pdf_error(error: Exception) -> str:
    message = str(error).strip() or type(error).__name__
    return f"{message.rstrip('.')} (the file may be damaged or only partly uploaded)."


# DOCX -------------------------------------------------------------------------------------


def _read_docx(data: bytes) -> tuple[str, str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            encrypted = any(info.flag_bits & 0x1 for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableInput("This Word document cannot be read: the file is damaged or only partly uploaded.") from None
    if encrypted:
        raise UnreadableInput(
            "This Word document is protected by a password, so its text cannot be read: attach a"
            " copy without the password, or paste the text."
        )
    if unpacked > _MAX_DOCX_UNPACKED_BYTES:
        raise UnreadableInput(
            f"This Word document is too large to read ({unpacked // (1024 * 1024):,} MB once unpacked):"
            " save it as PDF without images, or paste the text."
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds on damaged packages
        raise UnreadableInput(f"This Word document cannot be read: {error}") from None

    blocks: list[str] = []

    def cell_text(cell) -> str:
        parts = []
        for item in cell.iter_inner_content():
            if isinstance(item, Paragraph):
                parts.append(item.text)
            elif isinstance(item, Table):
                parts.extend(row for row in table_rows(item))
        return " ".join(" ".join(part.split()) for part in parts if part.strip())

    def table_rows(table) -> list[str]:
        rows = []
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                # A merged cell is listed once per grid column it spans.
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                cells.append(cell_text(cell))
            line = "\t".join(cells).strip("\t")
            if line.strip():
                rows.append(line)
        return rows

    try:
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(item.text)
            elif isinstance(item, Table):
                blocks.append("\n".join(table_rows(item)))
        title = document.core_properties.title or ""
    except Exception as error:  # noqa: BLE001
        raise UnreadableInput(f"This Word document cannot be read: {error}") from None
    text = "\n\n".join(block for block in blocks if block.strip())
    return text, " ".join(clean_source_text(title).split())
