"""axe-core (Deque, MPL-2.0), vendored from the npm registry (axe-core 4.14.1, unmodified, with
its licence beside it) and injected into pages by the browser tests: nothing loads from the
internet, and the pages themselves never ship it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# What a page must not have. GB/T 37668 level 2 is the aim; its technical requirements follow
# WCAG 2.0 A and AA, which are the rule tags run here.
BLOCKING_IMPACTS = ("serious", "critical")
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations of the WCAG A/AA rules on the current page."""
    page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULE_TAGS
    )
    return list(result["violations"])


def blocking(page: Any) -> list[str]:
    """One readable line per serious or critical violation (rule, impact, first nodes)."""
    lines = []
    for v in violations(page):
        if v.get("impact") in BLOCKING_IMPACTS:
            targets = "; ".join(str(n["target"]) for n in v["nodes"][:3])
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return lines
