"""The fee tables of every demo utility go out to a spreadsheet and come back unchanged."""

from __future__ import annotations

import pytest

from fixtures.demo_city import UTILITIES
from services.catalogue.queries import utility_by_slug
from services.fees.exporting import export_fee_sheet
from services.fees.importing import plan_fee_import
from services.spreadsheets.files import read_sheet


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_demo_fee_table_survives_export_and_import(ctx, fmt):
    for spec in UTILITIES:
        utility = utility_by_slug(spec.row["slug"])
        plan = plan_fee_import(export_fee_sheet(fmt, utility), utility)
        assert plan.errors == [], utility.slug
        assert plan.items, utility.slug
        for planned in plan.items:
            assert planned.content == planned.base.content, planned.item.code
        assert plan.changed == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_cli_export_writes_the_fee_tables(app, ctx, tmp_path, suffix):
    out = tmp_path / f"fees{suffix}"
    result = app.test_cli_runner().invoke(
        args=["fees", "export", "--out", str(out), "--utility", "chengzhou-water"]
    )
    assert result.exit_code == 0, result.output
    codes = {row.cells["item_code"] for row in read_sheet(out.read_bytes()).rows}
    assert "CZ-WATER-T01" in codes
    assert all(code.startswith("CZ-WATER-") for code in codes)
