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


class RemoveIndexOnPostgreSQL(OnPostgreSQL, migrations.RemoveIndex):
    pass
