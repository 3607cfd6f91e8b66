"""A revision's name alone is localized exactly as its whole content is."""

import opencc
import pytest
from sqlalchemy import select

from services.content import localize
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


def test_the_merged_dictionary_converts_as_opencc_s2tw_does(ctx):
    standard = opencc.OpenCC("s2tw")
    texts = [str(r.content) for r in db.session.scalars(select(Revision))]
    # Words whose phrase and character conversions differ, and phrases from both of s2t's
    # phrase dictionaries; each text is also run together with the next two, so that
    # matches cross where one ended.
    texts += ["发票头发", "头发长了去理发", "谷氨酸和谷氨酰胺", "SQL注入", "干部干活干净"]
    texts += ["".join(texts[n : n + 3]) for n in range(len(texts))]
    for text in texts:
        assert to_traditional(text) == standard.convert(text), text


VARIANT_FORMS = "爲衆覈綫着裏"


@pytest.fixture
def hong_kong():
    localize.configure_traditional("hk")
    yield
    localize.configure_traditional("tw")


def test_traditional_uses_the_taiwan_standard_forms_never_the_variants():
    converted = to_traditional("为众人核查线路，沿着里弄")
    assert converted == "為眾人核查線路，沿著里弄"
    assert not set(converted) & set(VARIANT_FORMS)


def test_a_deployment_may_choose_the_hong_kong_standard(hong_kong):
    text = "为众人核查线路，住在里面"
    assert to_traditional(text) == opencc.OpenCC("s2hk").convert(text) == "為眾人核查線路，住在裏面"


def test_the_citys_names_survive_conversion(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("# 本市地名\n于家巷\n干将路\t干將路\n\n", encoding="utf-8")
    try:
        localize.configure_traditional("tw", localize.read_names(names))
        converted = to_traditional("干部在于家巷和干将路办事")
        assert converted == "幹部在于家巷和干將路辦事"
        assert len(converted) == len("干部在于家巷和干将路办事")
    finally:
        localize.configure_traditional("tw")
    assert to_traditional("于家巷") == "於家巷"  # without the list the name is lost


@pytest.mark.parametrize("line", ["于家巷\t於家巷口", "两个 名字"])
def test_a_names_line_that_would_shift_the_text_is_refused_with_its_line(tmp_path, line):
    names = tmp_path / "names.txt"
    names.write_text(f"于家巷\n{line}\n", encoding="utf-8")
    with pytest.raises(localize.NamesListError, match="line 2"):
        localize.read_names(names)


def test_an_unknown_standard_is_refused():
    with pytest.raises(ValueError, match="tw or hk"):
        localize.configure_traditional("mo")
