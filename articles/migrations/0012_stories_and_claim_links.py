"""Stories, and the desk's links between claims of different articles (services/stories.py)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from articles.schema_operations import AddBooleanColumnOnSQLite


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_article_search_and_blocked_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddBooleanColumnOnSQLite(
            model_name="checklistitem",
            name="has_related",
            field=models.BooleanField(
                default=False, editable=False,
                help_text="Linked to claims of other articles (ClaimLink): only such items' links are read.",
            ),
        ),
        migrations.CreateModel(
            name='Story',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, help_text='Blank: named after its first article.', max_length=300)),
                ('name_pinned', models.BooleanField(default=False, help_text='An editor named the story; it keeps the name.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={
                'verbose_name_plural': 'stories',
                'ordering': ['-updated_at'],
            },
        ),
        AddBooleanColumnOnSQLite(
            model_name='article',
            name='story_pinned',
            field=models.BooleanField(default=False, help_text='An editor put the article in its story; automatic grouping leaves it there.'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='story_pinned',
            field=models.BooleanField(default=False, help_text='An editor put the article in its story; automatic grouping leaves it there.'),
        ),
        migrations.AlterField(
            model_name='checklistitem',
            name='origin',
            field=models.CharField(choices=[('auto', 'Found by the engine'), ('manual', 'Added by an editor'), ('linked', 'Found across the desk')], default='auto', max_length=10),
        ),
        migrations.AlterField(
            model_name='historicalchecklistitem',
            name='origin',
            field=models.CharField(choices=[('auto', 'Found by the engine'), ('manual', 'Added by an editor'), ('linked', 'Found across the desk')], default='auto', max_length=10),
        ),
        migrations.CreateModel(
            name='HistoricalStory',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(blank=True, help_text='Blank: named after its first article.', max_length=300)),
                ('name_pinned', models.BooleanField(default=False, help_text='An editor named the story; it keeps the name.')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical story',
                'verbose_name_plural': 'historical stories',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='article',
            name='story',
            field=models.ForeignKey(blank=True, help_text="The story the article belongs to; found when its checklist is linked to the desk's.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='articles', to='articles.story'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='story',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The story the article belongs to; found when its checklist is linked to the desk's.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.story'),
        ),
        migrations.CreateModel(
            name='ClaimFingerprint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.BigIntegerField()),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.checklistitem')),
            ],
            options={
                'indexes': [models.Index(fields=['key', '-item'], name='fingerprint_key_recent'), models.Index(fields=['article'], name='fingerprint_article')],
            },
        ),
        migrations.CreateModel(
            name='ClaimLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('relation', models.CharField(choices=[('same', 'Same claim'), ('variant', 'Variant')], max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='articles.checklistitem')),
                ('other', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.checklistitem')),
            ],
            options={
                'ordering': ['item', 'other'],
                'constraints': [models.UniqueConstraint(fields=('item', 'other'), name='claim_link_unique_pair')],
            },
        ),
    ]
