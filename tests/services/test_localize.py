"""A revision's name alone is localized exactly as its whole content is."""

import opencc
import pytest
from sqlalchemy import select

from services.content.localize import localized_content, localized_name, to_traditional
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


def test_the_merged_dictionary_converts_as_opencc_s2t_does(ctx):
    standard = opencc.OpenCC("s2t")
    texts = [str(r.content) for r in db.session.scalars(select(Revision))]
    # Words whose phrase and character conversions differ, and phrases from both of s2t's
    # phrase dictionaries; each text is also run together with the next two, so that
    # matches cross where one ended.
    texts += ["发票头发", "头发长了去理发", "谷氨酸和谷氨酰胺", "SQL注入", "干部干活干净"]
    texts += ["".join(texts[n : n + 3]) for n in range(len(texts))]
    for text in texts:
        assert to_traditional(text) == standard.convert(text), text
