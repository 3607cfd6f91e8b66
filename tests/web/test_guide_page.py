"""A complete 办事指南 on the kiosk: what is stored is shown (code, provider's nature, online
address, hearing link, FAQ), with how the result is delivered, when it was last verified,
the flow chart of its steps, and its forms at addresses that never change."""

from __future__ import annotations

from datetime import date

import pytest
from flask import url_for

from services.db import db
from services.models import Nature, Revision, RevisionStatus
from tests.factories import (
    blank_pdf,
    committed,
    make_item,
    make_revision,
    make_utility,
    service_content,
    store_form,
    unique,
)
from tests.html import parse


def guide_content(app, blank: bytes, sample: bytes) -> dict:
    """A service whose guide carries every part the issue lists (not the demo's data)."""
    content = service_content(
        name="非居民用气开户",
        online_url="https://gas.example.cn/apply/open",
        result_delivery=["window", "post"],
        verified_on="2026-11-02",
        faq=[{"question": "开户要多久？", "answer": "材料齐全当场受理。"}],
        hearing={
            "held_on": "2025-06-01",
            "body": "澄州市发展和改革委员会",
            "url": "https://fgw.example.cn/hearing/2025-06",
        },
    )
    content["steps"][0]["branches"] = ["correction", "refusal"]
    content["steps"][2]["branches"] = ["refusal"]
    content["materials"][0] |= {
        "blank_form": store_form(app, blank),
        "sample": store_form(app, sample),
    }
    return content


@pytest.fixture
def guide(app):
    """A published guide of a public enterprise, with a blank form and a sample on
    material 1; its addresses and the bytes of its files."""
    blank, sample = blank_pdf("用气申请表"), blank_pdf("用气申请表（样例）")

    def make():
        utility = make_utility(nature=Nature.PUBLIC_ENTERPRISE)
        item = make_item(utility, code=unique("CZ-GAS"))
        revision = make_revision(item, content=guide_content(app, blank, sample))
        return {
            "page": f"/u/{utility.slug}/{item.slug}",
            "revision": revision.id,
            "code": item.code,
        }

    return committed(app, make) | {"blank": blank, "sample": sample}


def test_the_kiosk_page_shows_every_part_of_the_guide(client, guide):
    page = parse(client.get(guide["page"], query_string={"lang": "zh_Hans"}).data)
    text = page.text
    assert not page.duplicate_ids
    assert f"事项编码 {guide['code']}" in text
    provider = page.soup.find(id="provider").get_text(" ", strip=True)
    assert "实施主体" in provider and "公共企事业单位" in provider
    assert "https://gas.example.cn/apply/open" in page.links
    assert "https://fgw.example.cn/hearing/2025-06" in page.links
    assert "开户要多久？" in text and "材料齐全当场受理。" in text
    delivery = page.soup.find(id="result-delivery").get_text(" ", strip=True)
    assert "结果送达方式" in delivery and "窗口领取" in delivery and "邮寄送达" in delivery
    assert "最近核实 2026年11月2日" in page.soup.find(id="verified-on").get_text(strip=True)
    revision = guide["revision"]
    assert page.soup.find(id="form-1-blank_form")["href"] == f"/r/{revision}/forms/1/blank_form.pdf"
    assert page.soup.find(id="form-1-sample")["href"] == f"/r/{revision}/forms/1/sample.pdf"
    assert page.soup.find(id="form-2-blank_form") is None  # material 2 has no form


def test_the_flow_chart_is_drawn_with_its_branches_and_the_steps_stay_a_list(client, guide):
    response = client.get(guide["page"], query_string={"lang": "zh_Hans"})
    page = parse(response.data)
    svg = page.soup.find("svg", id="flowchart")
    assert svg["role"] == "img"
    assert svg.find("title").get_text() == "办理流程图"
    desc = svg.find("desc").get_text()
    assert "1. 申请受理 → 2. 现场勘查 → 3. 装表通水" in desc
    assert "第 1 步可能转入：补正材料（一次性告知） / 不予受理（书面说明理由）" in desc
    drawn = [text.get_text() for text in svg.find_all("text")]
    assert drawn.count("补正材料（一次性告知）") == 1
    assert drawn.count("不予受理（书面说明理由）") == 2
    steps = page.soup.find("ol", class_="steps").find_all("li", recursive=False)
    assert [li.find("strong").get_text() for li in steps] == ["申请受理", "现场勘查", "装表通水"]
    assert "可能转入：" in steps[0].get_text() and "可能转入：" not in steps[1].get_text()


def test_the_guide_reads_in_english_too(client, guide):
    page = parse(client.get(guide["page"], query_string={"lang": "en"}).data)
    assert "Public enterprise or institution" in page.soup.find(id="provider").get_text()
    assert "Collected at the window" in page.text and "By post" in page.text
    assert page.soup.find("svg", id="flowchart").find("title").get_text() == (
        "Flow chart of the steps"
    )
    assert page.soup.find(id="form-1-blank_form").get_text() == "Blank form (PDF)"


def test_a_form_downloads_from_its_permanent_address(client, guide):
    url = f"/r/{guide['revision']}/forms/1/blank_form.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == guide["blank"]
    assert response.cache_control.immutable and response.cache_control.max_age >= 86400 * 365
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    sample = client.get(f"/r/{guide['revision']}/forms/1/sample.pdf")
    assert sample.status_code == 200 and sample.data == guide["sample"]


@pytest.mark.parametrize(
    "tail",
    ["forms/2/blank_form.pdf", "forms/9/sample.pdf", "forms/0/sample.pdf", "forms/1/photo.pdf"],
)
def test_a_form_that_is_not_there_is_not_found(client, guide, tail):
    assert client.get(f"/r/{guide['revision']}/{tail}").status_code == 404


def test_a_draft_s_forms_are_not_public(app, client, guide):
    def make():
        item = make_item()
        draft = make_revision(
            item,
            content=guide_content(app, guide["blank"], guide["sample"]),
            status=RevisionStatus.DRAFT,
            effective_from=None,
            published_at=None,
        )
        return draft.id

    draft_id = committed(app, make)
    assert client.get(f"/r/{draft_id}/forms/1/blank_form.pdf").status_code == 404


def test_a_form_s_address_keeps_working_after_a_new_version_drops_it(app, client, guide):
    def replace():
        first = db.session.get(Revision, guide["revision"])
        first.status = RevisionStatus.SUPERSEDED
        first.effective_to = date(2025, 12, 31)
        content = service_content(name="非居民用气开户")
        newer = make_revision(first.item, content=content, effective_from=date(2026, 1, 1))
        return newer.id

    newer = committed(app, replace)
    old_url = f"/r/{guide['revision']}/forms/1/blank_form.pdf"
    response = client.get(old_url)
    assert response.status_code == 200 and response.data == guide["blank"]
    current = parse(client.get(guide["page"]).data)
    assert current.soup.find(id="form-1-blank_form") is None
    assert f"/r/{newer}" in " ".join(current.links)
    superseded = parse(client.get(f"/r/{guide['revision']}").data)
    assert superseded.soup.find(id="form-1-blank_form")["href"] == old_url


def test_content_from_before_these_fields_still_reads_sensibly(app, client):
    def make():
        item = make_item()
        make_revision(item, content=service_content())
        return f"/u/{item.utility.slug}/{item.slug}"

    page = parse(client.get(committed(app, make), query_string={"lang": "zh_Hans"}).data)
    for absent in ("result-delivery", "verified-on", "online-url", "form-1-blank_form"):
        assert page.soup.find(id=absent) is None, absent
    svg = page.soup.find("svg", id="flowchart")
    assert "可能转入" not in svg.find("desc").get_text()
    assert "item-code" in page.ids and "provider" in page.ids
    assert "通水并建立用水账户" in page.text  # the result, as before


def test_the_permanent_address_is_the_one_the_route_gives(app, guide):
    with app.test_request_context():
        url = url_for("public.guide_form", revision_id=guide["revision"], number=1, kind="sample")
    assert url == f"/r/{guide['revision']}/forms/1/sample.pdf"


def test_an_address_that_is_not_a_web_address_is_shown_but_not_linked(app, client):
    def make():
        content = service_content(online_url="javascript:alert(1)")
        content["hearing"] = {"held_on": "2025-01-02", "body": "物价局", "url": "见公告栏"}
        revision = make_revision(make_item(), content=content)
        return f"/u/{revision.item.utility.slug}/{revision.item.slug}"

    page = parse(client.get(committed(app, make)).data)
    assert "javascript:alert(1)" in page.soup.find(id="online-url").get_text()
    assert not [link for link in page.links if link.startswith("javascript:")]
    assert "见公告栏" in page.soup.find(id="hearing-url").get_text()


def test_the_change_history_names_a_form_by_the_start_of_its_hash(app):
    from kiosk.field_labels import value_label

    with app.test_request_context():
        assert value_label("materials[0].blank_form", "ab12cd34" + "0" * 56) == "PDF ab12cd34"
        assert value_label("result_delivery[1]", "post") == "邮寄送达"
