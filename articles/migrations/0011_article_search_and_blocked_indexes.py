"""Indexes for the read side: full-text search of articles (PostgreSQL), the queue's
"has incorrect items" filter, and each person's unresolved items ("My items").

The search index is on ``articles_search_document(title, byline, body)``, an SQL function
created here: English text search of the three, or, for an article of more distinct words than
one text-search document can hold (1 MB of them — tables of figures, not prose), of as much of
its beginning as fits, so that such an article is still saved rather than refused by the index.
On other databases (SQLite, the demo) neither the function nor the index exists; the search
falls back to the title and byline there (articles/search.py).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models

SEARCH_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_search_document(title text, byline text, body text)
RETURNS tsvector
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    heading text := coalesce(title, '') || ' ' || coalesce(byline, '');
    kept integer := length(coalesce(body, ''));
BEGIN
    LOOP
        BEGIN
            RETURN to_tsvector('english'::regconfig, heading || ' ' || left(coalesce(body, ''), kept));
        EXCEPTION WHEN program_limit_exceeded THEN
            -- More distinct words than one tsvector holds: keep the first half, and so on.
            IF kept = 0 THEN
                RAISE;
            END IF;
            kept := kept / 2;
        END;
    END LOOP;
END
$$;
"""
DROP_SEARCH_FUNCTION = "DROP FUNCTION IF EXISTS articles_search_document(text, text, text);"


class OnPostgreSQL:
    """Runs the operation's database work on PostgreSQL only; the migration state changes everywhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RunSQLOnPostgreSQL(OnPostgreSQL, migrations.RunSQL):
    pass


class AddIndexOnPostgreSQL(OnPostgreSQL, migrations.AddIndex):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0010_kept_progress"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("items_incorrect__gt", 0)), fields=["-updated_at"], name="article_blocked_recent"
            ),
        ),
        migrations.AddIndex(
            model_name="checklistitem",
            index=models.Index(
                condition=models.Q(("state__in", ["dismissed", "unverifiable", "verified"]), _negated=True),
                fields=["assignee", "state", "due_at", "article", "start"],
                name="item_assignee_open",
            ),
        ),
        RunSQLOnPostgreSQL(SEARCH_FUNCTION, DROP_SEARCH_FUNCTION),
        AddIndexOnPostgreSQL(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                django.db.models.expressions.Func(
                    models.F("title"),
                    models.F("byline"),
                    models.F("body"),
                    function="articles_search_document",
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                name="article_search",
            ),
        ),
    ]
