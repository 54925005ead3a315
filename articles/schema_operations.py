"""Migration operations of the app's own, shared by its migrations."""

from django.db import migrations


class AddBooleanColumnOnSQLite(migrations.AddField):
    """On SQLite, adds the column with ALTER TABLE instead of rebuilding the table: the rebuild
    would recreate the article table's PostgreSQL-only search index (migration 0011), and
    copy every item for one new column."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        quote = schema_editor.quote_name
        assert isinstance(field.default, bool), "written for a boolean column"
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} ADD COLUMN {quote(field.column)} "
            f"{field.db_type(schema_editor.connection)} NOT NULL DEFAULT {int(field.default)}"
        )
