"""Articles' search documents move to a table of their own, kept by a trigger.

The GIN index ``article_search`` was on an expression of the article row (title, byline,
body): PostgreSQL worked the document out again for every update of the row that was not
a HOT update, and nearly all are not (the checklist status, the kept counts and the
desk's flags are indexed): about a millisecond per update of a 6 KB article, a third of a
second for a 900 KB one, for each extraction step and each change to one of its items.
The document is now a row of ``articles_articlesearchdocument``, written by a trigger
when an article is created or its title, byline or body change, and the index is on it.
On other databases (SQLite, the demo) the table stays empty: their search reads the title
and byline.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from articles.schema_operations import AddIndexOnPostgreSQL, RemoveIndexOnPostgreSQL, RunSQLOnPostgreSQL

KEEP_DOCUMENT = """
CREATE OR REPLACE FUNCTION articles_keep_search_document() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO articles_articlesearchdocument (article_id, document)
    VALUES (NEW.id, articles_search_document(NEW.title, NEW.byline, NEW.body))
    ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_search_document_on_insert
AFTER INSERT ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_keep_search_document();

CREATE TRIGGER article_search_document_on_update
AFTER UPDATE OF title, byline, body ON articles_article
FOR EACH ROW
WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.byline IS DISTINCT FROM NEW.byline OR OLD.body IS DISTINCT FROM NEW.body)
EXECUTE FUNCTION articles_keep_search_document();

INSERT INTO articles_articlesearchdocument (article_id, document)
SELECT id, articles_search_document(title, byline, body) FROM articles_article;
"""

DROP_KEEP_DOCUMENT = """
DROP TRIGGER IF EXISTS article_search_document_on_update ON articles_article;
DROP TRIGGER IF EXISTS article_search_document_on_insert ON articles_article;
DROP FUNCTION IF EXISTS articles_keep_search_document();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0019_article_content_hash"),
    ]

    operations = [
        RemoveIndexOnPostgreSQL(model_name="article", name="article_search"),
        migrations.CreateModel(
            name="ArticleSearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="+",
                        serialize=False, to="articles.article",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        AddIndexOnPostgreSQL(
            model_name="articlesearchdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["document"], name="article_search"),
        ),
        RunSQLOnPostgreSQL(KEEP_DOCUMENT, DROP_KEEP_DOCUMENT),
    ]
