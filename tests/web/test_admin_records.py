"""The transparency office's records: utilities, legal bases, channels and users are listed,
created and edited; bad input is refused beside its field with what was typed kept; every
write is audited, and what residents see is noted on /changes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from services.db import db
from services.models import (
    AuditEvent,
    CatalogueChange,
    Channel,
    ChannelRole,
    ItemKind,
    LegalBasis,
    Nature,
    Role,
    Sector,
    User,
    Utility,
)
from tests.factories import (
    PASSWORD,
    committed,
    make_channel,
    make_item,
    make_legal_basis,
    make_revision,
    make_user,
    make_utility,
    service_content,
)
from tests.html import form_values, parse
from tests.web.editor_pages import sign_in


@pytest.fixture
def admin(app, client) -> int:
    """A signed-in admin's id."""
    admin_id = committed(app, lambda: make_user(Role.ADMIN).id)
    sign_in(client, admin_id)
    return admin_id


def audited(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def problems(response) -> list[str]:
    return [
        p.get_text(" ", strip=True) for p in parse(response.data).find_all(class_="field-problem")
    ]


def test_a_new_utility_is_created_with_its_translations_and_listed(app, client, admin):
    response = client.post(
        "/admin/utilities/new",
        data={
            "slug": "lake-water",
            "name": "澄湖供水有限公司",
            "short_name": "澄湖供水",
            "sector": "water",
            "nature": "public_enterprise",
            "address": "澄州市湖滨路8号",
            "website": "https://lake-water.example.org",
            "position": "7",
            "name_en": "Lake Water Co.",
            "name_zh_hant": "澄湖供水有限公司",
        },
    )
    assert response.status_code == 302
    page = parse(client.get("/admin/utilities/").data)
    assert "澄湖供水有限公司" in page.text and "公共企事业单位" in page.text
    with app.app_context():
        utility = db.session.scalar(select(Utility).where(Utility.slug == "lake-water"))
        assert utility.nature == Nature.PUBLIC_ENTERPRISE and utility.position == 7
        assert utility.translations == {
            "en": {"name": "Lake Water Co."},
            "zh_Hant": {"name": "澄湖供水有限公司"},
        }
    assert audited(app, "utility.create")
    assert client.get("/u/lake-water?lang=en").status_code == 200


def test_a_website_that_is_not_http_is_refused_and_the_form_keeps_what_was_typed(
    app, client, admin
):
    response = client.post(
        "/admin/utilities/new",
        data={
            "slug": "Bad Slug",
            "name": "澄湖燃气有限公司",
            "short_name": "澄湖燃气",
            "sector": "gas",
            "nature": "authorised",
            "website": "javascript:alert(1)",
        },
    )
    assert response.status_code == 400
    assert "请填写以 http:// 或 https:// 开头的网址。" in problems(response)
    assert any("小写字母" in p for p in problems(response))
    kept = form_values(response.data, "utility-form")
    assert kept["name"] == "澄湖燃气有限公司" and kept["website"] == "javascript:alert(1)"
    with app.app_context():
        assert db.session.scalar(select(Utility).where(Utility.name == "澄湖燃气有限公司")) is None


def test_validation_messages_come_in_the_readers_language(app, client, admin):
    for lang, expected in (("en", "This field is required."), ("zh_Hant", "此項必填。")):
        response = client.post(f"/admin/utilities/new?lang={lang}", data={"slug": "x"})
        assert response.status_code == 400
        assert expected in problems(response)


def test_a_choice_not_offered_is_refused_in_the_readers_language(app, client, admin):
    response = client.post(
        "/admin/utilities/new?lang=en",
        data={
            "slug": "odd",
            "name": "x",
            "short_name": "x",
            "sector": "oil",
            "nature": "statutory",
        },
    )
    assert response.status_code == 400
    assert "Choose from the list." in problems(response)


def test_a_taken_slug_is_refused_beside_the_slug(app, client, admin):
    slug = committed(app, lambda: make_utility().slug)
    response = client.post(
        "/admin/utilities/new",
        data={
            "slug": slug,
            "name": "重复",
            "short_name": "重复",
            "sector": "water",
            "nature": "statutory",
        },
    )
    assert response.status_code == 422
    assert f"“{slug}”已被使用，请另选。" in problems(response)


def test_editing_a_utility_notes_the_change_for_residents(app, client, admin):
    utility_id = committed(app, lambda: make_utility(address="旧地址").id)
    form = form_values(client.get(f"/admin/utilities/{utility_id}/edit").data, "utility-form")
    form["address"] = "澄州市新城大道100号"
    assert client.post(f"/admin/utilities/{utility_id}/edit", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Utility, utility_id).address == "澄州市新城大道100号"
        change = db.session.scalar(
            select(CatalogueChange).where(
                CatalogueChange.subject == "utility", CatalogueChange.subject_id == utility_id
            )
        )
        assert change.action == "changed" and change.fields == ["address"]
    assert "地址" in parse(client.get("/changes").data).text_of("catalogue-changes")


def test_a_legal_basis_keeps_its_version_in_force_articles_and_repeal_date(app, client, admin):
    response = client.post(
        "/admin/legal-bases/new",
        data={
            "code": "water-law",
            "title": "中华人民共和国水法",
            "doc_number": "主席令第48号",
            "issuer": "全国人民代表大会常务委员会",
            "issued_on": "2002-08-29",
            "effective_on": "2002-10-01",
            "version_in_force": "2016年修正",
            "url": "https://www.example.gov.cn/water-law",
            "articles": "第四十八条 直接从江河、湖泊或者地下取用水资源的单位和个人……",
            "rank": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        basis = db.session.scalar(select(LegalBasis).where(LegalBasis.code == "water-law"))
        assert basis.version_in_force == "2016年修正" and basis.rank == 1
        assert basis.articles.startswith("第四十八条")
    assert "中华人民共和国水法" in parse(client.get("/admin/legal-bases/").data).text
    public = parse(client.get("/basis/water-law").data).text
    assert "2016年修正" in public and "第四十八条" in public


def test_a_basis_in_force_before_it_was_issued_is_refused(app, client, admin):
    response = client.post(
        "/admin/legal-bases/new",
        data={
            "code": "early",
            "title": "关于调整水价的通知",
            "issued_on": "2024-05-01",
            "effective_on": "2024-04-01",
            "repealed_on": "not a date",
            "rank": "5",
        },
    )
    assert response.status_code == 400
    assert "请按 年-月-日 填写日期，如 2027-01-01。" in problems(response)
    response = client.post(
        "/admin/legal-bases/new",
        data={
            "code": "early",
            "title": "关于调整水价的通知",
            "issued_on": "2024-05-01",
            "effective_on": "2024-04-01",
            "rank": "5",
        },
    )
    assert response.status_code == 422
    assert "施行日期不能早于发布日期。" in problems(response)
    assert form_values(response.data, "basis-form")["effective_on"] == "2024-04-01"


def test_a_basis_cited_by_a_published_revision_cannot_be_deleted_and_the_refusal_names_items(
    app, client, admin
):
    def made():
        basis = make_legal_basis()
        item = make_item(code="CITING-1")
        make_revision(item, content=service_content(basis=[{"code": basis.code}]))
        return basis.id

    basis_id = committed(app, made)
    response = client.post(f"/admin/legal-bases/{basis_id}/delete")
    assert response.status_code == 409
    assert "CITING-1" in parse(response.data).text_of("delete-refusal")
    with app.app_context():
        assert db.session.get(LegalBasis, basis_id) is not None


def test_a_basis_nobody_cites_is_deleted(app, client, admin):
    basis_id = committed(app, lambda: make_legal_basis().id)
    assert client.post(f"/admin/legal-bases/{basis_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(LegalBasis, basis_id) is None
    assert audited(app, "basis.delete")


def test_a_repealed_basis_marks_the_items_in_force_on_the_dashboard(app, client, admin):
    def made():
        basis = make_legal_basis(title="已废止的收费通知", repealed_on=date(2025, 1, 1))
        item = make_item(code="STILL-CITES")
        make_revision(item, content=service_content(basis=[{"code": basis.code}]))
        return basis.id, item.id

    basis_id, item_id = committed(app, made)
    page = parse(client.get("/admin/").data)
    assert page.by_id(f"repealed-{basis_id}-item-{item_id}") is not None
    assert "已废止的收费通知" in page.text_of("repealed-bases")


def test_a_channel_is_several_kinds_at_once_and_its_phone_change_shows_on_changes(
    app, client, admin
):
    utility_slug = committed(app, lambda: make_utility().slug)
    response = client.post(
        "/admin/channels/new",
        data={
            "code": "lake-hotline",
            "name": "澄湖供水服务热线",
            "kinds": ["consult", "complaint", "repair"],
            "phone": "0519-86661234",
            "hours": "7×24小时",
            "utility": utility_slug,
            "name_en": "Lake Water hotline",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "lake-hotline"))
        assert channel.kinds == ["consult", "complaint", "repair"]
        assert channel.kind.value == "consult" and channel.utility.slug == utility_slug
        channel_id = channel.id
    form = form_values(client.get(f"/admin/channels/{channel_id}/edit").data, "channel-form")
    form.setlist("kinds", ["consult", "complaint", "repair"])
    form["phone"] = "0519-86669999"
    assert client.post(f"/admin/channels/{channel_id}/edit", data=form).status_code == 302
    changes = parse(client.get("/changes").data).text_of("catalogue-changes")
    assert "澄湖供水服务热线" in changes and "电话" in changes
    feed = client.get("/changes.atom").get_data(as_text=True)
    assert "0519-86669999" in feed


def test_a_channel_without_a_kind_or_with_a_bad_phone_is_refused(app, client, admin):
    response = client.post(
        "/admin/channels/new",
        data={"code": "no-kind", "name": "热线", "phone": "0519-8888", "utility": ""},
    )
    assert response.status_code == 422
    assert "请至少选择一种类型。" in problems(response)
    response = client.post(
        "/admin/channels/new",
        data={
            "code": "bad-phone",
            "name": "热线",
            "kinds": ["consult"],
            "phone": "call us",
            "utility": "",
        },
    )
    assert response.status_code == 422
    assert "请用数字填写电话，如 0519-88881234 或 12345。" in problems(response)
    assert form_values(response.data, "channel-form")["phone"] == "call us"


def test_readers_of_one_kind_see_a_channels_first_kind(app, ctx):
    channel = make_channel(kinds=["complaint", "supervision"])
    assert channel.kind.value == "complaint"
    assert [k.value for k in channel.kind_list] == ["complaint", "supervision"]


def test_an_admin_creates_an_editor_who_must_change_the_first_password(app, client, admin):
    utility_slug = committed(app, lambda: make_utility().slug)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "clerk-wang",
            "display_name": "王收费员",
            "password": "first password 1",
            "role": "editor",
            "utility": utility_slug,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "clerk-wang"))
        assert user.role == Role.EDITOR and user.utility.slug == utility_slug
        assert user.must_change_password


def test_an_editor_without_a_utility_is_refused(app, client, admin):
    response = client.post(
        "/admin/users/new",
        data={
            "username": "clerk-li",
            "password": "first password 1",
            "role": "editor",
            "utility": "",
        },
    )
    assert response.status_code == 422
    assert "编辑必须属于一个实施主体。" in problems(response)
    assert form_values(response.data, "user-form")["username"] == "clerk-li"


def test_nobody_deactivates_themselves(app, client, admin):
    response = client.post(
        f"/admin/users/{admin}/edit",
        data={"display_name": "管理员", "role": "admin", "utility": ""},
    )
    assert response.status_code == 422
    assert "不能停用自己或更改自己的角色。" in problems(response)
    with app.app_context():
        assert db.session.get(User, admin).is_active


def test_the_last_active_admin_stays_an_admin(app, ctx):
    from services.publishing import accounts

    for other in db.session.scalars(select(User).where(User.role == Role.ADMIN)):
        other.is_active = False
    last, actor = make_user(Role.ADMIN), make_user(Role.ADMIN)
    actor.is_active = False  # an account deactivated meanwhile, still signed in
    db.session.flush()
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.update_user(
            last, role=Role.REVIEWER, utility=None, display_name="", is_active=True, actor=actor
        )


def test_a_reset_password_is_shown_once_and_the_person_must_choose_a_new_one(app, client, admin):
    user_id = committed(app, lambda: make_user(Role.REVIEWER).id)
    response = client.post(f"/admin/users/{user_id}/reset-password")
    assert response.status_code == 200
    temporary = parse(response.data).by_id("temporary-password-value")["value"]
    assert audited(app, "user.reset_password")

    person = app.test_client()
    sign_in(person, user_id)
    assert person.get("/editor/").location.endswith("/editor/password")
    assert person.get("/admin/").location.endswith("/editor/password")
    refused = person.post(
        "/editor/password", data={"current": temporary, "new": "short", "repeat": "short"}
    )
    assert refused.status_code == 422
    assert "密码至少需要 10 个字符。" in problems(refused)
    done = person.post(
        "/editor/password",
        data={"current": temporary, "new": "my own password", "repeat": "my own password"},
    )
    assert done.status_code == 302
    assert person.get("/editor/").status_code == 200
    with app.app_context():
        assert not db.session.get(User, user_id).must_change_password


def test_a_reviewer_reads_the_records_without_a_form_to_change_them(app, client):
    reviewer_id = committed(app, lambda: make_user(Role.REVIEWER).id)
    utility_id = committed(app, lambda: make_utility().id)
    sign_in(client, reviewer_id)
    page = parse(client.get(f"/admin/utilities/{utility_id}/edit").data)
    assert page.by_id("utility-form") is not None
    assert page.select("#utility-form button") == []
    assert page.select("#utility-form input[name=name][readonly]")
    assert client.post(f"/admin/utilities/{utility_id}/edit", data={}).status_code == 403


def test_signing_in_with_a_password_an_admin_gave_leads_to_the_password_page(app, client):
    committed(app, lambda: make_user(Role.REVIEWER, username="first-timer"))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "first-timer"))
        user.must_change_password = True
        db.session.commit()
    response = client.post("/editor/login", data={"username": "first-timer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response.location).location.endswith("/editor/password")


def test_a_channel_can_be_a_sectors_regulator_route_and_heads_its_fee_lists(app, client, admin):
    def make() -> dict:
        utility = make_utility(sector=Sector.GAS)
        item = make_item(utility, kind=ItemKind.TARIFF)
        make_revision(item)
        return {"page": f"/u/{utility.slug}/{item.slug}"}

    tariff = committed(app, make)
    data = {
        "code": "gas-regulator",
        "name": "燃气行业监管投诉",
        "kinds": ["complaint"],
        "phone": "0519-86660000",
        "utility": "",
        "route_role": "regulator",
    }
    response = client.post("/admin/channels/new", data=data)
    assert response.status_code == 422
    assert "请选择该渠道适用的行业（或单位）。" in problems(response)
    response = client.post("/admin/channels/new", data=data | {"route_sector": "gas"})
    assert response.status_code == 302
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "gas-regulator"))
        assert (channel.role, channel.sector) == (ChannelRole.REGULATOR, Sector.GAS)
        channel_id = channel.id
    form = form_values(client.get(f"/admin/channels/{channel_id}/edit").data, "channel-form")
    assert (form["route_role"], form["route_sector"]) == ("regulator", "gas")
    routes = parse(client.get(tariff["page"]).data).text_of("complaints")
    assert "燃气行业监管投诉" in routes and "0519-86660000" in routes
