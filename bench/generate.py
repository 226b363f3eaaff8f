"""Generate benchmark files for `gongkai import`: a deterministic hierarchy of organisations and
the people in it, with Chinese names.

    .venv/bin/python bench/generate.py [--orgs 100000] [--people 1000000] [--out var/bench]

Writes orgs.csv (UTF-8) and people.csv (GBK, as Excel on a Chinese Windows saves it); with
--xlsx also orgs.xlsx. The same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from pathlib import Path

SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
            ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"),
            ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
            ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"),
            ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"),
            ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan")]
GIVEN = [("建", "jian"), ("国", "guo"), ("华", "hua"), ("明", "ming"), ("丽", "li"), ("芳", "fang"),
         ("军", "jun"), ("伟", "wei"), ("敏", "min"), ("静", "jing"), ("强", "qiang"),
         ("磊", "lei"), ("洋", "yang"), ("艳", "yan"), ("勇", "yong"), ("杰", "jie"),
         ("娟", "juan"), ("涛", "tao"), ("超", "chao"), ("秀", "xiu"), ("英", "ying"),
         ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("红", "hong"), ("文", "wen"),
         ("志", "zhi"), ("海", "hai"), ("春", "chun"), ("小", "xiao"), ("德", "de"), ("宁", "ning")]
PLACE = "东西南北中上下新老大小金石青白黄红龙凤桥湖山河塘坪岭溪田坑洲港林竹梅桃柳杨"
ROLES_BY_SEAT = ["officer", "reviewer", "secrecy_reviewer", "leader"]
# (kind code, name suffix, children per node) by depth; the last level is cut to the total.
LEVELS = [("county_committee", "市委", 25), ("county_committee", "县委", 40),
          ("town_committee", "镇党委", 25), ("village", "村党总支", 3), ("branch", "党支部", 0)]
ORDINALS = "一二三四五六七八九十"


def place_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(PLACE) + rng.choice(PLACE)
        if name not in taken:
            taken.add(name)
            return name


def orgs(total: int, rng: random.Random) -> Iterator[list[str]]:
    """Breadth-first, so every parent comes before its children (the importer does not need
    that; it only makes the file read naturally)."""
    yield ["c", "青峰市委", "county_committee", "", "市委", "青峰市人民路1号", "0791-86000000"]
    count, level = 1, [("c", 0)]
    while level and count < total:
        next_level = []
        for code, depth in level:
            kind, suffix, _fanout = LEVELS[depth + 1]
            taken: set[str] = set()
            for i in range(LEVELS[depth][2]):
                if count >= total:
                    return
                child = f"{code}-{i + 1}" if depth else f"k{i + 1:02d}"
                if kind == "branch":
                    name = f"第{ORDINALS[i % 10]}{suffix}"
                else:
                    name = place_name(rng, taken) + suffix
                phone = f"0791-{rng.randint(80000000, 89999999)}" if rng.random() < 0.6 else ""
                yield [child, name, kind, code, "", "", phone]
                count += 1
                next_level.append((child, depth + 1))
        level = next_level


def people(org_rows: list[list[str]], total: int, rng: random.Random) -> Iterator[list[str]]:
    """Four role holders per org (officer, reviewer, secrecy reviewer, leader), the rest party
    members of the branches: `total` people, one row each."""
    count = 0
    branches = [r[0] for r in org_rows if r[2] in {"branch", "village"}] or [org_rows[0][0]]
    for row in org_rows:
        for role in ROLES_BY_SEAT:
            if count >= total:
                return
            yield person(count, row[0], "staff" if row[2] != "branch" else "member", role, rng)
            count += 1
    while count < total:
        yield person(count, branches[count % len(branches)], "member", "", rng)
        count += 1


def person(n: int, org: str, affiliation: str, role: str, rng: random.Random) -> list[str]:
    surname, s_pinyin = rng.choice(SURNAMES)
    given = [rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))]
    username = s_pinyin + "".join(p for _c, p in given) + str(n)
    email = f"{username}@example.org" if rng.random() < 0.3 else ""
    phone = f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}" if rng.random() < 0.8 else ""
    return [username, surname + "".join(c for c, _p in given), org, affiliation, role, email, phone]


def write_csv(path: Path, header: list[str], rows: Iterator[list[str]] | list[list[str]],
              encoding: str) -> int:
    count = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def main(argv: list[str] | None = None) -> tuple[Path, Path]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--out", default="var/bench")
    parser.add_argument("--seed", type=int, default=20240701)
    parser.add_argument("--xlsx", action="store_true", help="also write orgs.xlsx")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    org_rows = list(orgs(args.orgs, rng))
    orgs_path, people_path = out / "orgs.csv", out / "people.csv"
    header = ["code", "name", "kind", "parent_code", "short_name", "address", "phone"]
    write_csv(orgs_path, header, org_rows, "utf-8")
    if args.xlsx:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("orgs")
        sheet.append(header)
        for row in org_rows:
            sheet.append(row)
        book.save(out / "orgs.xlsx")
    n = write_csv(people_path, ["username", "real_name", "org_code", "affiliation", "roles", "email",
                                "phone"], people(org_rows, args.people, rng), "gbk")
    print(f"wrote {len(org_rows)} orgs to {orgs_path} and {n} people to {people_path}")
    return orgs_path, people_path


if __name__ == "__main__":
    main()
