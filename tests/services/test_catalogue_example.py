"""The example workbook in fixtures/ is what its script writes, and imported into an empty
database it gives a working catalogue: a utility, its hall, a service and a tiered price."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fixtures.example_catalogue import EXAMPLE, example_workbook
from services.db import db
from services.models import Role
from tests.conftest import empty_database
from tests.factories import make_user


def _cells(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_example_file_is_what_its_script_writes():
    assert _cells(EXAMPLE.read_bytes()) == _cells(example_workbook())


def test_the_example_imports_into_an_empty_database_and_is_shown(app, client):
    with app.app_context():
        empty_database()
        make_user(Role.ADMIN, username="first-admin")
        db.session.commit()
    runner = app.test_cli_runner()
    args = ["catalogue", "import", str(EXAMPLE), "--as", "first-admin", "--publish"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "items: 2 new" in result.output
    assert "imported: 2 revisions published" in result.output

    price = client.get("/u/example-water/water-price", query_string={"lang": "zh_Hans"})
    assert price.status_code == 200
    page = price.get_data(as_text=True)
    assert "居民生活用水价格" in page
    assert "7.40" in page
    assert "/basis/example-fee-notice" in page
    assert client.get("/basis/example-fee-notice").status_code == 200
    service = client.get("/u/example-water/new-connection", query_string={"lang": "en"})
    assert "New household water connection" in service.get_data(as_text=True)
    hall = client.get("/api/v1/halls/example-centre").get_json()["data"]
    assert hall["name"] == "示例市民中心"
    again = runner.invoke(args=args)
    assert "nothing to change" in again.output
