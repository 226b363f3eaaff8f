from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.orgs.kinds import SEED_KINDS

    OrgKind = apps.get_model("orgs", "OrgKind")
    for order, (code, name, description) in enumerate(SEED_KINDS, start=1):
        OrgKind.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
