"""Fee tables out as a spreadsheet in the import format, and the blank templates.

For each item the export lists the fees of its latest published revision: the one in force,
or, when a change is already scheduled, the scheduled one (its date is in 执行日期). That is
the revision a new draft starts from, so re-importing an unchanged export changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from services.db import db
from services.fees.sheet import COLUMNS, KINDS, PERIODS, PRICINGS, UNITS
from services.models import Item, ItemStatus, LegalBasis, Revision, Utility
from services.publishing.revisions import public_chain
from services.spreadsheets.files import CSV_MIMETYPE, XLSX_MIMETYPE, write_csv, write_xlsx

FORMATS = {"xlsx": XLSX_MIMETYPE, "csv": CSV_MIMETYPE}
SHEET_TITLE = "收费标准"
HELP_TITLE = "填写说明"
EXAMPLE_ROW = {
    "item_code": "CZ-WATER-T01",
    "fee_name": "居民生活用水",
    "kind": "收费",
    "customer_class": "居民",
    "pricing": "阶梯",
    "billing_period": "年",
    "tier_lower": "0",
    "tier_upper": "180(含)",
    "unit_price": "5.00",
    "components": "水费 2.07；水资源费 1.57；污水处理费 1.36",
    "unit": "元/立方米",
    "basis": "澄发改价〔2024〕21号 第二条",
    "effective_from": "2026-01-01",
    "service_content": "一户一表居民生活用水",
    "payee": "",
    "note": "",
}


def _basis_text(ref: dict[str, str], bases: dict[str, LegalBasis]) -> str:
    basis = bases.get(ref["code"])
    name = basis.doc_number if basis and basis.doc_number else ref["code"]
    return f"{name} {ref['article']}" if ref.get("article") else name


def _upper_text(upper: str | None, pricing: dict[str, Any]) -> str:
    if upper is None:
        return "以上"
    marks = {True: "(含)", False: "(不含)"}
    return upper + marks.get(pricing.get("upper_inclusive"), "")


def _fee_rows(item: Item, revision: Revision, fee: dict[str, Any], bases) -> Iterator[dict]:
    pricing = fee["pricing"]
    common = {
        "item_code": item.code,
        "fee_name": fee["name"],
        "kind": KINDS[fee["kind"]][0],
        "customer_class": fee.get("customer_class", ""),
        "pricing": PRICINGS[pricing["type"]][0],
        "basis": "；".join(_basis_text(ref, bases) for ref in fee["basis"]),
        "effective_from": revision.effective_from,
        "service_content": fee.get("service_content", ""),
        "payee": fee.get("payee", ""),
        "note": fee.get("note", ""),
    }
    if pricing["type"] == "tiers":
        for tier in pricing["tiers"]:
            parts = tier.get("components", [])
            yield common | {
                "billing_period": PERIODS[pricing["period"]][0],
                "tier_lower": tier["lower"],
                "tier_upper": _upper_text(tier.get("upper"), pricing),
                "unit_price": tier["price"],
                "components": "；".join(f"{p['name']} {p['price']}" for p in parts),
                "unit": pricing["unit"],
            }
    elif pricing["type"] == "flat":
        yield common | {"unit_price": pricing["amount"], "unit": pricing["unit"]}
    elif pricing["type"] == "text":
        yield common | {"unit_price": pricing["text"]}
    else:
        yield common


def fee_table_rows(utility: Utility | None = None) -> list[list[Any]]:
    """One row per flat fee or tier, in COLUMNS order, for every item (or one utility's)."""
    query = (
        select(Item)
        .join(Item.utility)
        .where(Item.status != ItemStatus.RETIRED)
        .order_by(Utility.position, Utility.id, Item.position, Item.id)
    )
    if utility is not None:
        query = query.where(Item.utility_id == utility.id)
    bases = {basis.code: basis for basis in db.session.scalars(select(LegalBasis))}
    rows = []
    for item in db.session.scalars(query):
        published = public_chain(item)
        for fee in published[-1].content.get("fees", []) if published else []:
            for row in _fee_rows(item, published[-1], fee, bases):
                rows.append([row.get(column.key, "") for column in COLUMNS])
    return rows


def _sheet_bytes(fmt: str, rows: list[list[Any]], with_help: bool) -> bytes:
    header = [column.label for column in COLUMNS]
    if fmt == "csv":
        return write_csv(header, rows)
    if fmt != "xlsx":
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    sheets = [(SHEET_TITLE, header, rows)]
    if with_help:
        help_rows = [[c.label, "是" if c.required else "", c.help] for c in COLUMNS]
        help_rows.append(["", "", "允许的计价单位：" + "、".join(UNITS)])
        sheets.append((HELP_TITLE, ["列 (column)", "必填 (required)", "说明 (help)"], help_rows))
    return write_xlsx(sheets)


def export_fee_sheet(fmt: str, utility: Utility | None = None) -> bytes:
    """The published fee tables as XLSX or CSV bytes, ready to edit and import again."""
    return _sheet_bytes(fmt, fee_table_rows(utility), with_help=False)


def fee_template(fmt: str) -> bytes:
    """A blank fee sheet (XLSX or CSV) with the header row and one example row; the XLSX
    template also explains every column on a second sheet."""
    example = [EXAMPLE_ROW[column.key] for column in COLUMNS]
    return _sheet_bytes(fmt, [example], with_help=True)
