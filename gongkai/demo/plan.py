"""The demo county as plain data: which organisations, people, affiliations and role grants it
has. Pure and deterministic (one seeded random generator, fixed order), so every machine gets
the same county and the loader (gongkai.demo.builder) only has to write it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gongkai.demo import names
from gongkai.orgs.models import AffiliationKind, Role

SEED = 20240701
COUNTY_CODE = "xw"
# Shared by the demo accounts only; everybody else gets an unusable password.
DEMO_PASSWORD = "Gongkai-Demo-2025"  # noqa: S105 -- published on purpose in the README
DEMO_TOWN = "cgz"
DEMO_VILLAGE = "cgz-01"

# The four roles every organisation has, in the order they are filled.
ORG_ROLES = (Role.LEADER, Role.OFFICER, Role.REVIEWER, Role.SECRECY_REVIEWER)
# Kinds whose people work in the organ itself (职工) and belong to a branch as members.
LEADING_KINDS = {"county_committee", "discipline", "organ_party_group", "organs_work_committee",
                 "town_committee", "party_committee"}
RURAL_KINDS = {"village", "community"}
EXTRA_SUPERVISORS = 4


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    address: str
    phone: str
    office_hours: str
    sort_order: int


@dataclass(frozen=True)
class PersonSpec:
    username: str
    real_name: str
    demo: bool = False
    superuser: bool = False

    @property
    def email(self) -> str:
        # example.org is reserved (RFC 2606): password-reset mail of the demo never reaches anyone.
        return f"{self.username}@example.org"


@dataclass(frozen=True)
class DemoAccount:
    """One sign-in per role, sharing DEMO_PASSWORD, listed by the command and the README."""

    username: str
    real_name: str
    org_code: str
    roles: tuple[str, ...] = ()
    superuser: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "系统管理员", COUNTY_CODE, (Role.ADMIN,), superuser=True),
    DemoAccount("county_officer", "林晓燕", COUNTY_CODE, (Role.OFFICER,)),
    DemoAccount("town_officer", "王建华", DEMO_TOWN, (Role.OFFICER,)),
    DemoAccount("reviewer", "李敏", DEMO_TOWN, (Role.REVIEWER,)),
    DemoAccount("secrecy", "赵志刚", DEMO_TOWN, (Role.SECRECY_REVIEWER,)),
    DemoAccount("leader", "张国庆", DEMO_TOWN, (Role.LEADER,)),
    DemoAccount("supervisor", "刘红梅", COUNTY_CODE, (Role.SUPERVISOR,)),
    DemoAccount("member", "陈小军", DEMO_VILLAGE),
)


@dataclass
class Plan:
    orgs: list[OrgSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    affiliations: list[tuple[str, str, str]] = field(default_factory=list)  # username, org, kind
    grants: list[tuple[str, str, str]] = field(default_factory=list)        # username, org, role

    def org(self, code: str) -> OrgSpec:
        return next(o for o in self.orgs if o.code == code)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- demo data, not secrets
        self.plan = Plan()
        self.children: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}
        self.parents: dict[str, str | None] = {}
        self.usernames = {account.username for account in DEMO_ACCOUNTS}

    # -- organisations ------------------------------------------------------------------------

    def phone(self) -> str:
        return f"{names.AREA_CODE}-{self.rng.randint(8200000, 8899999)}"

    def address(self, place: str = "") -> str:
        road = self.rng.choice(names.ROADS)
        return f"{names.COUNTY}{place}{road}{self.rng.randint(1, 288)}号"

    def org(self, code: str, name: str, short_name: str, kind: str, parent: str | None,
            address: str, hours: str = names.OFFICE_HOURS) -> str:
        siblings = self.children.setdefault(parent or "", [])
        siblings.append(code)
        self.children[code] = []
        self.kinds[code] = kind
        self.parents[code] = parent
        self.plan.orgs.append(OrgSpec(code, name, short_name, kind, parent, address, self.phone(),
                                      hours, len(siblings)))
        return code

    def county(self) -> None:
        seat = f"{names.COUNTY}府前路1号"
        self.org(COUNTY_CODE, f"中共{names.COUNTY}委员会", f"{names.COUNTY}委", "county_committee",
                 None, seat)
        for code, name, short in names.COUNTY_ORGANS:
            self.org(code, name, short, "organ_party_group", COUNTY_CODE, seat)
            self.org(f"{code}-1", f"{name}党支部", f"{short}党支部", "branch", code, seat)
        self.org("xw-jw", f"中共{names.COUNTY}纪律检查委员会", "县纪委", "discipline", COUNTY_CODE,
                 self.address())
        self.org("xw-jw-1", "县纪委监委机关党支部", "纪委机关党支部", "branch", "xw-jw",
                 self.plan.orgs[-1].address)
        self.organs_committee()
        for code, town, is_street in names.TOWNS:
            self.town(code, town, is_street)

    def organs_committee(self) -> None:
        address = self.address()
        self.org("jggw", f"中共{names.COUNTY}直属机关工作委员会", "县直机关工委",
                 "organs_work_committee", COUNTY_CODE, address)
        self.org("jggw-jg", "县直机关工委机关党支部", "工委机关党支部", "branch", "jggw", address)
        for code, name, short, kind in names.DEPARTMENTS:
            address = self.address()
            self.org(code, name, short, kind, "jggw", address)
            unit = name.removesuffix("党组").removesuffix("党委")
            count = self.rng.randint(1, 3)
            labels = (["机关党支部"] if count == 1
                      else [f"机关第{names.ORDINALS[i]}党支部" for i in range(count)])
            if count == 3:
                labels[-1] = "离退休干部党支部"
            for i, label in enumerate(labels, start=1):
                self.org(f"{code}-{i}", f"{unit}{label}", f"{short}{label}", "branch", code, address)

    def town(self, code: str, town: str, is_street: bool) -> None:
        committee = "党工委" if is_street else "党委"
        address = self.address(town)
        self.org(code, f"{town}{committee}", town, "town_committee", COUNTY_CODE, address)
        self.org(f"{code}-jg", f"{town}机关党支部", "机关党支部", "branch", code, address)
        if is_street:
            size = self.rng.randint(12, 16)
            villages = self.rng.randint(0, 3)
        else:
            size = self.rng.randint(13, 17)
            villages = size - self.rng.randint(1, 2)
        village_names = self.rng.sample(
            [a + b for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND], villages)
        places = [f"{n}村" for n in village_names]
        places += [f"{n}社区" for n in self.rng.sample(names.COMMUNITIES, size - villages)]
        for index, place in enumerate(places, start=1):
            kind = "village" if place.endswith("村") else "community"
            vcode = f"{code}-{index:02d}"
            hall = f"{names.COUNTY}{town}{place}党群服务中心"
            # The demo member's village stays a plain branch so its members sit right there.
            if vcode != DEMO_VILLAGE and self.rng.random() < 0.15:
                self.org(vcode, f"{place}党总支", place, kind, code, hall, names.VILLAGE_HOURS)
                for b in range(1, self.rng.randint(2, 3) + 1):
                    label = f"第{names.ORDINALS[b - 1]}党支部"
                    self.org(f"{vcode}-{b}", f"{place}{label}", label, "branch", vcode, hall,
                             names.VILLAGE_HOURS)
            else:
                self.org(vcode, f"{place}党支部", place, kind, code, hall, names.VILLAGE_HOURS)

    # -- people -------------------------------------------------------------------------------

    def person(self) -> str:
        surname, surname_py = self.rng.choice(names.SURNAMES)
        given = self.rng.sample(names.GIVEN, 2 if self.rng.random() < 0.75 else 1)
        real_name = surname + "".join(c for c, _ in given)
        base = surname_py + "".join(p for _, p in given)
        username, n = base, 1
        while username in self.usernames:
            n += 1
            username = f"{base}{n}"
        self.usernames.add(username)
        self.plan.people.append(PersonSpec(username, real_name))
        return username

    def first_leaf(self, code: str) -> str:
        while self.children[code]:
            code = self.children[code][0]
        return code

    def affiliate(self, username: str, org: str, kind: str) -> None:
        self.plan.affiliations.append((username, org, kind))

    def attach_role_holder(self, username: str, org: str) -> None:
        """Where a role holder belongs: a leading body's people work there (staff) and are
        members of its first branch; a branch's people are its members."""
        if self.kinds[org] in LEADING_KINDS:
            self.affiliate(username, org, AffiliationKind.STAFF)
        self.affiliate(username, self.first_leaf(org), AffiliationKind.MEMBER)

    def people(self) -> None:
        filled: set[tuple[str, str]] = set()
        for account in DEMO_ACCOUNTS:
            self.plan.people.append(PersonSpec(account.username, account.real_name, demo=True,
                                               superuser=account.superuser))
            for role in account.roles:
                self.plan.grants.append((account.username, account.org_code, role))
                filled.add((account.org_code, role))
            if not account.roles:
                self.affiliate(account.username, account.org_code, AffiliationKind.MEMBER)
            elif account.roles == (Role.SUPERVISOR,):
                # A supervisor oversees the county but is an ordinary member of a village.
                self.affiliate(account.username, DEMO_VILLAGE, AffiliationKind.MEMBER)
            else:
                self.attach_role_holder(account.username, account.org_code)
        leaves = [o.code for o in self.plan.orgs if not self.children[o.code]]
        for spec in self.plan.orgs:
            for role in ORG_ROLES:
                if (spec.code, role) not in filled:
                    username = self.person()
                    self.plan.grants.append((username, spec.code, role))
                    self.attach_role_holder(username, spec.code)
        for _ in range(EXTRA_SUPERVISORS):
            username = self.person()
            self.plan.grants.append((username, COUNTY_CODE, Role.SUPERVISOR))
            self.affiliate(username, self.rng.choice(leaves), AffiliationKind.MEMBER)
        for spec in self.plan.orgs:
            # 群众: the organ's non-member staff.
            if spec.kind in {"organ_party_group", "party_committee", "town_committee"}:
                for _ in range(self.rng.randint(3, 6)):
                    self.affiliate(self.person(), spec.code, AffiliationKind.STAFF)
        for code in leaves:
            parent = self.parents[code]
            rural = RURAL_KINDS & {self.kinds[code], self.kinds.get(parent or "", "")}
            low, high = (5, 11) if rural else (3, 8)
            for _ in range(self.rng.randint(low, high)):
                self.affiliate(self.person(), code, AffiliationKind.MEMBER)


def build_plan(seed: int = SEED) -> Plan:
    builder = _Builder(seed)
    builder.county()
    builder.people()
    return builder.plan
