"""Monthly handling figures from a spreadsheet (XLSX or CSV): one row per item and month.
The whole sheet is checked first; a sheet with any error loads nothing. The file is read by
the same guarded readers as fee sheets (services.spreadsheets)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from services.db import db
from services.fees.sheet import SheetFailure
from services.models import Item, ItemKind, User, Utility
from services.ratings.figures import FiguresError, MonthFigures, check_figures, save_figures
from services.spreadsheets import files
from services.spreadsheets.isolation import ParseLimits, run_limited
from services.spreadsheets.values import folded, is_blank, text

# key, header as written in the template, other names a header may use
COLUMNS = (
    ("item_code", "事项编码 (item code)", ("事项编码", "编码", "itemcode", "code")),
    ("month", "月份 (month)", ("月份", "month")),
    ("received", "受理件数 (received)", ("受理件数", "受理", "received")),
    ("completed", "办结件数 (completed)", ("办结件数", "办结", "completed")),
    (
        "completed_on_time",
        "承诺时限内办结 (completed on time)",
        ("承诺时限内办结", "按时办结", "completedontime"),
    ),
    (
        "average_working_days",
        "平均用时（工作日） (average working days)",
        ("平均用时（工作日）", "平均用时", "averageworkingdays"),
    ),
)
REQUIRED = ("item_code", "month", "received", "completed", "completed_on_time")
MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowProblem:
    """What is wrong, where: `row` as the spreadsheet numbers it (None: the whole sheet)."""

    row: int | None
    code: str
    value: str = ""


@dataclass
class FiguresPlan:
    rows: list[tuple[Item, MonthFigures]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _keys() -> dict[str, str]:
    found = {}
    for key, label, aliases in COLUMNS:
        for name in (label, *aliases):
            found[folded(name)] = key
    return found


def _header(grid: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]] | None:
    keys = _keys()
    for number, cells in grid[:20]:
        columns = {keys[folded(c)]: n for n, c in enumerate(cells) if folded(c) in keys}
        if set(REQUIRED) <= set(columns):
            return number, columns
    return None


def _count(value: Any) -> int:
    if isinstance(value, bool | files.Formula):
        raise ValueError
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    return int(text(value).replace(",", ""))


def _month(value: Any) -> date:
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    match = MONTH.fullmatch(text(value))
    if not match:
        raise ValueError
    return date(int(match[1]), int(match[2]), 1)


def _days(value: Any) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, files.Formula):
        raise ValueError
    try:
        return Decimal(text(value)).quantize(Decimal("0.1"))
    except InvalidOperation as error:
        raise ValueError from error


def plan_figures(
    data: bytes, utility: Utility | None, limits: ParseLimits | None = None
) -> FiguresPlan:
    """Check a figures sheet; `utility` limits it to that utility's items (None: any).

    With `limits` the file is read in a child process under them, as fee sheets are.
    """
    plan = FiguresPlan()
    try:
        grid = run_limited(files.read_grid, data, limits) if limits else files.read_grid(data)
    except SheetFailure as failure:
        plan.problems.extend(RowProblem(e.row, e.code) for e in failure.errors)
        return plan
    header = _header(grid)
    if header is None:
        plan.problems.append(RowProblem(None, "header"))
        return plan
    header_row, columns = header
    rows = [(n, cells) for n, cells in grid if n > header_row and not all(map(is_blank, cells))]
    if len(rows) > MAX_ROWS:
        plan.problems.append(RowProblem(None, "too_many_rows", str(MAX_ROWS)))
        return plan
    codes = {text(c[columns["item_code"]]) for _n, c in rows if len(c) > columns["item_code"]}
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.code.in_(codes)))}
    seen: set[tuple[int, date]] = set()
    for number, cells in rows:

        def cell(key: str, cells=cells) -> Any:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        code = text(cell("item_code"))
        item = items.get(code)
        if (
            item is None
            or item.kind != ItemKind.SERVICE  # a price notice is not applied for
            or (utility is not None and item.utility_id != utility.id)
        ):
            plan.problems.append(RowProblem(number, "item", code))
            continue
        try:
            figures = MonthFigures(
                _month(cell("month")),
                _count(cell("received")),
                _count(cell("completed")),
                _count(cell("completed_on_time")),
                _days(cell("average_working_days")),
            )
            check_figures(figures)
        except FiguresError as error:
            plan.problems.append(RowProblem(number, error.code, text(cell("month"))))
            continue
        except (ValueError, TypeError):
            plan.problems.append(RowProblem(number, "number"))
            continue
        if (item.id, figures.month) in seen:
            plan.problems.append(RowProblem(number, "duplicate", code))
            continue
        seen.add((item.id, figures.month))
        plan.rows.append((item, figures))
    if not plan.rows and not plan.problems:
        plan.problems.append(RowProblem(None, "empty"))
    return plan


def apply_figures(plan: FiguresPlan, user: User) -> int:
    """Save every row of a checked plan; returns how many."""
    if plan.problems:
        raise ValueError("a sheet with problems is not loaded")
    for item, figures in plan.rows:
        save_figures(item, figures, user.username)
    return len(plan.rows)


def figures_template() -> bytes:
    """An empty figures sheet with its header, as XLSX."""
    return files.write_xlsx([("figures", [label for _k, label, _a in COLUMNS], [])])
