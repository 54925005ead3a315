"""Seed the tier policy with the default rules (editors change them in the admin)."""

from django.db import migrations


def seed_default_policy(apps, schema_editor):
    from articles.extraction.tiers import DEFAULT_POLICY

    TierRule = apps.get_model("articles", "TierRule")
    if TierRule.objects.exists():
        return
    TierRule.objects.bulk_create(
        TierRule(
            position=(index + 1) * 10,
            kind=rule.kind or "",
            source_type=rule.source_type or "",
            min_priority=rule.min_priority,
            tier=rule.tier,
            description=rule.description,
        )
        for index, rule in enumerate(DEFAULT_POLICY)
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_item_tiers")]

    operations = [migrations.RunPython(seed_default_policy, migrations.RunPython.noop)]
