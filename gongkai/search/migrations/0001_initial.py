import gongkai.search.models
from django.db import migrations, models

# What the model cannot say, by database (gongkai/search/models.py): the FTS5 table on SQLite;
# GIN indexes over the tsvectors and partial indexes for rows without one on PostgreSQL.
SQLITE = ["CREATE VIRTUAL TABLE search_fts USING fts5(tokens, tokenize='ascii')"]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts"]
POSTGRESQL = [
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_document_unindexed ON search_searchdocument (id) WHERE vector IS NULL",
    "CREATE INDEX search_document_title_vector ON search_searchdocument USING gin (title_vector)",
    "CREATE INDEX search_document_title_unindexed ON search_searchdocument (id) WHERE title_vector IS NULL",
    # The planner's estimate of how rare a token is decides between the GIN index and a walk
    # down the date index; with the default statistics every token outside the ~1000 most
    # common looks like 0.5 % of all rows, and a rare one walked the whole table (bench).
    "ALTER TABLE search_searchdocument ALTER COLUMN vector SET STATISTICS 1000, "
    "ALTER COLUMN title_vector SET STATISTICS 1000",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "DROP INDEX IF EXISTS search_document_unindexed",
    "DROP INDEX IF EXISTS search_document_title_vector",
    "DROP INDEX IF EXISTS search_document_title_unindexed",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=32)),
                ('object_id', models.BigIntegerField()),
                ('org_path', models.CharField(blank=True, db_index=True, max_length=1024)),
                ('category', models.CharField(blank=True, max_length=64)),
                ('scope', models.CharField(blank=True, max_length=16)),
                ('published_at', models.DateTimeField()),
                ('title', models.TextField()),
                ('body', models.TextField(blank=True)),
                ('folded_title', models.TextField()),
                ('folded', models.TextField()),
                ('vector', gongkai.search.models.TokenVectorField(blank=True, null=True)),
                ('title_vector', gongkai.search.models.TokenVectorField(blank=True, null=True)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'indexes': [models.Index(fields=['kind', '-published_at', '-id'], name='search_document_date')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_document_unique')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
