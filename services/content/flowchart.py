"""The flow chart of a service's steps (办理流程图), drawn as SVG from the steps themselves.

Each step is a box on one column, from the application to the result. A step marked with
branches gets them beside it: 补正 (the applicant is told once, in writing, everything that
is missing — 一次性告知 — and comes back to the same step) and 不予受理 (the application is
refused with reasons, which ends it). The chart carries a title and a description for
screen readers; pages keep the steps as a numbered list as well.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
MAIN_X, MAIN_W = 20, 330
SIDE_X, SIDE_W = 400, 230
FONT = 20
LINE = 26
PAD = 10
GAP = 30
MAX_LINES = 3
BRANCH_GAP = 12


@dataclass(frozen=True)
class FlowWords:
    """The chart's words, already in the reader's language."""

    title: str
    start: str  # the applicant applies
    end: str  # the result is delivered
    correction: str  # 补正材料（一次性告知）
    refusal: str  # 不予受理
    # "Step 2 can lead to: …", for the description
    leads_to: Callable[[int, list[str]], str]


# Chinese typesetting (禁则): no line starts with a closing bracket or a punctuation mark,
# and none ends with an opening bracket.
NO_LINE_START = set("）】」』》〕〉，。、；：！？…)]},.;:!?")
NO_LINE_END = set("（【「『《〔〈([{")


def _width(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.56


def wrap(text: str, width: float, max_lines: int = MAX_LINES) -> list[str]:
    """`text` in lines no wider than `width` (in font sizes); Chinese breaks anywhere,
    other words at spaces where they can; the last line ends in … if text is left over."""
    tokens: list[str] = []
    for char in " ".join(text.split()):
        last = tokens[-1][-1] if tokens else " "
        if char != " " and last != " " and _width(char) < 1 and _width(last) < 1:
            tokens[-1] += char  # a letter continuing a word
        elif tokens and (char in NO_LINE_START or last in NO_LINE_END):
            tokens[-1] += char  # a closing mark stays with what it closes, and so on
        else:
            tokens.append(char)
    lines, line, used = [], "", 0.0
    for token in tokens:
        size = sum(_width(c) for c in token)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = token.lstrip(), sum(_width(c) for c in token.lstrip())
            while used > width:  # one word wider than the box: cut it
                cut = int(width)
                lines.append(line[:cut])
                line = line[cut:]
                used = sum(_width(c) for c in line)
        else:
            line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return lines or [""]


def _text(lines: list[str], x: float, top: float, cls: str, lang: str | None = None) -> str:
    spans = "".join(
        f'<tspan x="{x:.0f}" y="{top + PAD + FONT + n * LINE:.0f}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    # A step title still in Simplified on an English or Traditional page says so.
    declared = f' lang="{lang}"' if lang else ""
    return (
        f'<text class="{cls}" text-anchor="middle" font-size="{FONT}" fill="currentColor"'
        f"{declared}>{spans}</text>"
    )


def _box(
    x, top, w, lines: list[str], cls: str, rounded: bool, height=None, lang: str | None = None
) -> str:
    height = height or _height(lines)
    radius = height / 2 if rounded else 4
    # Text centred in the box, which is taller than its text beside a column of branches.
    text_top = top + (height - _height(lines)) / 2
    return (
        f'<g class="{cls}"><rect x="{x:.0f}" y="{top:.0f}" width="{w:.0f}" height="{height:.0f}" '
        f'rx="{radius:.0f}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        + _text(lines, x + w / 2, text_top, "flow-label", lang)
        + "</g>"
    )


def _height(lines: list[str]) -> float:
    return 2 * PAD + FONT + (len(lines) - 1) * LINE + 4


def _arrow(x1, y1, x2, y2, marker: str, cls: str = "flow-line", dashed: bool = False) -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (
        f'<line class="{cls}" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
        f'stroke="currentColor" stroke-width="1.5"{dash} marker-end="url(#{marker})"/>'
    )


def _fell_back(text: Any) -> bool:
    return getattr(text, "lang", None) == "zh-Hans"


def _lang(step: dict[str, Any]) -> str | None:
    return "zh-Hans" if _fell_back(step.get("title")) else None


def step_branches(step: dict[str, Any]) -> list[str]:
    """The branches a step can lead to, in the order the chart draws them."""
    marked = step.get("branches") or []
    return [b for b in ("correction", "refusal") if b in marked]


def describe(steps: list[dict[str, Any]], words: FlowWords) -> str:
    """The chart in words: the steps in order, then where each can branch off."""
    names = {"correction": words.correction, "refusal": words.refusal}
    parts = [words.start]
    # A title not in the reader's language is left to the list of steps beside the chart,
    # which marks its language; the description names that step by its number alone.
    parts += [
        f"{n}" if _fell_back(step.get("title")) else f"{n}. {step.get('title', '')}"
        for n, step in enumerate(steps, 1)
    ]
    parts.append(words.end)
    sentences = [" → ".join(parts)]
    for n, step in enumerate(steps, 1):
        branches = step_branches(step)
        if branches:
            sentences.append(words.leads_to(n, [names[b] for b in branches]))
    return "；".join(sentences)


def flowchart_svg(
    steps: list[dict[str, Any]], words: FlowWords, chart_id: str, font_family: str = "sans-serif"
) -> str:
    """The flow chart of `steps` as an SVG element; `chart_id` must be unique on its page.

    `font_family` is for renderers that draw the SVG apart from the page's stylesheet (a
    PDF); in a browser the page's CSS decides.
    """
    marker = f"{chart_id}-arrow"
    parts: list[str] = []
    centre = MAIN_X + MAIN_W / 2
    top = 10.0
    start_lines = wrap(words.start, (MAIN_W - 2 * PAD) / FONT, 2)
    parts.append(_box(MAIN_X + 40, top, MAIN_W - 80, start_lines, "flow-terminal", True))
    top += _height(start_lines)
    side_width = (SIDE_W - 2 * PAD) / FONT
    branch_lines = {
        "correction": wrap(words.correction, side_width),
        "refusal": wrap(words.refusal, side_width),
    }
    for number, step in enumerate(steps, 1):
        parts.append(_arrow(centre, top, centre, top + GAP - 2, marker))
        top += GAP
        lines = wrap(f"{number} {step.get('title', '')}", (MAIN_W - 2 * PAD) / FONT)
        branches = step_branches(step)
        side_heights = [_height(branch_lines[b]) for b in branches]
        side_total = sum(side_heights) + BRANCH_GAP * max(0, len(branches) - 1)
        height = max(_height(lines), side_total)
        parts.append(
            f'<g class="flow-step" data-step="{number}">'
            + _box(MAIN_X, top, MAIN_W, lines, "flow-box", False, height, _lang(step))
            + "</g>"
        )
        side_top = top + (height - side_total) / 2
        for branch, b_height in zip(branches, side_heights, strict=True):
            middle = side_top + b_height / 2
            rounded = branch == "refusal"  # a refusal ends the application
            parts.append(
                f'<g class="flow-branch flow-{branch}" data-step="{number}">'
                + _box(SIDE_X, side_top, SIDE_W, branch_lines[branch], "flow-side", rounded)
            )
            if branch == "correction":
                # Out to 补正 and, once the applicant has supplied it, back to the same step.
                parts.append(_arrow(MAIN_X + MAIN_W, middle - 6, SIDE_X - 2, middle - 6, marker))
                parts.append(
                    _arrow(SIDE_X, middle + 6, MAIN_X + MAIN_W + 2, middle + 6, marker, dashed=True)
                )
            else:
                parts.append(_arrow(MAIN_X + MAIN_W, middle, SIDE_X - 2, middle, marker))
            parts.append("</g>")
            side_top += b_height + BRANCH_GAP
        top += height
    parts.append(_arrow(centre, top, centre, top + GAP - 2, marker))
    top += GAP
    end_lines = wrap(words.end, (MAIN_W - 2 * PAD) / FONT, 2)
    parts.append(_box(MAIN_X + 40, top, MAIN_W - 80, end_lines, "flow-terminal", True))
    top += _height(end_lines) + 10
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="flowchart" '
        f'viewBox="0 0 {WIDTH} {top:.0f}" width="{WIDTH}" height="{top:.0f}" role="img" '
        f"font-family={quoteattr(font_family)} "
        f'aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(words.title)}</title>'
        f'<desc id="{desc_id}">{escape(describe(steps, words))}</desc>'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="currentColor"/></marker></defs>' + "".join(parts) + "</svg>"
    )
