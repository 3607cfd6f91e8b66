"""Factory functions with sensible defaults; pass only what a test cares about."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from services import clock
from services.clock import utcnow
from services.db import db
from services.hearings import publishing as hearing_publishing
from services.hearings.models import Hearing, HearingKind
from services.models import (
    Channel,
    ChannelKind,
    Hall,
    Item,
    ItemKind,
    LegalBasis,
    Nature,
    Revision,
    RevisionStatus,
    Role,
    Sector,
    User,
    Utility,
)
from services.notices import render as notices
from services.outages import publishing as outage_publishing
from services.outages.models import Outage, OutageKind
from services.publishing import accounts

PASSWORD = "correct horse battery"

_seq = itertools.count(1)
T = TypeVar("T")


def committed(app, make: Callable[[], T]) -> T:
    """What `make` returns, built in an app context of its own and committed: requests then
    read the rows through their own sessions, as in production. Return plain values (ids,
    addresses), not rows."""
    with app.app_context():
        value = make()
        db.session.commit()
        return value


def unique(prefix: str) -> str:
    return f"{prefix}-t{next(_seq)}"


def service_content(**overrides: Any) -> dict[str, Any]:
    """Valid content of a service item."""
    content: dict[str, Any] = {
        "name": "居民用水新装",
        "summary": "为居民住宅新装自来水表并通水。",
        "audience": "person",
        "conditions": ["房屋已取得不动产权证书", "室内给水管道已安装完毕"],
        "materials": [
            {"name": "居民身份证", "form": "original", "copies": 1, "required": True},
            {
                "name": "不动产权证书",
                "form": "copy",
                "copies": 1,
                "required": True,
                "note": "核验原件",
            },
        ],
        "steps": [
            {"title": "申请受理", "description": "窗口或网上提交申请", "time_limit": None},
            {"title": "现场勘查", "time_limit": {"value": 2, "unit": "working_days"}},
            {"title": "装表通水", "time_limit": {"value": 3, "unit": "working_days"}},
        ],
        "time_limits": {
            "statutory": {
                "value": 20,
                "unit": "working_days",
                "source": {"kind": "law", "code": "test-price-doc", "article": "第十条"},
            },
            "promised": {"value": 5, "unit": "working_days", "source": {"kind": "promise"}},
        },
        "visits": 1,
        "fees": [
            {
                "name": "水表安装费",
                "kind": "charge",
                "pricing": {"type": "flat", "amount": "380.00", "unit": "元/户"},
                "basis": [{"code": "test-price-doc", "article": "第三条"}],
            }
        ],
        "basis": [{"code": "test-price-doc"}],
        "locations": [
            {
                "name": "市民中心水务窗口",
                "address": "澄州市龙城大道1号",
                "hours": [{"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}],
            }
        ],
        "channels": ["test-12345"],
        "result": "通水并建立用水账户",
    }
    content.update(overrides)
    return content


def tariff_content(**overrides: Any) -> dict[str, Any]:
    """Valid content of a tiered residential water tariff (Beijing's figures), a price
    notice without a service's time limits, materials, steps or visits."""
    content = service_content(
        name="居民生活用水价格",
        summary="居民用户按户年度用水量实行阶梯水价。",
        fees=[
            {
                "name": "居民生活用水",
                "kind": "charge",
                "customer_class": "居民",
                "pricing": {
                    "type": "tiers",
                    "unit": "元/立方米",
                    "period": "year",
                    "upper_inclusive": True,
                    "tiers": [
                        {
                            "lower": "0",
                            "upper": "180",
                            "price": "5.00",
                            "components": [
                                {"name": "水费", "price": "2.07"},
                                {"name": "水资源费", "price": "1.57"},
                                {"name": "污水处理费", "price": "1.36"},
                            ],
                        },
                        {"lower": "180", "upper": "260", "price": "7.00"},
                        {"lower": "260", "upper": None, "price": "9.00"},
                    ],
                },
                "basis": [{"code": "test-price-doc"}],
            }
        ],
        price_notice={
            "document": {"code": "test-price-doc"},
            "effective_on": "2024-01-01",
            "published_on": "2023-12-08",
            "scope": "城区公共供水范围内的一户一表居民用户",
            "collector": "澄州测试水务有限公司",
            "collected_for": "水资源费、污水处理费代市水务局征收",
        },
    )
    for key in ("time_limits", "conditions", "materials", "steps", "visits", "result"):
        del content[key]
    content.update(overrides)
    return content


def make_legal_basis(**overrides: Any) -> LegalBasis:
    fields = dict(
        code=unique("basis"),
        title="关于调整水价的通知",
        doc_number="澄价〔2024〕1号",
        issuer="澄州市发展和改革委员会",
        issued_on=date(2024, 1, 1),
        rank=5,
    )
    basis = LegalBasis(**(fields | overrides))
    db.session.add(basis)
    db.session.flush()
    return basis


def ensure_test_refs() -> None:
    """The basis and channel that the default contents refer to."""
    if not db.session.scalar(select(LegalBasis).filter_by(code="test-price-doc")):
        make_legal_basis(code="test-price-doc")
    if not db.session.scalar(select(Channel).filter_by(code="test-12345")):
        make_channel(code="test-12345")


def make_channel(**overrides: Any) -> Channel:
    fields = dict(
        code=unique("channel"), kind=ChannelKind.COMPLAINT, name="政务服务便民热线", phone="12345"
    )
    channel = Channel(**(fields | overrides))
    db.session.add(channel)
    db.session.flush()
    return channel


def make_utility(**overrides: Any) -> Utility:
    slug = overrides.pop("slug", unique("utility"))
    fields = dict(
        slug=slug,
        name="澄州测试水务有限公司",
        short_name="测试水务",
        sector=Sector.WATER,
        nature=Nature.AUTHORISED,
    )
    utility = Utility(**(fields | overrides))
    db.session.add(utility)
    db.session.flush()
    return utility


def make_item(utility: Utility | None = None, **overrides: Any) -> Item:
    utility = utility or make_utility()
    slug = overrides.pop("slug", unique("item"))
    fields = dict(
        utility=utility, kind=ItemKind.SERVICE, slug=slug, code=unique("CODE"), category="用水报装"
    )
    item = Item(**(fields | overrides))
    db.session.add(item)
    db.session.flush()
    return item


def make_revision(item: Item | None = None, **overrides: Any) -> Revision:
    """A published revision (effective 2024-01-01) unless told otherwise."""
    ensure_test_refs()
    item = item or make_item()
    number = overrides.pop("number", len(item.revisions) + 1)
    content = overrides.pop(
        "content", tariff_content() if item.kind == ItemKind.TARIFF else service_content()
    )
    fields = dict(
        item=item,
        number=number,
        content=content,
        status=RevisionStatus.PUBLISHED,
        effective_from=date(2024, 1, 1),
        change_summary="首次公开",
        published_at=utcnow(),
    )
    revision = Revision(**(fields | overrides))
    db.session.add(revision)
    db.session.flush()
    return revision


def make_hall(utilities: list[Utility] | None = None, **overrides: Any) -> Hall:
    """A hall open on weekdays 09:00–17:00 that shows `utilities` (one new utility if None)."""
    fields = dict(
        slug=unique("hall"),
        name="澄州市测试政务服务大厅",
        address="澄州市龙城大道1号",
        opening_hours=[{"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}],
        settings={},
    )
    hall = Hall(**(fields | overrides))
    hall.utilities = [make_utility()] if utilities is None else list(utilities)
    db.session.add(hall)
    db.session.flush()
    return hall


def make_user(role: Role = Role.EDITOR, utility: Utility | None = None, **overrides: Any) -> User:
    """An account with PASSWORD; an editor gets a new utility unless given one."""
    if role == Role.EDITOR and utility is None:
        utility = make_utility()
    username = overrides.pop("username", unique(role.value))
    return accounts.create_user(
        username, overrides.pop("password", PASSWORD), role, utility, **overrides
    )


def make_printer(app, presses, cache_dir) -> notices.Printer:
    """A printer built from arguments alone, writing into `cache_dir`."""
    return notices.Printer(
        templates=app.jinja_env,
        languages=("zh_Hans", "zh_Hant", "en"),
        public_base_url="https://gongshi.example.org/",
        static_dir=Path(app.static_folder),
        cache_dir=cache_dir,
        presses=presses,
    )


def make_outage(utility: Utility | None = None, **overrides: Any) -> Outage:
    """A planned outage published through the service, a week and a day ahead, 8 hours long.

    Pass `starts_at` / `ends_at` (aware) and `now` (when it is published) to place it.
    """
    utility = utility or make_utility()
    now = overrides.pop("now", clock.now())
    starts_at = overrides.pop("starts_at", now + timedelta(days=8))
    fields = dict(
        kind=OutageKind.PLANNED,
        area="龙城街道幸福路1号至99号",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=8),
        reason="管网检修",
        advice="请提前储水",
        districts=["龙城区"],
        streets=["幸福路"],
    )
    data = outage_publishing.OutageData(**(fields | overrides))
    return outage_publishing.publish_outage(data, utility, "test", now, {})


def make_hearing(item: Item | None = None, **overrides: Any) -> Hearing:
    """A price hearing on a tiered water tariff (made if not given): announced now, comments
    open from now for 14 days, the meeting on day 10; raising each tier by 0.50."""
    if item is None:
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item)
    now = overrides.pop("now", clock.now())
    fields = dict(
        kind=HearingKind.HEARING,
        title="居民生活用水价格调整听证会",
        draft_tiers="0-180 5.50\n180-260 7.50\n260- 9.50",
        comments_open_at=now,
        comments_close_at=now + timedelta(days=14),
        proposal="各阶梯水价每立方米提高0.50元",
        reasons="供水成本上升",
        basis="《中华人民共和国价格法》第二十三条",
        held_at=now + timedelta(days=10),
        signup_close_at=now + timedelta(days=7),
        place="澄州市民中心三楼会议室",
        how_to_take_part="在触摸屏或手机上留言，或到场旁听",
    )
    data = hearing_publishing.HearingData(**(fields | overrides))
    return hearing_publishing.announce_hearing(data, item, "test", now)


def make_bad_review(item: Item | None = None, phone: str = "", **overrides: Any):
    """A bad review of `item` (a new published service if None) through the real service,
    with the rectification case it opens; returns the case."""
    from services.ratings import taking

    item = item or make_revision().item
    if not item.revisions:
        make_revision(item)
    form = taking.RatingForm(
        level=overrides.pop("level", 2),
        reasons=overrides.pop("reasons", ["guide_unclear"]),
        comment=overrides.pop("comment", "窗口要求的材料和指南不一样"),
        phone=phone,
    )
    channel = overrides.pop("channel", taking.PHONE)
    rating = taking.record_rating(item, item.revisions[-1], form, channel, unique("rater"))
    return rating.case


def make_info_request(utility: Utility | None = None, **overrides: Any):
    """A resident's information request, filed through the service as the form does."""
    from datetime import datetime

    from services.clock import city_zone
    from services.requests import handling
    from services.requests.models import ReplyForm, Requester

    fields: dict[str, Any] = {
        "requester": Requester.PERSON,
        "name": "张三",
        "contact": "13800000000",
        "description": "2025年管网漏损率的测算依据",
        "reply_form": ReplyForm.ELECTRONIC,
        "source": unique("source"),
        "now": datetime(2026, 9, 15, 9, 0, tzinfo=city_zone()),  # a Tuesday
        "per_hour": 100,
    }
    fields.update(overrides)
    return handling.file_request(utility or make_utility(), **fields)


def blank_pdf(title: str = "测试申请表", pages: int = 1) -> bytes:
    """A small real PDF of blank pages; a different `title` gives different bytes."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def store_form(app, data: bytes) -> str:
    """Keep `data` as a guide form under the app's upload folder; its SHA-256."""
    from services.guide_files.storage import store_pdf

    return store_pdf(Path(app.config["UPLOAD_DIR"]), data)
