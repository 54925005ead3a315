"""manage.py extract_claims gives items the newsroom's tier policy, read from the database."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import TierRule

SAMPLE = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))[0]


@pytest.mark.django_db
def test_the_command_applies_the_tier_policy_editors_keep_in_the_database():
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, tier="recommended")
    out = io.StringIO()

    call_command("extract_claims", str(SAMPLE), "--json", stdout=out)

    items = json.loads(out.getvalue())[0]["items"]
    assert items and {item["tier"] for item in items} == {"recommended"}
