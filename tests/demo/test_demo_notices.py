"""The demo city's notices print in the fonts the render processes have."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection
from sqlalchemy import select

from services.db import db
from services.models import Revision, RevisionStatus
from services.notices import render as notices
from services.notices.presses import Presses
from tests.factories import make_printer
from tests.html import parse


@pytest.fixture
def printer(app, ctx, tmp_path):
    """A printer for laying notices out as HTML; its render processes start only if asked."""
    presses = Presses(Path(app.static_folder), processes=1)
    yield make_printer(app, presses, tmp_path / "cache")
    presses.shutdown()


@lru_cache(maxsize=1)
def noto_coverage() -> set[int]:
    fonts = TTCollection("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").fonts
    return set().union(*(font.getBestCmap().keys() for font in fonts))


@pytest.mark.parametrize("lang", ["zh_Hans", "zh_Hant", "en"])
def test_no_character_of_the_demo_data_falls_outside_the_noto_cjk_fonts(printer, lang):
    revisions = db.session.scalars(
        select(Revision).where(Revision.status == RevisionStatus.PUBLISHED)
    ).all()
    assert revisions
    missing = set()
    for revision in revisions:
        text = parse(notices.notice_html(printer, revision, lang, "A4")).text
        missing |= {ch for ch in text if not ch.isspace() and ord(ch) not in noto_coverage()}
    assert not missing, sorted(missing)
