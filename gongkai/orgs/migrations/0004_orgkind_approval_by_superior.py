from django.db import migrations, models

# Every seed kind keeps the default (False). The seeds make escalation (报批) depend on the
# item, not on the kind of organisation: 000 四 "超出职权范围的必须按程序报批", 001 五(三)
# "需要报请上一级党的组织审批的事项,应当按照规定办理报批手续", and 002 (篇三 三(二), 篇五 二(一))
# sends only off-catalogue items (目录外事项) to the superior (报系统党委 / 局党委审核同意), which
# disclosures.actions already escalates. None says that every item of a village branch (or of any
# other kind) must be approved by the town committee, so no kind is switched on here; an
# administrator may switch a kind on in the staff pages or through the API.


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_seed_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgkind",
            name="approval_by_superior",
            field=models.BooleanField(default=False, verbose_name="本级公开事项须报上级审批"),
        ),
    ]
