"""A revision's name alone is localized exactly as its whole content is."""

import pytest
from sqlalchemy import select

from services.content.localize import localized_content, localized_name
from services.db import db
from services.models import Revision
from tests.factories import service_content

TRANSLATED = [
    service_content(name="水表迁移", translations={"zh_Hant": {"name": "水錶遷移"}}),
    service_content(name="水表迁移", translations={"en": {"name": "Moving a water meter"}}),
    service_content(name="水表迁移", translations={"en": {"summary": "No name given"}}),
]


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_the_name_alone_matches_the_localized_content(ctx, locale):
    contents = TRANSLATED + [r.content for r in db.session.scalars(select(Revision))]
    for content in contents:
        assert localized_name(content, locale) == localized_content(content, locale)[0]["name"]
