"""Taking a resident's rating: the five levels, the reasons of a bad review, the text and
phone checked before anything is written, one rating per item per kiosk session or per day
on a phone, and the case a bad review opens."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select

from services import clock
from services.db import db
from services.models import Device, Item, Revision
from services.publishing import audit
from services.ratings import cases
from services.ratings.models import Rating, RatingContact

# 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 (国办发〔2019〕51号); 1 and 2 are bad.
LEVELS = (5, 4, 3, 2, 1)
BAD_LEVELS = frozenset({1, 2})
# 基本满意 counts as satisfied in the satisfaction rate, as the national platform counts it.
SATISFIED_LEVELS = frozenset({3, 4, 5})
REASONS = ("guide_unclear", "materials_differ", "fees_differ", "time_exceeded", "attitude", "other")
COMMENT_MAX = 300
KIOSK, PHONE = "kiosk", "phone"
TAG = re.compile(r"<[^>]*>?")
# Mainland mobile numbers, and landlines with their area code (0571-8888 8888).
PHONE_NUMBER = re.compile(r"1[3-9]\d{9}|0\d{2,3}\d{7,8}")


@dataclass
class RatingForm:
    """What a resident sent, checked: `problems` names each field that is wrong and why."""

    level: int | None = None
    reasons: list[str] = field(default_factory=list)
    comment: str = ""
    phone: str = ""
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


def plain_text(raw: str) -> str:
    """`raw` without markup or control characters, its spaces collapsed."""
    text = html.unescape(TAG.sub(" ", unicodedata.normalize("NFKC", raw)))
    text = TAG.sub(" ", text).replace("\t", " ").replace("\r", "")  # escaped markup too
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == "\n")
    return re.sub(r"[ \t]+", " ", text).strip()


def read_form(level: str | None, reasons: list[str], comment: str, phone: str) -> RatingForm:
    """Check a rating as sent; problems are codes: level, reasons, comment_long, phone."""
    form = RatingForm()
    if level and level.isdigit() and int(level) in LEVELS:
        form.level = int(level)
    else:
        form.problems["level"] = "level"
        return form
    if not form.is_bad:
        return form  # a good rating carries nothing else
    form.reasons = [reason for reason in REASONS if reason in reasons]
    if not form.reasons:
        form.problems["reasons"] = "reasons"
    form.comment = plain_text(comment or "")
    if len(form.comment) > COMMENT_MAX:
        form.problems["comment"] = "comment_long"
    digits = re.sub(r"[\s\-()+]", "", unicodedata.normalize("NFKC", phone or ""))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if digits and not PHONE_NUMBER.fullmatch(digits):
        form.problems["phone"] = "phone"
    form.phone = digits
    return form


def rater_hash(token: str) -> str:
    """What is stored of a rating browser's random token."""
    return hashlib.sha256(token.encode()).hexdigest()


def has_rated(item: Item, token_hash: str, channel: str) -> bool:
    """True if this browser already rated the item: in this kiosk session, or today on a phone."""
    query = select(Rating.id).where(Rating.item_id == item.id, Rating.rater_hash == token_hash)
    if channel == PHONE:
        query = query.where(Rating.rated_on == clock.today())
    return db.session.scalar(query.limit(1)) is not None


def record_rating(
    item: Item,
    revision: Revision | None,
    form: RatingForm,
    channel: str,
    token_hash: str,
    device: Device | None = None,
) -> Rating:
    """Store a checked rating; a bad review opens its rectification case."""
    if form.problems or form.level is None:
        raise ValueError("a rating with problems is not stored")
    rating = Rating(
        item_id=item.id,
        utility_id=item.utility_id,
        revision_id=revision.id if revision else None,
        level=form.level,
        reasons=form.reasons,
        comment=form.comment,
        channel=channel,
        device_id=device.id if device else None,
        rater_hash=token_hash,
        rated_on=clock.today(),
    )
    db.session.add(rating)
    db.session.flush()
    if form.phone:
        db.session.add(RatingContact(rating_id=rating.id, phone=form.phone))
    # The audit row names what was rated, never the text or the phone (personal data).
    audit.record(
        channel,
        "rate",
        "rating",
        rating.id,
        after={"item": item.code, "level": form.level, "reasons": form.reasons},
    )
    if form.is_bad:
        cases.open_case(rating)
    db.session.flush()
    return rating
