"""The README and docs/ stay true to the code: the demo accounts, every setting, every API
operation."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.demo.plan import DEMO_ACCOUNTS, DEMO_PASSWORD, build_plan

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_begins_with_the_two_commands():
    lines = README.splitlines()
    assert lines[0].startswith("```")
    assert lines[1].startswith("make demo ") and "#" in lines[1]
    assert lines[2].startswith("make test ") and "#" in lines[2]
    assert lines[3] == "```"
    assert "PORT=8001 make demo" in README


def test_readme_lists_every_demo_account_with_its_org():
    orgs = {o.code: o.name for o in build_plan().orgs}
    rows = {line.split("|")[1].strip(" `"): line for line in README.splitlines()
            if line.startswith("| `")}
    assert set(rows) == {a.username for a in DEMO_ACCOUNTS}
    for account in DEMO_ACCOUNTS:
        assert orgs[account.org_code] in rows[account.username]
        for role in account.roles:
            assert role in rows[account.username]
    assert DEMO_PASSWORD in README


def test_readme_links_resolve():
    for target in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / target).is_file(), target


def test_configuration_doc_names_every_setting():
    settings_source = (ROOT / "gongkai" / "settings.py").read_text(encoding="utf-8")
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    names = set(re.findall(r'"(GONGKAI_[A-Z_]+)"', settings_source))
    assert names
    missing = sorted(n for n in names if f"`{n}`" not in doc)
    assert not missing, f"docs/configuration.md lacks {missing}"


def test_api_doc_names_every_operation():
    from gongkai.api.urls import api

    schema = api.get_openapi_schema()
    operations = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = sorted(op for op in operations if f"`{op}`" not in doc)
    assert not missing, f"docs/api.md lacks {missing}"
