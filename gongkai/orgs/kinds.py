"""The org kinds named in the source documents (shared/seeds), loaded by a data migration.
Administrators add more in the staff pages; these codes are referenced by catalogue templates."""

from typing import Any

SEED_KINDS: list[tuple[str, str, str]] = [
    ("county_committee", "县(区)委 / 党工委", "县（区）委、开发区党工委：一个区域的领导机关"),
    ("discipline", "纪委 / 纪工委", "纪律检查委员会、纪律检查工作委员会"),
    ("organ_party_group", "工作机关党组(党委)", "县委工作机关、政府工作部门的党组（党委）"),
    ("organs_work_committee", "机关工委", "县直机关工作委员会"),
    ("town_committee", "镇(街道)党(工)委", "乡镇党委、街道党工委"),
    ("village", "村党组织", "村党总支、村党支部"),
    ("community", "社区党组织", "社区党委、党总支、党支部"),
    ("party_committee", "党委", "基层党委"),
    ("general_branch", "党总支", "党总支部委员会"),
    ("branch", "党支部", "党支部"),
    ("soe_committee", "国有企业党委", "国有企业党委"),
    ("institution", "学校 / 医院 / 社会组织党组织", "事业单位、学校、医院、社会组织的党组织"),
]


def ensure_seed_kinds(kind_model: Any) -> None:
    """Create the seed kinds that are missing (used by the data migration, and by tests after
    a transactional test has flushed the tables)."""
    existing = set(kind_model.objects.values_list("code", flat=True))
    for order, (code, name, description) in enumerate(SEED_KINDS, start=1):
        if code not in existing:
            kind_model.objects.create(code=code, name=name, description=description,
                                      sort_order=order * 10)
