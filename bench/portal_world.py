"""The benchmark's hierarchy and people as plain data (bench/portal_data.py writes them): a city
committee over many counties, each shaped like the demo county (gongkai/demo/plan.py), from the
demo's word lists (gongkai/demo/names.py), and the people of every organisation.

Shape of one county (about 530 organisations), depth from the city at 0:

    city 市委 (0) → county 县委 (1) → its organs, 纪委, 机关工委 (2) → departments (3) →
    their branches, schools and hospitals (4) → the branches of those (5);
    county → towns (2) → 机关党支部, villages and communities (3) → branches of a 党总支 (4).

Counties are added until the number of organisations asked for is reached (the last one is
cut short). People: the four role holders of every organisation (ORG_ROLES, attached as in the
demo: staff of a leading body and member of its first branch, or member of their branch), two
supervisors per county, non-member staff in the organs, and party members in the branches and
villages up to the number asked for. Pure and deterministic: one seeded generator, fixed order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gongkai.demo import names
from gongkai.demo.plan import LEADING_KINDS, ORG_ROLES, RURAL_KINDS
from gongkai.orgs.models import AffiliationKind, Role, build_path

# Two-character county names are drawn from these (with 县 appended); enough for a thousand.
COUNTY_CHARS = "安宁平丰永兴德新昌乐和广泰康顺福华庆隆吉瑞清远定都宜靖泉溪阳江山林金玉"
CITY_CODE = "qf"
CITY_NAME, CITY_SHORT = "中共青峰市委员会", "青峰市委"
SUPERVISORS_PER_COUNTY = 2
SCHOOLS = ("小学", "中学", "中心小学", "幼儿园")


class Full(Exception):
    """The number of organisations (or people) asked for is reached."""


@dataclass(slots=True)
class OrgPlan:
    pk: int
    code: str
    name: str
    short_name: str
    kind: str
    parent: int | None
    path: str
    depth: int
    address: str
    phone: str
    office_hours: str
    sort_order: int
    children: list[int] = field(default_factory=list)


class Hierarchy:
    def __init__(self, rng: random.Random, limit: int) -> None:
        self.rng, self.limit = rng, limit
        self.orgs: list[OrgPlan] = []  # pk - 1 is the index

    def add(
        self,
        code: str,
        name: str,
        short: str,
        kind: str,
        parent: OrgPlan | None,
        address: str,
        hours: str = names.OFFICE_HOURS,
    ) -> OrgPlan:
        if len(self.orgs) >= self.limit:
            raise Full
        siblings = parent.children if parent else []
        org = OrgPlan(
            len(self.orgs) + 1,
            code,
            name,
            short,
            kind,
            parent.pk if parent else None,
            build_path(parent.path if parent else None, code),
            parent.depth + 1 if parent else 0,
            address,
            f"{names.AREA_CODE}-{self.rng.randint(8200000, 8899999)}",
            hours,
            len(siblings) + 1,
        )
        if parent is not None:
            parent.children.append(org.pk)
        self.orgs.append(org)
        return org

    def address(self, county: str, place: str = "") -> str:
        return f"{county}{place}{self.rng.choice(names.ROADS)}{self.rng.randint(1, 288)}号"

    def build(self) -> list[OrgPlan]:
        city = self.add(CITY_CODE, CITY_NAME, CITY_SHORT, "county_committee", None, "青峰市府前路1号")
        county_names = [a + b for a in COUNTY_CHARS for b in COUNTY_CHARS if a != b]
        self.rng.shuffle(county_names)
        try:
            for number, place in enumerate(county_names, start=1):
                self.county(city, f"k{number:03d}", f"{place}县")
        except Full:
            pass
        return self.orgs

    def county(self, city: OrgPlan, code: str, county: str) -> None:
        seat = f"{county}府前路1号"
        top = self.add(code, f"中共{county}委员会", f"{county}委", "county_committee", city, seat)
        for organ_code, name, short in names.COUNTY_ORGANS:
            organ_code = organ_code.removeprefix("xw-")
            organ = self.add(
                f"{code}-{organ_code}", name.replace("县", county, 1), short, "organ_party_group", top, seat
            )
            self.add(
                f"{organ.code}-1",
                f"{name.replace('县', county, 1)}党支部",
                f"{short}党支部",
                "branch",
                organ,
                seat,
            )
        discipline = self.add(
            f"{code}-jw", f"中共{county}纪律检查委员会", "县纪委", "discipline", top, self.address(county)
        )
        self.add(
            f"{code}-jw-1", "县纪委监委机关党支部", "纪委机关党支部", "branch", discipline, discipline.address
        )
        self.organs(top, county)
        towns = self.rng.sample(
            [a + b for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND], self.rng.randint(12, 20)
        )
        for number, place in enumerate(towns, start=1):
            self.town(top, county, f"{code}-t{number:02d}", place, self.rng.random() < 0.2)

    def organs(self, top: OrgPlan, county: str) -> None:
        """县直机关工委: departments with their branches, schools under education, hospitals
        under health, and a few state-owned enterprises."""
        jggw = self.add(
            f"{top.code}-jg",
            f"中共{county}直属机关工作委员会",
            "县直机关工委",
            "organs_work_committee",
            top,
            self.address(county),
        )
        self.add(f"{jggw.code}-0", "县直机关工委机关党支部", "工委机关党支部", "branch", jggw, jggw.address)
        for dept_code, name, short, kind in names.DEPARTMENTS:
            address = self.address(county)
            dept = self.add(
                f"{top.code}-{dept_code}", name.replace("县", county, 1), short, kind, jggw, address
            )
            unit = name.removesuffix("党组").removesuffix("党委")
            count = self.rng.randint(1, 3)
            labels = (
                ["机关党支部"] if count == 1 else [f"机关第{names.ORDINALS[i]}党支部" for i in range(count)]
            )
            for i, label in enumerate(labels, start=1):
                self.add(f"{dept.code}-{i}", f"{unit}{label}", f"{short}{label}", "branch", dept, address)
            if dept_code == "jyj":
                self.schools(dept, county)
            elif dept_code == "wjj":
                self.hospitals(dept, county)
        for number, name in enumerate(
            ("城投集团", "交投集团", "水务公司")[: self.rng.randint(1, 3)], start=1
        ):
            soe = self.add(
                f"{top.code}-q{number}",
                f"{county}{name}党委",
                name,
                "soe_committee",
                jggw,
                self.address(county),
            )
            for b in range(1, self.rng.randint(2, 4) + 1):
                self.add(
                    f"{soe.code}-{b}",
                    f"{name}第{names.ORDINALS[b - 1]}党支部",
                    f"第{names.ORDINALS[b - 1]}党支部",
                    "branch",
                    soe,
                    soe.address,
                )

    def schools(self, dept: OrgPlan, county: str) -> None:
        places = self.rng.sample(
            [a + b for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND], self.rng.randint(6, 12)
        )
        for number, place in enumerate(places, start=1):
            school = f"{place}{self.rng.choice(SCHOOLS)}"
            big = self.rng.random() < 0.2
            org = self.add(
                f"{dept.code}-s{number:02d}",
                f"{county}{school}党{'总' if big else ''}支部",
                school,
                "institution",
                dept,
                self.address(county),
            )
            for b in range(1, (self.rng.randint(2, 3) if big else 0) + 1):
                self.add(
                    f"{org.code}-{b}",
                    f"{school}第{names.ORDINALS[b - 1]}党支部",
                    f"第{names.ORDINALS[b - 1]}党支部",
                    "branch",
                    org,
                    org.address,
                )

    def hospitals(self, dept: OrgPlan, county: str) -> None:
        for number, (name, branches) in enumerate(
            (("人民医院", self.rng.randint(3, 5)), ("中医院", self.rng.randint(2, 3))), start=1
        ):
            org = self.add(
                f"{dept.code}-h{number}",
                f"{county}{name}党委",
                name,
                "institution",
                dept,
                self.address(county),
            )
            for b in range(1, branches + 1):
                self.add(
                    f"{org.code}-{b}",
                    f"{name}第{names.ORDINALS[b - 1]}党支部",
                    f"第{names.ORDINALS[b - 1]}党支部",
                    "branch",
                    org,
                    org.address,
                )

    def town(self, top: OrgPlan, county: str, code: str, place: str, is_street: bool) -> None:
        town = f"{place}{'街道' if is_street else '镇'}"
        address = self.address(county, town)
        committee = self.add(
            code, f"{town}{'党工委' if is_street else '党委'}", town, "town_committee", top, address
        )
        self.add(f"{code}-jg", f"{town}机关党支部", "机关党支部", "branch", committee, address)
        size = self.rng.randint(13, 24)
        villages = self.rng.randint(0, 3) if is_street else size - self.rng.randint(1, 2)
        pool = [a + b for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND]
        places = [f"{n}村" for n in self.rng.sample(pool, villages)]
        places += [f"{n}社区" for n in self.rng.sample(names.COMMUNITIES, size - villages)]
        for number, village in enumerate(places, start=1):
            kind = "village" if village.endswith("村") else "community"
            hall = f"{county}{town}{village}党群服务中心"
            vcode = f"{code}-v{number:02d}"
            if self.rng.random() < 0.15:
                general = self.add(
                    vcode, f"{village}党总支", village, kind, committee, hall, names.VILLAGE_HOURS
                )
                for b in range(1, self.rng.randint(2, 3) + 1):
                    label = f"第{names.ORDINALS[b - 1]}党支部"
                    self.add(
                        f"{vcode}-{b}",
                        f"{village}{label}",
                        label,
                        "branch",
                        general,
                        hall,
                        names.VILLAGE_HOURS,
                    )
            else:
                self.add(vcode, f"{village}党支部", village, kind, committee, hall, names.VILLAGE_HOURS)


def build_orgs(limit: int, seed: int) -> list[OrgPlan]:
    return Hierarchy(random.Random(f"{seed}:orgs"), limit).build()


# What the plan gives of an org's row (gongkai.bulk.insert_rows columns); the caller adds the rest.
ORG_COLUMNS = (
    "id",
    "code",
    "name",
    "short_name",
    "kind_id",
    "parent_id",
    "path",
    "depth",
    "address",
    "phone",
    "office_hours",
    "sort_order",
)


def org_rows(orgs: list[OrgPlan], kind_ids: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    for o in orgs:
        yield (
            o.pk,
            o.code,
            o.name,
            o.short_name,
            kind_ids[o.kind],
            o.parent,
            o.path,
            o.depth,
            o.address,
            o.phone,
            o.office_hours,
            o.sort_order,
        )


# -- people --------------------------------------------------------------------------------


@dataclass
class People:
    """Who is who, by id (person pk = index + 1 of the order they are made in)."""

    count: int = 0
    affiliations: list[tuple[int, int, str]] = field(default_factory=list)  # person, org, kind
    grants: list[tuple[int, int, str]] = field(default_factory=list)  # person, org, role
    # Per org: its officer (who writes and publishes its items) and a few of its people (for
    # items targeted at named persons).
    officer: dict[int, int] = field(default_factory=dict)
    some: dict[int, list[int]] = field(default_factory=dict)
    members: list[int] = field(default_factory=list)  # plain party members (load-test readers)


def plan_people(orgs: list[OrgPlan], limit: int, seed: int) -> People:
    rng = random.Random(f"{seed}:people")
    people = People()
    by_pk = {o.pk: o for o in orgs}

    def first_leaf(org: OrgPlan) -> OrgPlan:
        while org.children:
            org = by_pk[org.children[0]]
        return org

    def new(org_pk: int) -> int:
        if people.count >= limit:
            raise Full
        people.count += 1
        some = people.some.setdefault(org_pk, [])
        if len(some) < 5:
            some.append(people.count)
        return people.count

    def attach(person: int, org: OrgPlan) -> None:
        if org.kind in LEADING_KINDS:
            people.affiliations.append((person, org.pk, AffiliationKind.STAFF))
        people.affiliations.append((person, first_leaf(org).pk, AffiliationKind.MEMBER))

    leaves = [o for o in orgs if not o.children]
    try:
        for org in orgs:
            for role in ORG_ROLES:
                person = new(org.pk)
                people.grants.append((person, org.pk, role))
                if role == Role.OFFICER:
                    people.officer[org.pk] = person
                attach(person, org)
        for county in (o for o in orgs if o.depth == 1):
            for _ in range(SUPERVISORS_PER_COUNTY):
                person = new(county.pk)
                people.grants.append((person, county.pk, Role.SUPERVISOR))
                people.affiliations.append((person, rng.choice(leaves).pk, AffiliationKind.MEMBER))
        for org in orgs:
            # 群众: the organ's non-member staff.
            if org.kind in {"organ_party_group", "party_committee", "town_committee"}:
                for _ in range(rng.randint(3, 6)):
                    people.affiliations.append((new(org.pk), org.pk, AffiliationKind.STAFF))
        # Party members in the leaves, rural ones about twice as many.
        weights = []
        total = 0.0
        for leaf in leaves:
            parent = by_pk.get(leaf.parent or 0)
            total += 2.0 if RURAL_KINDS & {leaf.kind, parent.kind if parent else ""} else 1.0
            weights.append(total)
        remaining = max(0, limit - people.count)
        for leaf in rng.choices(leaves, cum_weights=weights, k=remaining):
            person = new(leaf.pk)
            people.affiliations.append((person, leaf.pk, AffiliationKind.MEMBER))
            people.members.append(person)
    except Full:
        pass
    return people


def person_rows(count: int, seed: int) -> Iterator[tuple[str, str, str, str]]:
    """(username, real name, phone, email) of person 1..count, from the demo's name lists."""
    rng = random.Random(f"{seed}:names")
    for pk in range(1, count + 1):
        surname, surname_py = rng.choice(names.SURNAMES)
        given = rng.sample(names.GIVEN, 2 if rng.random() < 0.75 else 1)
        username = surname_py + "".join(p for _c, p in given) + str(pk)
        phone = f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}" if rng.random() < 0.8 else ""
        email = f"{username}@example.org" if rng.random() < 0.2 else ""
        yield username, surname + "".join(c for c, _p in given), phone, email
