"""What the demo's people wrote: the leaders' approval opinions, the superiors' acknowledgement
opinions and return comments, and the revisions (动态调整) with their explanations."""

from __future__ import annotations

import random
from typing import Any

from gongkai.catalogue.rows import clean_row

APPROVAL_OPINIONS = ("同意。", "经集体研究，同意。", "同意，按程序报上级党组织备案。", "同意，按程序报备。")
ACKNOWLEDGE_OPINIONS = ("准予备案。", "同意备案，请严格按目录做好公开工作。", "已审核，准予备案。", "")
RETURN_COMMENTS = (
    "部分事项的责任部门填写不具体，请明确到具体科室或人员后重新报备。",
    "涉及党员个人信息的事项未注明脱敏要求，请补充后重新报备。",
    "公开方式仅填写了党务公开栏，请结合实际增加会议通报等方式，经主要负责人审批后重新报备。",
    "“三会一课”开展情况的公开时限不明确，请按季度公开并注明公开方式后重新报备。",
    "请对照基本目录补充遗漏的事项，并说明删减事项的理由后重新报备。",
)
REVISION_OPINION = "同意调整，按程序报备。"


def revise(rows: list[dict[str, Any]], rng: random.Random) -> tuple[list[dict[str, Any]], str]:
    """A plausible revision (动态调整) of a catalogue: its new rows and the explanation."""
    rows = [dict(r) for r in rows]
    periodic = [r for r in rows if r["timing"].get("kind") == "periodic"
                and r["timing"].get("within_workdays", 0) > 5]
    public = [r for r in rows if r["scope"] == "public" and "new_media" not in r["channels"]]
    choice = rng.randint(0, 2)
    if choice == 1 and public:
        row = rng.choice(public)
        row["channels"] = [*row["channels"], "new_media"]
        return rows, f"为扩大公开覆盖面，“{row['item']}”增加新媒体（微信公众号）公开方式。"
    if choice == 2 and periodic:
        row = rng.choice(periodic)
        old = row["timing"]["within_workdays"]
        row["timing"] = {**row["timing"], "within_workdays": 5}
        return rows, (f"按照上级关于提高党务公开时效的要求，“{row['item']}”的公开时限由期满后"
                      f"{old}个工作日内缩短为5个工作日内。")
    numbers = {str(r["number"]) for r in rows}
    number = next(str(n) for n in range(len(rows) + 1, len(rows) + 100) if str(n) not in numbers)
    added = clean_row({
        "number": number, "category": "其他应当公开的事项", "item": "主题党日活动开展情况",
        "content": "每月主题党日活动的主题、参加人员和开展情况", "responsible": rows[0]["responsible"],
        "scope": "party", "targets": "", "channels": ["meeting", "bulletin_board"],
        "timing": {"kind": "periodic", "period": "quarterly", "within_workdays": 10},
        "notice_workdays": None, "basis": "县委组织部关于规范主题党日活动的通知", "remarks": ""})
    rows.append({**added, "template_row_number": None})
    return rows, ("根据县委组织部关于规范主题党日活动的通知，新增“主题党日活动开展情况”事项，"
                  "每季度在党员大会上通报、在党务公开栏公开。")
