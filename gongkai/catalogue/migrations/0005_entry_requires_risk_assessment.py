from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_obligation_entry_unindexed"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="requires_risk_assessment",
            field=models.BooleanField(db_default=False, default=False, verbose_name="须进行风险评估"),
        ),
    ]
