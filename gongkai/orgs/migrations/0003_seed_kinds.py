from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.orgs.kinds import ensure_seed_kinds

    ensure_seed_kinds(apps.get_model("orgs", "OrgKind"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
