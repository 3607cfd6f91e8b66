"""The flow chart of a guide's steps: well-formed SVG with a title and a description, a box
per step, and the branches (补正 with 一次性告知, 不予受理) beside the steps marked with them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from services.content.flowchart import FlowWords, describe, flowchart_svg, wrap

SVG = "{http://www.w3.org/2000/svg}"
WORDS = FlowWords(
    title="办理流程图",
    start="提出申请",
    end="办结，送达结果",
    correction="补正材料（一次性告知）",
    refusal="不予受理（书面说明理由）",
    leads_to=lambda n, branches: f"第 {n} 步可能转入：{'、'.join(branches)}",
)
STEPS = [
    {"title": "受理审查", "branches": ["refusal", "correction"]},
    {"title": "现场勘察", "time_limit": {"value": 2, "unit": "working_days"}},
    {"title": "审批 <A&B>", "branches": ["refusal"]},
    {"title": "装表通气"},
]


def chart(steps=STEPS) -> ET.Element:
    return ET.fromstring(flowchart_svg(steps, WORDS, "flow-test"))


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def test_the_chart_is_well_formed_svg_with_title_and_description():
    svg = chart()
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "办理流程图"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "1. 受理审查 → 2. 现场勘察 → 3. 审批 <A&B> → 4. 装表通气" in desc.text
    assert "第 1 步可能转入：补正材料（一次性告知）、不予受理（书面说明理由）" in desc.text
    assert "第 3 步可能转入：不予受理（书面说明理由）" in desc.text
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    assert width == 640 and height > 300


def test_each_step_is_a_box_in_order_between_start_and_end():
    svg = chart()
    steps = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "flow-step"]
    assert [g.get("data-step") for g in steps] == ["1", "2", "3", "4"]
    shown = texts(svg)
    assert shown[0] == "提出申请" and shown[-1] == "办结，送达结果"
    assert "3 审批 <A&B>" in shown  # escaped in the markup, whole when read back


def test_branches_sit_beside_the_steps_marked_with_them():
    svg = chart()
    branches = [
        (g.get("data-step"), g.get("class"))
        for g in svg.iter(f"{SVG}g")
        if g.get("class", "").startswith("flow-branch")
    ]
    # 补正 is drawn first whatever order the editor ticked them in.
    assert branches == [
        ("1", "flow-branch flow-correction"),
        ("1", "flow-branch flow-refusal"),
        ("3", "flow-branch flow-refusal"),
    ]
    shown = texts(svg)
    assert shown.count("补正材料（一次性告知）") == 1
    assert shown.count("不予受理（书面说明理由）") == 2


def test_correction_returns_to_its_step_and_refusal_ends_there():
    svg = chart()
    groups = {g.get("class"): g for g in svg.iter(f"{SVG}g") if g.get("data-step") == "1"}
    correction = groups["flow-branch flow-correction"].findall(f"{SVG}line")
    refusal = groups["flow-branch flow-refusal"].findall(f"{SVG}line")
    assert len(correction) == 2 and correction[1].get("stroke-dasharray")  # back to the step
    out, back = correction
    assert float(out.get("x2")) > float(out.get("x1"))
    assert float(back.get("x2")) < float(back.get("x1"))
    assert len(refusal) == 1
    markers = svg.findall(f"{SVG}defs/{SVG}marker")
    assert [m.get("id") for m in markers] == ["flow-test-arrow"]


def test_steps_without_branches_make_a_straight_chart():
    svg = chart([{"title": "申请"}, {"title": "办结"}])
    assert not [g for g in svg.iter(f"{SVG}g") if "flow-branch" in (g.get("class") or "")]
    desc = svg.find(f"{SVG}desc").text
    assert "可能转入" not in desc


def test_long_titles_wrap_within_the_box_and_end_in_an_ellipsis():
    assert wrap("申请受理", 20) == ["申请受理"]
    english = "Receive the application and check every material"
    lines = wrap(english, 12)  # about 21 letters to a line
    assert lines == ["Receive the", "application and check", "every material"]
    assert " ".join(lines) == english  # broken at spaces, no word cut
    lines = wrap("审" * 100, 10)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= 10 for line in lines)


def test_describe_lists_the_steps_in_words():
    text = describe([{"title": "受理", "branches": ["correction"]}], WORDS)
    assert text == "提出申请 → 1. 受理 → 办结，送达结果；第 1 步可能转入：补正材料（一次性告知）"


def test_the_chart_names_the_font_a_pdf_draws_it_in():
    svg = ET.fromstring(flowchart_svg(STEPS, WORDS, "f", font_family='Noto Sans CJK TC"'))
    assert svg.get("font-family") == 'Noto Sans CJK TC"'
    assert chart().get("font-family") == "sans-serif"


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one():
    texts = ("补正材料（一次性告知）", "不予受理（书面说明理由）", "提交申请，窗口受理（当场）。")
    for text in texts:
        for width in range(3, 12):
            lines = wrap(text, width, max_lines=10)
            assert "".join(lines) == text
            assert not [line for line in lines if line[0] in "）。，"], (text, width, lines)
            assert not [line for line in lines if line[-1] == "（"], (text, width, lines)
