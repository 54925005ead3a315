"""IPTC NewsML-G2 wire items: text items become articles; pictures, packages and the like are skipped with a reason."""

import datetime
import time

import pytest
from django.core.management import CommandError, call_command

from articles import importers
from articles.importers import EntryError, EntrySkipped, ParsedArticle, UnreadableInput
from articles.models import Article
from articles.services.imports import import_path

UTC = datetime.timezone.utc
NAR = "http://iptc.org/std/nar/2006-10-01/"


def news_item(
    *,
    guid="urn:newsml:lakeside.test:20240611:wx-481",
    version=1,
    item_class="ninat:text",
    content="",
    meta="",
    item_meta="",
    prefix="",
    namespace=True,
):
    """A NewsML-G2 newsItem written for these tests (not an IPTC example)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = (f' xmlns:{prefix}="{NAR}"' if prefix else f' xmlns="{NAR}"') if namespace else ""
    return f"""<{p}newsItem{xmlns} guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.33">
  <{p}itemMeta>
    <{p}itemClass qcode="{item_class}"/>
    <{p}provider literal="Lakeside Wire"/>
    <{p}versionCreated>2024-06-11T15:40:00Z</{p}versionCreated>
    <{p}firstCreated>2024-06-11T09:05:00+02:00</{p}firstCreated>
    {item_meta}
  </{p}itemMeta>
  <{p}contentMeta>
    <{p}contentCreated>2024-06-10T18:00:00Z</{p}contentCreated>
    {meta}
  </{p}contentMeta>
  <{p}contentSet>{content}</{p}contentSet>
</{p}newsItem>"""


def xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


NITF_CONTENT = """
<inlineXML contenttype="application/nitf+xml">
  <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">
    <head><title>Ignored head</title></head>
    <body>
      <body.head>
        <hedline><hl1>Reservoir levels fall to 41%</hl1></hedline>
        <byline>By <person>Mira Okafor</person></byline>
        <dateline>LAKESIDE, June 11</dateline>
      </body.head>
      <body.content>
        <p>The city's main reservoir fell to 41% of capacity in May, the water board said on Tuesday.</p>
        <p>That is the lowest level since 2011, when it dropped to
           <em>38%</em> after a dry spring.</p>
        <media media-type="image"><media-caption>The dam at dusk.</media-caption></media>
        <p>Officials<br/>asked residents to cut use by a tenth.</p>
      </body.content>
      <body.end><tagline>Reporting by Mira Okafor; editing by Lee Chan</tagline></body.end>
    </body>
  </nitf>
</inlineXML>"""

TEXT_ITEM_NITF = news_item(
    content=NITF_CONTENT,
    meta="""<headline>Reservoir levels fall to 41% of capacity</headline>
    <headline role="hdrl:short">Reservoir at 41%</headline>
    <creator><name>Mira Okafor</name></creator>""",
)


def only(entries):
    assert len(entries) == 1, entries
    return entries[0]


def test_a_text_item_with_nitf_reads_its_paragraphs_and_metadata():
    article = only(importers.parse(xml(TEXT_ITEM_NITF), filename="wire.xml"))

    assert isinstance(article, ParsedArticle)
    assert article.format == "newsml"
    assert article.title == "Reservoir levels fall to 41% of capacity"  # the first headline
    assert article.byline == "Mira Okafor"
    assert article.external_id == "urn:newsml:lakeside.test:20240611:wx-481"
    assert article.source == "Lakeside Wire"
    assert article.version == 1
    # firstCreated is the publication; versionCreated the last change.
    assert article.published_at == datetime.datetime(2024, 6, 11, 7, 5, tzinfo=UTC)
    assert article.updated_at == datetime.datetime(2024, 6, 11, 15, 40, tzinfo=UTC)
    assert article.body.split("\n\n") == [
        "The city's main reservoir fell to 41% of capacity in May, the water board said on Tuesday.",
        "That is the lowest level since 2011, when it dropped to 38% after a dry spring.",
        "Officials\nasked residents to cut use by a tenth.",
    ]
    # Neither the NITF head, the hedline, the byline, the picture caption nor the tagline is body text.
    for absent in ("Ignored head", "By Mira", "LAKESIDE", "dusk", "editing by"):
        assert absent not in article.body


def test_a_text_item_with_xhtml_reads_its_paragraphs_with_words_kept_apart():
    item = news_item(
        content="""<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
          <head><title>Page title</title><style>p { color: red }</style></head>
          <body><h1>Bus fares rise</h1><p>Fares rise by 20 cents in July,</p><p>the transit agency said.</p>
          <ul><li>Day pass: $5</li><li>Month pass: $90</li></ul><script>track()</script></body></html>
        </inlineXML>""",
        meta='<headline>Bus fares rise</headline><creator literal="Jon Park"/>',
    )

    article = only(importers.parse(xml(item), filename="fares.xml"))

    assert article.title == "Bus fares rise"
    assert article.byline == "Jon Park"
    assert article.body.split("\n\n") == [
        "Fares rise by 20 cents in July,",
        "the transit agency said.",
        "Day pass: $5",
        "Month pass: $90",
    ]  # the heading repeating the title is not kept; no head, style or script
    assert "said.Day" not in article.body


def test_a_text_item_with_inline_data_reads_the_plain_text():
    item = news_item(
        content="""<inlineData contenttype="text/plain">Ferry Service Resumes

The island ferry resumes on Monday after three weeks of repairs, the operator said.
Tickets bought for cancelled sailings will be refunded.</inlineData>""",
        meta="<by>Sam Ortiz, Island Press</by>",
    )

    article = only(importers.parse(xml(item), filename="ferry.xml"))

    assert article.title == "Ferry Service Resumes"  # no headline: the text's own first line
    assert article.body.startswith("The island ferry resumes on Monday")
    assert article.byline == "Sam Ortiz, Island Press"
    assert article.source == "Lakeside Wire"


def test_provider_code_names_the_source_when_it_has_no_name_and_dates_fall_back():
    item = f"""<newsItem xmlns="{NAR}" guid="urn:t:2" version="3">
      <itemMeta><itemClass qcode="xyz:text"/><provider qcode="nprov:IslandPress"/>
        <versionCreated>2024-06-12T08:00:00Z</versionCreated></itemMeta>
      <contentMeta><contentCreated>2024-06-12</contentCreated></contentMeta>
      <contentSet><inlineData>Tide gauges rose 4 cm in a decade, the survey found.</inlineData></contentSet>
    </newsItem>"""

    article = only(importers.parse(item.encode(), filename="tide.xml"))

    assert article.source == "IslandPress"
    assert article.version == 3
    assert article.published_at == datetime.datetime(2024, 6, 12, tzinfo=UTC)  # contentCreated, a date alone
    assert article.byline is None


def test_prefixed_and_unnamespaced_items_read_the_same():
    prefixed = only(importers.parse(xml(news_item(content=NITF_CONTENT, prefix="nar")), filename="a.xml"))
    bare = only(importers.parse(xml(news_item(content=NITF_CONTENT, namespace=False)), filename="b.xml"))

    assert prefixed.body == bare.body
    assert prefixed.body.startswith("The city's main reservoir")


@pytest.mark.parametrize(
    ("item_class", "reason"),
    [
        ("ninat:picture", "a picture, not an article to check"),
        ("ninat:video", "a video, not an article to check"),
        ("ninat:graphic", "a graphic, not an article to check"),
        ("ninat:audio", "an audio item, not an article to check"),
        ("ninat:composite", "a composite item without text, not an article to check"),
    ],
)
def test_items_that_are_not_text_are_skipped_with_the_reason(item_class, reason):
    item = news_item(
        guid="urn:t:media", item_class=item_class,
        content='<remoteContent href="https://media.example.test/a.jpg" contenttype="image/jpeg"/>',
    )

    assert only(importers.parse(xml(item), filename="m.xml")) == EntrySkipped("urn:t:media", reason)


def test_a_composite_item_with_text_is_an_article():
    item = news_item(item_class="ninat:composite", content="<inlineData>Rail strike ends after 3 days.</inlineData>")

    assert isinstance(only(importers.parse(xml(item), filename="c.xml")), ParsedArticle)


def test_a_text_item_without_text_is_skipped_and_one_with_only_remote_text_fails():
    empty = news_item(
        guid="urn:t:empty", content="<inlineXML><nitf><body><body.content> </body.content></body></nitf></inlineXML>"
    )
    remote = news_item(guid="urn:t:remote", content='<remoteContent href="https://wire.example.test/t.xml"/>')

    skipped = only(importers.parse(xml(empty), filename="e.xml"))
    assert skipped == EntrySkipped("urn:t:empty", "a text item that carries no text")
    failed = only(importers.parse(xml(remote), filename="r.xml"))
    assert isinstance(failed, EntryError)
    assert "only a reference to it (https://wire.example.test/t.xml)" in failed.reason


def test_a_bad_version_fails_the_item_not_the_message():
    message = f"""<newsMessage xmlns="{NAR}"><itemSet>
      {news_item(guid="urn:t:bad", version="two", content="<inlineData>Text.</inlineData>", namespace=False)}
      {news_item(guid="urn:t:good", version=4, content="<inlineData>Text here.</inlineData>", namespace=False)}
    </itemSet></newsMessage>"""

    bad, good = importers.parse(xml(message), filename="m.xml")

    assert bad == EntryError("urn:t:bad", "the item's version is not a positive whole number: 'two'")
    assert good.version == 4


def test_a_message_skips_its_packages_and_reads_its_text_items_in_utf16():
    message = f"""<?xml version="1.0" encoding="UTF-16"?>
<newsMessage xmlns="{NAR}"><itemSet>
  <packageItem guid="urn:t:pkg" version="1"/>
  {news_item(guid="urn:t:text", content="<inlineData>Café owners say rents doubled since 2019.</inlineData>",
             namespace=False)}
</itemSet></newsMessage>"""
    data = message.encode("utf-16")

    assert importers.detect_format(data, filename="m.xml") == "newsml"
    package, article = importers.parse(data, filename="m.xml")

    assert package == EntrySkipped("urn:t:pkg", "a package (a list of other items), not an article to check")
    assert article.body == "Café owners say rents doubled since 2019."


def test_an_empty_message_is_refused():
    with pytest.raises(UnreadableInput, match="holds no items"):
        importers.parse(f'<newsMessage xmlns="{NAR}"><itemSet/></newsMessage>'.encode(), filename="m.xml")


def test_a_package_item_alone_is_skipped():
    package = f"""<packageItem xmlns="{NAR}" guid="urn:t:pkg" version="1">
      <itemMeta><itemClass qcode="ninat:composite"/></itemMeta>
      <groupSet root="G1"><group id="G1"><itemRef residref="urn:t:1"/></group></groupSet>
    </packageItem>"""

    entry = only(importers.parse(xml(package), filename="pkg.xml"))

    assert entry == EntrySkipped("urn:t:pkg", "a package (a list of other items), not an article to check")


def test_malformed_xml_is_refused_with_a_clear_message():
    broken = xml(news_item(content="<inlineData>Text</inlineData>"))[:-20]

    with pytest.raises(UnreadableInput, match=r"the XML is malformed: .*line \d+, column \d+"):
        importers.parse(broken, filename="broken.xml")


def test_an_entity_expansion_attempt_is_refused_quickly():
    laughs = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY lol0 "lol">{laughs}]>
<newsItem xmlns="{NAR}" guid="urn:t:bomb" version="1">
  <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
  <contentSet><inlineData>&lol9;</inlineData></contentSet>
</newsItem>""".encode()
    external = f"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<newsItem xmlns="{NAR}" guid="urn:t:xxe" version="1"><contentSet><inlineData>&secret;</inlineData></contentSet></newsItem>""".encode()

    started = time.monotonic()
    for data in (bomb, external):
        assert importers.detect_format(data, filename="bomb.xml") == "newsml"
        with pytest.raises(UnreadableInput, match="declares a DTD"):
            importers.parse(data, filename="bomb.xml")
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "news.xml", None, "feed"),
        (b'<?xml version="1.0"?>\n<!-- wire -->\n<newsItem xmlns="' + NAR.encode() + b'">', "item.xml", None, "newsml"),
        (b'<nar:newsMessage xmlns:nar="' + NAR.encode() + b'">', "batch.xml", None, "newsml"),
        (b'\xef\xbb\xbf<?xml version="1.0"?><packageItem guid="x">', "p.xml", None, "newsml"),
        (b'<?xml version="1.0"?><newsItem guid="x">', None, "application/xml", "newsml"),
        (b'<?xml version="1.0"?><newsItem guid="x">', None, "text/xml", "newsml"),
        (b'<?xml version="1.0"?><rss version="2.0">', None, "text/xml", "feed"),
        # A feed whose entry quotes a wire item's markup is still a feed: the root decides.
        (b'<rss version="2.0"><channel><title>&lt;newsItem&gt;</title></channel></rss>', "x.xml", None, "feed"),
    ],
)
def test_xml_is_read_as_a_feed_or_a_wire_item_by_its_content(data, filename, content_type, expected):
    assert importers.detect_format(data, filename=filename, content_type=content_type) == expected


def test_xml_that_is_neither_a_feed_nor_newsml_g2_is_refused():
    with pytest.raises(UnreadableInput, match="the XML is not an RSS or Atom feed, nor a NewsML-G2 item"):
        importers.parse(b'<?xml version="1.0"?><NewsML Version="1.2"/>', filename="old.xml")
    with pytest.raises(UnreadableInput, match="not a NewsML-G2 item or message"):
        importers.parse_newsml(b"<catalog/>")


# Through the import command.


def write(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_bytes(xml(body))
    return path


def test_a_message_with_two_text_items_and_a_picture_imports_two(db, tmp_path, capsys):
    message = f"""<newsMessage xmlns="{NAR}">
  <header><sent>2024-06-11T16:00:00Z</sent></header>
  <itemSet>
    {news_item(guid="urn:t:a", content=NITF_CONTENT, meta="<headline>Reservoir at 41%</headline>", namespace=False)}
    {news_item(guid="urn:t:pic", item_class="ninat:picture", content='<remoteContent href="https://m.test/p.jpg"/>',
               namespace=False)}
    {news_item(guid="urn:t:b", meta="<headline>Budget rise approved</headline>", namespace=False,
               content="<inlineData>The council approved a 3% budget rise on Monday.</inlineData>")}
  </itemSet>
</newsMessage>"""
    path = write(tmp_path, "batch.xml", message)

    call_command("import_articles", str(path))

    assert "Imported 1 file(s): 2 new, 0 updated, 0 unchanged, 1 skipped, 0 failed." in capsys.readouterr().out
    articles = {article.external_id: article for article in Article.objects.all()}
    assert set(articles) == {"urn:t:a", "urn:t:b"}
    assert {article.source for article in articles.values()} == {"Lakeside Wire"}
    assert articles["urn:t:b"].title == "Budget rise approved"
    assert articles["urn:t:b"].published_at == datetime.datetime(2024, 6, 11, 7, 5, tzinfo=UTC)
    report = import_path(path)
    assert [(item.outcome, item.reason) for item in report.items if item.outcome == "skipped"] == [
        ("skipped", "a picture, not an article to check")
    ]


def test_a_package_alone_is_skipped_by_the_command(db, tmp_path, capsys):
    path = write(tmp_path, "pkg.xml", f'<packageItem xmlns="{NAR}" guid="urn:t:pkg" version="1"/>')

    call_command("import_articles", str(path))

    assert "0 new, 0 updated, 0 unchanged, 1 skipped, 0 failed" in capsys.readouterr().out
    assert not Article.objects.exists()


def test_malformed_xml_fails_in_the_command_with_the_reason(db, tmp_path, capsys):
    path = tmp_path / "broken.xml"
    path.write_bytes(xml(news_item(content="<inlineData>Text</inlineData>"))[:-20])

    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("import_articles", str(path))

    assert f"failed {path}: the XML is malformed" in capsys.readouterr().err


def test_an_older_version_never_overwrites_a_newer_one(db, tmp_path, capsys):
    def version(number: int, text: str):
        item = news_item(
            guid="urn:t:versioned", version=number, content=f"<inlineData>{text}</inlineData>",
            meta="<headline>Harbour dredging</headline>",
        )
        return write(tmp_path, f"v{number}.xml", item)

    call_command("import_articles", str(version(2, "Dredging will cost $14 million, the port said.")))
    assert "1 new" in capsys.readouterr().out

    older = version(1, "Dredging will cost $12 million, the port said.")
    call_command("import_articles", str(older))
    assert "0 new, 0 updated, 0 unchanged, 1 skipped, 0 failed" in capsys.readouterr().out
    article = Article.objects.get(external_id="urn:t:versioned")
    assert "$14 million" in article.body and article.source_version == 2 and article.revision == 1
    skipped = only(import_path(older).items)
    assert skipped.outcome == "skipped"
    assert skipped.reason == "version 1 is older than version 2, already imported"

    call_command("import_articles", str(version(3, "Dredging will cost $15 million, the port said.")))
    assert "0 new, 1 updated, 0 unchanged, 0 failed" in capsys.readouterr().out
    article.refresh_from_db()
    assert "$15 million" in article.body and article.source_version == 3 and article.revision == 2
