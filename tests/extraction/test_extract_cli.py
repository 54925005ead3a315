import io
import json
from pathlib import Path

from articles.extraction import cli

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_json_output_has_file_title_body_and_items_with_exact_spans(tmp_path):
    article = tmp_path / "story.txt"
    article.write_text("Mayor quits\n\n“I am done,” Mayor Jo Park said on Friday, after 11 years in office.\n")
    out = io.StringIO()
    assert cli.main([str(article)], as_json=True, stdout=out) == 0
    [record] = json.loads(out.getvalue())
    assert record["file"] == str(article) and record["title"] == "Mayor quits"
    for item in record["items"]:
        assert record["body"][item["start"]:item["end"]] == item["text"]
    assert {"quote", "date", "number"} <= {i["kind"] for i in record["items"]}


def test_a_bad_file_is_reported_in_one_line_and_the_others_still_run(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The council met on Monday and approved 3 new parks.")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    status = cli.main([str(empty), str(tmp_path / "missing.txt"), str(good)], as_json=True, stdout=out, stderr=err)
    assert status == 1
    assert [r["file"] for r in json.loads(out.getvalue())] == [str(good)]
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2 and "empty" in lines[0] and "Traceback" not in err.getvalue()


def test_readable_output_lists_guidance():
    out = io.StringIO()
    cli.main([str(sorted(SAMPLES.glob("*.txt"))[0])], stdout=out)
    assert "items to check" in out.getvalue() and "in these words" in out.getvalue()


def test_every_item_carries_its_tier_and_required_items_come_first():
    out = io.StringIO()
    cli.main([str(sorted(SAMPLES.glob("*.txt"))[0])], as_json=True, stdout=out)
    items = json.loads(out.getvalue())[0]["items"]

    assert {item["tier"] for item in items} == {"required", "recommended"}
    readable = io.StringIO()
    cli.main([str(sorted(SAMPLES.glob("*.txt"))[0])], stdout=readable)
    lines = [line for line in readable.getvalue().splitlines() if line.startswith("[")]
    tiers = ["required" if "required" in line.split("]")[0] else "recommended" for line in lines]
    assert tiers == sorted(tiers, key=lambda tier: tier != "required")
    assert "required, " in readable.getvalue() and "if time allows" in readable.getvalue()
