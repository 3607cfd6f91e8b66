"""Complete fee lists where residents and integrators read them: the kiosk, the bill
estimator, the board, the printed notice, the API and exports, the public history; and the
editor's and reviewer's tier-structure warnings."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook

from services.fees.sheet import COLUMNS
from services.models import ChannelKind, ChannelRole, ItemKind, RevisionStatus, Role, Sector
from tests.factories import (
    committed,
    make_channel,
    make_hall,
    make_item,
    make_legal_basis,
    make_revision,
    make_user,
    make_utility,
    tariff_content,
)
from tests.html import parse
from tests.services.test_notices import pdf_text
from tests.web.editor_pages import sign_in

OLD_DOC, NEW_DOC, MARKING_DOC = "乙价〔2023〕7号", "乙价〔2025〕3号", "示例总局令第99号"


def power_content(basis_code: str, marking_code: str) -> dict:
    """A residential power price with allowances, a market-regulated charge and a free item."""
    return tariff_content(
        name="居民生活用电价格",
        fees=[
            {
                "name": "居民生活用电",
                "kind": "charge",
                "customer_class": "居民",
                "service_content": "一户一表居民供电，按月抄表结算",
                "payee": "乙市供电公司",
                "valid_from": "2025-07-01",
                "valid_until": "2027-06-30",
                "pricing": {
                    "type": "tiers",
                    "unit": "元/千瓦时",
                    "period": "month",
                    "upper_inclusive": True,
                    "tiers": [
                        {"lower": "0", "upper": "200", "price": "0.6000"},
                        {"lower": "200", "upper": "400", "price": "0.6300"},
                        {"lower": "400", "upper": None, "price": "0.9000"},
                    ],
                    "household_allowance": {"above_persons": 4, "per_person": "40"},
                    "low_income_quota": {"quantity": "12", "note": "每户每月12千瓦时"},
                },
                "basis": [{"code": basis_code, "article": "第二条"}],
            },
            {
                "name": "电表校验费",
                "kind": "charge",
                "market_regulated": True,
                "pricing": {"type": "flat", "amount": "30.00", "unit": "元/次"},
                "basis": [],
                "display_basis": [{"code": marking_code}],
            },
            {"name": "电子发票开具", "kind": "charge", "pricing": {"type": "free"}, "basis": []},
        ],
        channels=[],
    )


@pytest.fixture(scope="module")
def power(app) -> dict:
    def make() -> dict:
        utility = make_utility(sector=Sector.POWER, name="乙市供电公司", short_name="乙市供电")
        old = make_legal_basis(code="yi-power-2023", doc_number=OLD_DOC, title="旧电价通知")
        new = make_legal_basis(code="yi-power-2025", doc_number=NEW_DOC, title="电价通知")
        marking = make_legal_basis(code="yi-marking", doc_number=MARKING_DOC, title="明码标价规定")
        make_channel(
            utility=utility, kinds=["consult", "complaint"], name="乙供电热线", phone="95598"
        )
        make_channel(kind=ChannelKind.PRICE, name="价格投诉热线", phone="12315")
        make_channel(
            role=ChannelRole.REGULATOR, sector=Sector.POWER, name="能源监管热线", phone="12398"
        )
        make_channel(
            role=ChannelRole.COMPETENT_DEPARTMENT,
            sector=Sector.POWER,
            name="乙市发改委（主管部门）",
            phone="0510-12345678",
        )
        item = make_item(utility, kind=ItemKind.TARIFF)
        before = power_content(old.code, marking.code)
        make_revision(
            item,
            content=before,
            status=RevisionStatus.SUPERSEDED,
            effective_to=date(2025, 7, 1),
        )
        current = make_revision(
            item, content=power_content(new.code, marking.code), effective_from=date(2025, 7, 1)
        )
        hall = make_hall([utility])
        return {
            "page": f"/u/{utility.slug}/{item.slug}",
            "revision": current.id,
            "item": item.code,
            "hall": hall.slug,
        }

    return committed(app, make)


def test_a_fee_list_starts_with_its_complaint_routes(client, power):
    page = parse(client.get(power["page"]).data)
    section = page.by_id("fees-heading").parent
    first = section.find(["section", "article"])
    assert first["id"] == "complaints"
    routes = [li.get_text(" ", strip=True) for li in first.find_all("li")]
    assert [r.split()[0] for r in routes] == ["服务热线", "价格投诉", "行业监管", "主管部门"]
    assert ["95598" in routes[0], "12315" in routes[1], "12398" in routes[2]] == [True] * 3


def test_each_fee_says_what_for_whom_and_when_with_its_document_number(client, power):
    page = parse(client.get(power["page"]).data)
    tiered = page.by_id("fee-1").get_text(" ", strip=True)
    assert "服务内容: 一户一表居民供电，按月抄表结算" in tiered
    assert "收费单位: 乙市供电公司" in tiered
    assert "执行期限：2025年7月1日至2027年6月30日" in tiered
    assert NEW_DOC in tiered and "yi-power-2025" not in page.text


def test_a_market_regulated_price_says_so_and_cites_its_display_rules(client, power):
    page = parse(client.get(power["page"]).data)
    market = page.by_id("fee-2")
    assert market.find("span", class_="fee-badge").get_text(strip=True) == "市场调节价"
    line = market.find("p", class_="fee-market").get_text(" ", strip=True)
    assert "市场调节价" in line and MARKING_DOC in line
    # No price basis: the only citation is the display rules.
    assert [p["class"] for p in market.find_all("p", class_="fee-basis")] == [
        ["fee-basis", "fee-market"]
    ]


def test_a_free_item_carries_no_charge_badge(client, power):
    page = parse(client.get(power["page"]).data)
    free = page.by_id("fee-3")
    assert free.find("span", class_="fee-badge") is None
    assert "收费" not in free.find("h3").get_text()
    assert page.by_id("fee-1").find("span", class_="fee-badge").get_text(strip=True) == "收费"


def test_the_bill_estimator_offers_and_applies_the_household_allowances(client, power):
    page = parse(client.get(power["page"]).data)
    assert page.by_id("fee-1-persons") is not None and page.by_id("fee-1-low-income") is not None
    response = client.get(power["page"] + "/bill?fee=1&usage=450&persons=6&low_income=y")
    page = parse(response.data)
    applied = page.text_of("fee-1-bill-applied")
    assert "家庭人口6人：各档分界增加80千瓦时。" in applied
    assert "低保、特困家庭：前12千瓦时免费。" in applied
    # 280 × 0.60 + 170 × 0.63 − 12 × 0.60 = 168 + 107.10 − 7.20
    assert page.text_of("fee-1-bill-total") == "¥267.90"
    assert "−12 千瓦时" in page.text_of("fee-1-bill-free")


def test_a_household_at_the_threshold_is_told_it_gets_no_allowance(client, power):
    page = parse(client.get(power["page"] + "/bill?fee=1&usage=300&persons=4").data)
    assert "超过4人方增加各档用量" in page.text_of("fee-1-bill-applied")
    assert page.by_id("fee-1-bill-free") is None


def test_the_notice_prints_routes_details_and_document_numbers(client, power):
    response = client.get(f"/print/{power['revision']}.pdf?lang=zh_Hans&paper=A4")
    assert response.status_code == 200
    text = pdf_text(response.data)
    for expected in (
        "价格咨询与投诉",
        "12398",
        "12315",
        "乙市发改委（主管部门）",
        "服务内容:一户一表居民供电",
        "收费单位:乙市供电公司",
        "市场调节价",
        MARKING_DOC,
        NEW_DOC,
    ):
        assert expected in text, expected
    assert "yi-power" not in text


def test_the_board_shows_routes_and_document_numbers(client, power, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")  # a Monday, hall open
    page = parse(client.get(f"/board/{power['hall']}").data)
    routes = [s for s in page.find_all("section", class_="complaint-routes")]
    assert routes and "12398" in routes[0].get_text()
    bases = " ".join(td.get_text(" ", strip=True) for td in page.find_all("td", class_="fee-basis"))
    assert MARKING_DOC in bases
    assert "yi-power" not in page.text and "yi-marking" not in page.text


def test_the_api_gives_each_basis_its_document_number(client, power):
    data = client.get("/api/v1/fee-tables?per_page=100").get_json()["data"]
    fees = next(table for table in data if table["code"] == power["item"])["fees"]
    assert fees[0]["basis"] == [
        {"code": "yi-power-2025", "article": "第二条", "doc_number": NEW_DOC, "title": "电价通知"}
    ]
    assert fees[1]["display_basis"][0]["doc_number"] == MARKING_DOC
    assert fees[0]["payee"] == "乙市供电公司"
    channels = client.get("/api/v1/channels?per_page=100").get_json()["data"]
    assert {(c["role"], c["sector"]) for c in channels if c["phone"] == "12398"} == {
        ("regulator", "power")
    }


def test_the_csv_export_names_bases_by_document_number(client, power):
    response = client.get("/api/v1/exports/fees.csv")
    rows = [
        r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    ]
    mine = [r for r in rows if r["code"] == power["item"]]
    assert {r["basis"] for r in mine if r["fee"] == "1"} == {f"{NEW_DOC} 第二条"}
    market = next(r for r in mine if r["fee"] == "2")
    assert (market["market_regulated"], market["display_basis"], market["basis"]) == (
        "yes",
        MARKING_DOC,
        "",
    )
    assert {r["payee"] for r in mine if r["fee"] == "1"} == {"乙市供电公司"}


def test_the_public_change_history_names_documents_not_codes(client, power):
    page = parse(client.get(power["page"] + "/history").data)
    cells = [td.get_text(strip=True) for td in page.find_all("td")]
    assert OLD_DOC in cells and NEW_DOC in cells
    assert "yi-power-2023" not in page.text and "yi-power-2025" not in page.text


# The editor and the reviewer see the national rules as warnings ------------------------------


@pytest.fixture(scope="module")
def water(app) -> dict:
    """A water utility's tariff (5 : 7 : 9 on the total price, 1 : 1.4 : 1.8) in review, a
    draft of another, and a third published, with an editor and a reviewer."""

    def make() -> dict:
        utility = make_utility(sector=Sector.WATER)
        in_review, drafted, published = (make_item(utility, kind=ItemKind.TARIFF) for _ in "abc")
        return {
            "in_review": make_revision(
                in_review, content=tariff_content(), status=RevisionStatus.IN_REVIEW
            ).id,
            "draft": make_revision(
                drafted, content=tariff_content(), status=RevisionStatus.DRAFT
            ).id,
            "published": make_revision(published).item.code,
            "editor": make_user(Role.EDITOR, utility).id,
            "reviewer": make_user(Role.REVIEWER).id,
        }

    return committed(app, make)


def test_the_reviewer_sees_the_tier_structure_warnings(app, water):
    client = app.test_client()
    sign_in(client, water["reviewer"])
    page = parse(client.get(f"/editor/revisions/{water['in_review']}").data)
    warnings = page.text_of("tier-warnings")
    assert "第2级价格为第1级的1.40倍" in warnings and "第3级价格为第1级的1.80倍" in warnings


def test_the_editor_sees_them_while_editing_and_may_still_send_for_review(app, water):
    client = app.test_client()
    sign_in(client, water["editor"])
    page = parse(client.get(f"/editor/revisions/{water['draft']}/edit").data)
    assert "国家规定用水至少为1.5倍" in page.text_of("tier-warnings")
    # A warning is not a problem: the draft is ready for review as it stands.
    assert page.by_id("problems").find("p", class_="ready") is not None


def sheet(code: str, prices: tuple[str, str, str]) -> bytes:
    book = Workbook()
    book.active.append([c.label for c in COLUMNS])
    base = {"item_code": code, "fee_name": "居民生活用水", "customer_class": "居民"}
    base |= {"pricing": "阶梯", "billing_period": "年", "unit": "元/立方米"}
    base |= {"basis": "澄价〔2024〕1号"}
    for bounds, price in zip(("0-180(含)", "181-260(含)", "260以上"), prices, strict=True):
        row = base | {"tier_lower": bounds, "unit_price": price}
        book.active.append([row.get(c.key) for c in COLUMNS])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_an_imported_sheet_that_breaks_the_rules_is_warned_about_and_still_imported(app, water):
    client = app.test_client()
    sign_in(client, water["editor"])
    data = sheet(water["published"], ("5.00", "6.00", "9.00"))
    response = client.post(
        "/editor/fees/import", data={"sheet": (io.BytesIO(data), "water.xlsx"), "check_only": "y"}
    )
    assert response.status_code == 200
    page = parse(response.data)
    assert page.by_id("import-checked") is not None
    assert "第2级价格为第1级的1.20倍" in page.text_of("tier-warnings")
    response = client.post("/editor/fees/import", data={"sheet": (io.BytesIO(data), "w.xlsx")})
    assert response.status_code == 302
    dashboard = parse(client.get(response.headers["Location"]).data)
    assert "与国家阶梯规定不一致" in dashboard.text
