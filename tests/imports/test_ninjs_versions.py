"""IPTC ninjs in every version: 1.x body_* strings, 2.x and 3.x bodies, composites, and items that are not articles.

The documents here are written for these tests, in each version's shape.
"""

import datetime
import json

import pytest
from django.core.management import call_command

from articles import importers
from articles.importers import EntryError, EntrySkipped, ParsedArticle, UnreadableInput
from articles.models import Article

UTC = datetime.timezone.utc


def read(document) -> list:
    return importers.parse(json.dumps(document).encode("utf-8"), filename="item.json")


def article(document) -> ParsedArticle:
    results = read(document)
    assert len(results) == 1 and isinstance(results[0], ParsedArticle), results
    return results[0]


NINJS_1_4 = {
    "$standard": {"name": "ninjs", "version": "1.4", "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.4.json#"},
    "uri": "urn:newsml:harbourwire.example:20240412:ferry-fares",
    "type": "text",
    "version": "2",
    "firstcreated": "2024-04-12T06:10:00Z",
    "versioncreated": "2024-04-12T08:45:00Z",
    "language": "en",
    "headline": "Ferry fares to rise 8% in June",
    "byline": "Tom Okafor",
    "copyrightholder": "Harbour Wire",
    "body_text": (
        "Ferry fares to rise 8% in June\n\n"
        "Fares on the harbour ferries will rise 8% on June 1, the transit authority said on Friday.\n\n"
        "A single adult ticket will cost $4.30, up from $3.98."
    ),
}

BUSINESS_WIRE_STYLE = {
    "uri": "http://www.pressline.example/news/home/20240611005512/en",
    "type": "composite",
    "mimetype": "application/x-resource+json;level=composite",
    "version": "1",
    "versioncreated": "2024-06-11T13:05:00Z",
    "language": "en",
    "headline": "Prairie Mills Opens $48 Million Flour Plant in Salina",
    "copyrightholder": "Pressline",
    "body_xhtml": (
        "\n      SALINA, Kan.--(PRESSLINE)--Prairie Mills<sup>®</sup> on Tuesday opened a $48 million \n"
        "      flour plant that will employ 210 people, the company said.\n    "
    ),
    "associations": {
        "logo": {"uri": "http://media.pressline.example/20240611/pm-logo.jpg", "type": "graphic",
                 "renditions": {"thumbnail": {"href": "http://media.pressline.example/20240611/pm-logo-t.jpg",
                                              "mimetype": "image/jpeg"}}},
        "video": {"uri": "http://media.pressline.example/20240611/plant-tour.mp4", "type": "video"},
    },
}

NINJS_1_6 = {
    "$standard": {"name": "ninjs", "version": "1.6"},
    "uri": "https://news.lakeside.example/2024/09/03/school-meals",
    "type": "text",
    "firstcreated": "2024-09-03T05:30:00-05:00",
    "headline_main": "District serves 1.2 million free school meals",
    "headline_short": "Free meals",
    "byline": "Rosa Lindqvist",
    "body_main": (
        "The district served 1.2 million free meals last school year, up 15% from the year before, "
        "its annual report shows.\n\nThe program cost $3.1 million."
    ),
    "body_richtext": "<p>The district served <b>1.2 million</b> free meals last school year.</p>",
}

NINJS_2 = {
    "$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#",
    "uri": "urn:newsml:northstar.example:20240502:transit-levy",
    "type": "text",
    "versioncreated": "2024-05-02T19:20:00+02:00",
    "headlines": [{"role": "main", "value": "Voters back transit levy by 58 to 42"}],
    "by": "Henrik Aas",
    "provider": {"name": "Northstar News Agency"},
    "bodies": [
        {"role": "teaser", "contenttype": "text/plain", "value": "Transit levy passes."},
        {"role": "main", "contenttype": "text/html", "charcount": 190,
         "value": "<p>Voters approved the transit levy by 58% to 42% on Thursday, the election office said.</p>"
                  "<p>The levy will raise about $90 million a year for buses and light rail.</p>"},
    ],
}

NITF_BODY = """<?xml version="1.0" encoding="UTF-8"?>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//DTD NITF 3.6//EN">
  <head><title>Reservoir levels</title></head>
  <body>
    <body.head>
      <hedline><hl1>Reservoirs at 61% as dry spring drags on</hl1></hedline>
      <byline>By Amira Haddad</byline>
    </body.head>
    <body.content>
      <p>The region's reservoirs held 61% of capacity on Friday, the lowest for May since 2017, the water board said.</p>
      <media media-type="image"><media-reference source="dam.jpg"/><media-caption>The spillway on Friday.</media-caption></media>
      <hl2>Rainfall</hl2>
      <p>Spring rainfall was 30% below the long-term average &amp; no rain is forecast this week.</p>
    </body.content>
  </body>
</nitf>"""

NINJS_3_1 = {
    "standard": {"name": "ninjs", "version": "3.1", "schema": "https://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"},
    "uri": "urn:newsml:coastal.example:20240517:reservoirs",
    "type": "text",
    "firstCreated": "2024-05-17T07:00:00Z",
    "versionCreated": "2024-05-17T11:30:00Z",
    "headlines": [
        {"role": "short", "value": "Reservoirs at 61%"},
        {"role": "main", "contentType": "text/plain", "value": "Reservoirs at 61% as dry spring drags on"},
    ],
    "infoSources": [{"name": "Coastal Press", "role": "originator"}],
    "bodies": [{"role": "main", "contentType": "application/nitf+xml", "value": NITF_BODY}],
}

PICTURE = {
    "uri": "urn:newsml:northstar.example:20240502:photo-polling-station",
    "type": "picture",
    "headlines": [{"value": "Voters queue at a polling station"}],
    "versioncreated": "2024-05-02T09:00:00Z",
    "renditions": [{"name": "original", "href": "https://img.northstar.example/polling.jpg", "contenttype": "image/jpeg"}],
}


def test_ninjs_1_4_reads_body_text_headline_byline_and_first_created():
    item = article(NINJS_1_4)

    assert item.format == "ninjs"
    assert item.external_id == "urn:newsml:harbourwire.example:20240412:ferry-fares"
    assert item.title == "Ferry fares to rise 8% in June"
    assert item.byline == "Tom Okafor"
    assert item.published_at == datetime.datetime(2024, 4, 12, 6, 10, tzinfo=UTC), "first created, not this version"
    assert item.body.startswith("Fares on the harbour ferries will rise 8% on June 1"), "the headline line leaves the body"
    assert "$4.30, up from $3.98" in item.body


def test_a_business_wire_style_composite_with_only_body_xhtml_is_imported_without_its_media():
    item = article(BUSINESS_WIRE_STYLE)

    assert item.title == "Prairie Mills Opens $48 Million Flour Plant in Salina"
    assert item.body == (
        "SALINA, Kan.--(PRESSLINE)--Prairie Mills® on Tuesday opened a $48 million flour plant "
        "that will employ 210 people, the company said."
    )
    assert item.external_id == item.url == "http://www.pressline.example/news/home/20240611005512/en"
    assert item.source == "Pressline", "the copyright holder"
    assert item.published_at == datetime.datetime(2024, 6, 11, 13, 5, tzinfo=UTC), "only this version's date is given"


def test_ninjs_1_6_reads_body_main_and_headline_main():
    item = article(NINJS_1_6)

    assert item.title == "District serves 1.2 million free school meals"
    assert item.body.startswith("The district served 1.2 million free meals last school year, up 15%")
    assert "The program cost $3.1 million." in item.body, "plain body_main is preferred to body_richtext"
    assert item.url == "https://news.lakeside.example/2024/09/03/school-meals"
    assert item.published_at == datetime.datetime(2024, 9, 3, 10, 30, tzinfo=UTC)


def test_ninjs_1_6_body_richtext_alone_is_read_as_markup():
    document = {key: value for key, value in NINJS_1_6.items() if key != "body_main"}

    assert article(document).body == "The district served 1.2 million free meals last school year."


def test_ninjs_1_6_body_main_may_be_an_object_with_its_value():
    document = {**NINJS_1_6, "body_main": {"contenttype": "text/html", "value": "<p>Meals rose 15%.</p><p>It cost $3.1 million.</p>"}}
    del document["body_richtext"]

    assert article(document).body == "Meals rose 15%.\n\nIt cost $3.1 million."


def test_ninjs_2_reads_the_main_html_body_rather_than_the_plain_teaser():
    item = article(NINJS_2)

    assert item.title == "Voters back transit levy by 58 to 42"
    assert item.byline == "Henrik Aas"
    assert item.source == "Northstar News Agency", "the provider's name"
    assert item.body == (
        "Voters approved the transit levy by 58% to 42% on Thursday, the election office said.\n\n"
        "The levy will raise about $90 million a year for buses and light rail."
    )
    assert item.published_at == datetime.datetime(2024, 5, 2, 17, 20, tzinfo=UTC)


def test_ninjs_3_1_reads_the_nitf_body_content_without_captions():
    item = article(NINJS_3_1)

    assert item.external_id == "urn:newsml:coastal.example:20240517:reservoirs"
    assert item.title == "Reservoirs at 61% as dry spring drags on", "the main headline, not the short one"
    assert item.body == (
        "The region's reservoirs held 61% of capacity on Friday, the lowest for May since 2017, the water board said.\n\n"
        "Rainfall\n\n"
        "Spring rainfall was 30% below the long-term average & no rain is forecast this week."
    )
    assert "spillway" not in item.body and "Reservoir levels" not in item.body
    assert item.byline == "By Amira Haddad", "the NITF byline when the item names none"
    assert item.published_at == datetime.datetime(2024, 5, 17, 7, 0, tzinfo=UTC), "firstCreated (3.x camelCase)"
    assert item.source == "Coastal Press", "the originating info source"


def test_a_bodies_entry_without_role_or_content_type_is_the_main_body_and_its_markup_is_sniffed():
    document = {"uri": "urn:x:untyped", "headlines": [{"value": "Tolls frozen"}],
                "bodies": [{"value": "<p>Bridge tolls stay at $2 until 2026, the council decided.</p>"}]}

    assert article(document).body == "Bridge tolls stay at $2 until 2026, the council decided."


def test_a_composite_carrying_text_is_imported_and_its_picture_is_not():
    composite = {
        "uri": "urn:newsml:northstar.example:20240502:levy-package",
        "type": "composite",
        "headlines": [{"role": "main", "value": "Transit levy passes"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "The transit levy passed with 58% of the vote."}],
        "associations": [{**PICTURE, "name": "featureimage"}],
    }

    results = read(composite)

    assert len(results) == 1
    assert results[0].external_id == "urn:newsml:northstar.example:20240502:levy-package"
    assert results[0].body == "The transit levy passed with 58% of the vote."


def test_a_composite_without_text_of_its_own_gives_its_text_items():
    package = {
        "uri": "urn:newsml:northstar.example:20240502:election-night",
        "type": "composite",
        "headline": "Election night",
        "associations": {
            "main": {"uri": "urn:newsml:northstar.example:20240502:levy-story", "type": "text",
                     "headline": "Levy passes", "body_text": "The levy passed with 58% of the vote."},
            "photo": PICTURE,
        },
    }

    results = read(package)

    assert [(item.external_id, item.body) for item in results] == [
        ("urn:newsml:northstar.example:20240502:levy-story", "The levy passed with 58% of the vote.")
    ]


def test_a_composite_of_pictures_only_is_skipped():
    package = {"uri": "urn:gallery:7", "type": "composite", "headline": "Gallery", "associations": {"one": PICTURE}}

    assert read(package) == [EntrySkipped("urn:gallery:7", "the ninjs composite 'Gallery' carries no text, nor do its associations")]


@pytest.mark.parametrize(
    ("kind", "what"),
    [("picture", "a picture"), ("graphic", "a graphic"), ("video", "a video"), ("audio", "an audio item"),
     ("event", "an event"), ("planning", "a planning item")],
)
def test_items_that_are_not_articles_are_skipped_with_the_reason(kind, what):
    results = read({**PICTURE, "type": kind})

    assert results == [EntrySkipped(
        "urn:newsml:northstar.example:20240502:photo-polling-station",
        f"the ninjs item 'Voters queue at a polling station' is {what}, not an article to check",
    )]


def test_a_text_item_without_any_body_is_skipped_not_failed():
    results = read({"uri": "urn:x:empty", "type": "text", "headline": "Placeholder", "body_html": "  ", "bodies": []})

    assert results == [EntrySkipped("urn:x:empty", "the ninjs item 'Placeholder' carries no text")]


def test_plain_text_wins_over_markup_and_the_richest_markup_over_a_poorer_one():
    both = {"uri": "urn:x:both", "headline": "Rates",
            "body_html": "<p>Rates rose.</p><p>By 0.25 points.</p>", "body_text": "Rates rose by 0.25 points to 5.5%."}
    markup_only = {"uri": "urn:x:markup", "headline": "Rates", "bodies": [
        {"role": "main", "contenttype": "text/html", "value": "<p>Rates rose.</p>"},
        {"role": "main", "contenttype": "application/xhtml+xml",
         "value": "<div><p>Rates rose by 0.25 points to 5.5%.</p><p>It is the fourth rise this year.</p></div>"},
    ]}

    assert article(both).body == "Rates rose by 0.25 points to 5.5%."
    assert article(markup_only).body == "Rates rose by 0.25 points to 5.5%.\n\nIt is the fourth rise this year."


def test_metadata_falls_back_to_guid_version_created_and_a_provider_string():
    item = article({
        "guid": "tag:northstar.example,2024:levy-77", "type": "text", "headline": "Levy",
        "versioncreated": "2024-05-03T08:00:00Z", "provider": "Northstar", "copyrightholder": "Someone Else",
        "body_text": "The levy passed.",
    })

    assert item.external_id == "tag:northstar.example,2024:levy-77"
    assert item.url is None
    assert item.published_at == datetime.datetime(2024, 5, 3, 8, 0, tzinfo=UTC)
    assert item.source == "Northstar", "provider before the copyright holder"


def test_malformed_ninjs_fails_and_one_bad_entry_does_not_stop_the_others():
    results = read([
        {"uri": "urn:x:1", "headline": "Good", "body_text": "Sales rose 5%."},
        {"uri": "urn:x:2", "headline": "Bad", "bodies": "Sales rose 5%."},
        {"uri": "urn:x:3", "headline": 7, "body_text": "Sales rose 5%."},
        {"uri": "urn:x:4", "headline": "Bad", "bodies": ["Sales rose 5%."]},
        {"uri": "urn:x:5", "type": 3, "body_text": "Sales rose 5%."},
    ])

    assert isinstance(results[0], ParsedArticle)
    assert results[1:] == [
        EntryError("urn:x:2", "bodies must be a list"),
        EntryError("urn:x:3", "headline must be a string"),
        EntryError("urn:x:4", "bodies[1] must be an object"),
        EntryError("urn:x:5", "type must be a string"),
    ]
    with pytest.raises(UnreadableInput, match="bodies must be a list"):
        read({"uri": "urn:x:2", "headline": "Bad", "bodies": {"value": "x"}})


def test_json_in_the_api_shape_is_still_read_as_it_was():
    first = article({"external_id": "story-9", "source": "desk", "title": "T", "body": "  Kept exactly.  "})

    assert (first.format, first.source, first.body) == ("json", "desk", "  Kept exactly.  ")


def test_importing_a_picture_and_a_story_counts_one_new_one_skipped_and_no_failure(db, tmp_path, capsys):
    path = tmp_path / "northstar.json"
    path.write_text(json.dumps([PICTURE, NINJS_2]))

    call_command("import_articles", str(path))  # no CommandError: nothing failed
    output = capsys.readouterr()

    assert "Imported 1 file(s): 1 new, 0 updated, 0 unchanged, 1 skipped, 0 failed." in output.out
    assert "failed" not in output.err, "a skipped item is not reported as a failure"
    stored = Article.objects.get()
    assert (stored.source, stored.external_id) == ("Northstar News Agency", "urn:newsml:northstar.example:20240502:transit-levy")
    assert stored.title == "Voters back transit levy by 58 to 42"
    assert stored.byline == "Henrik Aas"


def test_a_file_holding_only_a_picture_is_skipped_and_the_command_succeeds(db, tmp_path, capsys):
    path = tmp_path / "photo.json"
    path.write_text(json.dumps(PICTURE))

    call_command("import_articles", str(path))

    assert "0 new, 0 updated, 0 unchanged, 1 skipped, 0 failed" in capsys.readouterr().out
    assert not Article.objects.exists()
