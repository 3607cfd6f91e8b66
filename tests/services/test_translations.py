"""Every content text is translatable by its declared path; each localized text knows whether
it fell back to Simplified or was converted; translations know what they were made from."""

from __future__ import annotations

import pytest

from kiosk.editor.content_form import content_fields
from services.content.localize import (
    ConvertedText,
    FallbackText,
    has_converted,
    has_fallback,
    localized_content,
    localized_name,
    localized_summary,
    to_traditional,
)
from services.content.schema import TRANSLATABLE, path_tree, validate_content
from services.content.translations import (
    outdated_translations,
    pruned_translations,
    stamp_sources,
    translation_form,
)
from tests.factories import service_content

VARIANT_FORMS = "爲衆覈"


def full_content() -> dict:
    """A service with a text at every translatable path (and none without one)."""
    fee = service_content()["fees"][0] | {
        "customer_class": "居民用户",
        "note": "含表箱材料费",
        "reductions": [{"description": "低保家庭减半收取"}],
    }
    text_fee = {
        "name": "管道维修费",
        "kind": "charge",
        "pricing": {"type": "text", "text": "按实际发生的材料费收取"},
        "basis": [],
    }
    content = service_content(
        fees=[fee, text_fee],
        payment_methods=["现金", "微信支付"],
        hearing={"held_on": "2024-05-01", "body": "澄州市发展和改革委员会", "outcome": "通过"},
        faq=[{"question": "要本人到场吗？", "answer": "可委托他人办理。"}],
    )
    content["time_limits"]["statutory"]["note"] = "自受理之日起计算"
    content["time_limits"]["promised"]["note"] = "不含勘查时间"
    content["steps"][1]["time_limit"]["note"] = "雨天顺延"
    content["materials"][0]["note"] = "本人到场"
    content["steps"][1]["description"] = "工作人员上门"
    content["steps"][2]["description"] = "装表后当日通水"
    content["locations"][0]["hours_note"] = "法定节假日休息"
    return content


def english_of(content: dict) -> dict:
    """An English translation of every translatable text of `content`."""

    def walk(value):
        if isinstance(value, str):
            return f"EN {len(value)}"
        if isinstance(value, list):
            return [walk(v) for v in value]
        return {k: walk(v) for k, v in value.items() if v is not None}

    return walk(projected(content))


def projected(content: dict) -> dict:
    """The translatable texts of `content`, in its shape."""

    def cut(value, tree):
        if tree is True or value is None:
            return value
        if isinstance(value, list):
            return [cut(v, tree["[]"]) for v in value]
        return {k: cut(value[k], t) for k, t in tree.items() if k in value}

    return cut(content, path_tree(TRANSLATABLE))


def texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from texts(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts(v)


def test_every_declared_text_is_overlaid_and_a_full_translation_falls_back_nowhere():
    content = full_content()
    content["translations"] = {"en": english_of(content)}
    validate_content(content)
    shown, mode = localized_content(content, "en")
    assert mode == "translated"
    assert not has_fallback(shown)
    assert shown["fees"][0]["note"] == "EN 6"
    assert shown["fees"][0]["reductions"][0]["description"] == "EN 8"
    assert shown["fees"][1]["pricing"]["text"] == "EN 11"
    assert shown["time_limits"]["statutory"]["note"] == "EN 8"
    assert shown["locations"][0]["hours_note"] == "EN 7"
    assert shown["hearing"]["body"] == "EN 11"
    # Structure stays the original's: amounts, codes, units are never translated.
    assert shown["fees"][0]["pricing"] == content["fees"][0]["pricing"]


def test_an_untranslated_text_is_marked_as_a_fallback_and_the_rest_is_not():
    content = full_content()
    content["translations"] = {
        "en": {"name": "New water connection", "fees": [{}, {"name": "Repairs"}]}
    }
    shown, _mode = localized_content(content, "en")
    assert type(shown["name"]) is str and type(shown["fees"][1]["name"]) is str
    assert isinstance(shown["summary"], FallbackText) and shown["summary"] == content["summary"]
    assert isinstance(shown["fees"][0]["note"], FallbackText)
    assert isinstance(shown["locations"][0]["hours_note"], FallbackText)
    assert shown["summary"].lang == "zh-Hans"
    assert has_fallback(shown)
    # Text without Chinese reads the same in any language: never a fallback.
    assert type(shown["fees"][0]["pricing"]["unit"]) is str
    assert not isinstance(shown["locations"][0]["hours"][0]["opens"], FallbackText)


def test_traditional_marks_exactly_the_texts_it_converted():
    content = full_content()
    content["translations"] = {"zh_Hant": {"summary": "為居民住宅新裝自來水錶並通水。"}}
    shown, mode = localized_content(content, "zh_Hant")
    assert mode == "translated"
    assert type(shown["summary"]) is str  # written by hand: not marked
    assert isinstance(shown["name"], ConvertedText)
    assert isinstance(shown["fees"][0]["reductions"][0]["description"], ConvertedText)
    assert shown["fees"][0]["reductions"][0]["description"] == "低保家庭減半收取"
    assert not has_fallback(shown) and has_converted(shown)
    assert not set("".join(texts(shown))) & set(VARIANT_FORMS)


def test_fee_names_stored_the_old_way_are_still_shown():
    content = full_content()
    content["translations"] = {"en": {"fee_names": ["Meter fitting", ""]}}
    validate_content(content)
    shown, _mode = localized_content(content, "en")
    assert shown["fees"][0]["name"] == "Meter fitting"
    assert isinstance(shown["fees"][1]["name"], FallbackText)
    form = translation_form(content)["translations"]["en"]
    assert "fee_names" not in form and form["fees"][0]["name"] == "Meter fitting"


def saved(content: dict, summary: str = "首次公开") -> dict:
    """`content` as saving it over a draft holding the same content stores it."""
    return stamp_sources(content, summary, content, summary)


@pytest.mark.parametrize("locale", ["zh_Hant", "en"])
def test_a_translation_of_older_chinese_text_is_outdated_and_not_shown(locale):
    content = full_content()
    content["translations"] = {locale: {"summary": "Old text", "result": "Account opened"}}
    first = saved(content)
    changed = first | {"summary": "为居民住宅新装水表，费用另计。"}
    later = stamp_sources(first, "首次公开", changed, "首次公开")
    assert outdated_translations(later, "首次公开") == {f"translations.{locale}.summary"}
    shown, _mode = localized_content(later, locale)
    if locale == "en":
        # An outdated English text may state what no longer holds: the Chinese is shown.
        assert isinstance(shown["summary"], FallbackText)
        assert shown["summary"] == changed["summary"]
    else:
        # Traditional is converted afresh from the new text, and says so.
        assert isinstance(shown["summary"], ConvertedText)
        assert shown["summary"] == to_traditional(changed["summary"])
    assert shown["result"] == "Account opened"  # its Chinese text did not change


def test_a_translation_written_before_fingerprints_is_outdated_once_its_chinese_changes():
    content = full_content()
    content["translations"] = {"en": {"summary": "Old text"}}
    assert localized_content(content, "en")[0]["summary"] == "Old text"  # trusted as it is
    changed = content | {"summary": "新的说明"}
    later = stamp_sources(content, "", changed, "")
    assert outdated_translations(later, "") == {"translations.en.summary"}


def test_a_retyped_or_confirmed_translation_fits_the_new_chinese_again():
    content = saved(full_content() | {"translations": {"en": {"summary": "Old", "result": "R"}}})
    changed = content | {"summary": "新的说明", "result": "新的结果"}
    retyped = changed | {"translations": {"en": {"summary": "New", "result": "R"}}}
    later = stamp_sources(content, "", retyped, "", frozenset({"translations.en.result"}))
    assert outdated_translations(later, "") == set()
    assert localized_content(later, "en")[0]["result"] == "R"


def test_the_change_summary_is_translated_and_outdated_like_the_content():
    content = saved(
        full_content() | {"translations": {"en": {"change_summary": "Fee lowered"}}}, "降低收费"
    )
    assert localized_summary(content, "降低收费", "en") == "Fee lowered"
    assert localized_summary(content, "降低收费", "zh_Hant") == "降低收費"
    assert isinstance(localized_summary(content, "调整时限", "en"), FallbackText)
    assert outdated_translations(content, "调整时限") == {"translations.en.change_summary"}


def test_the_name_alone_follows_the_same_rules():
    content = saved(full_content() | {"translations": {"en": {"name": "New water connection"}}})
    assert localized_name(content, "en") == "New water connection"
    renamed = content | {"name": "居民用水报装"}
    assert isinstance(localized_name(renamed, "en"), FallbackText)
    assert localized_name(renamed, "en") == localized_content(renamed, "en")[0]["name"]


def test_the_editor_offers_an_input_for_every_translatable_text():
    content = full_content()
    inputs = set()

    def walk(fields):
        for f in fields:
            walk(f.children)
            if f.widget in ("text", "textarea"):
                inputs.add(f.path)

    walk(content_fields(content, {"channel": [], "basis": []}))
    originals = {path for path in _paths(projected(content)) if path != "translations"}
    for locale in ("zh_Hant", "en"):
        for path in originals:
            assert f"translations.{locale}.{path}" in inputs, path
        assert f"translations.{locale}.change_summary" in inputs


def _paths(value, prefix=""):
    if isinstance(value, str):
        yield prefix
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _paths(v, f"{prefix}[{n}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, f"{prefix}.{k}" if prefix else k)


def test_blank_translation_rows_keep_places_only_before_a_translated_one():
    content = full_content() | {
        "translations": {"en": {"fees": [{}, {"name": "Repairs"}, {}], "conditions": ["", ""]}}
    }
    pruned = pruned_translations(content)["translations"]
    assert pruned == {"en": {"fees": [{}, {"name": "Repairs"}]}}
    assert "translations" not in pruned_translations(content | {"translations": {"en": {}}})


def test_a_text_declared_later_is_translated_without_other_changes(monkeypatch):
    # Another field's author lists its path; nothing else is needed for it to be overlaid.
    content = full_content()
    content["locations"][0]["address"] = "澄州市龙城大道1号"
    content["translations"] = {"en": {"locations": [{"address": "1 Longcheng Avenue"}]}}
    from services.content.schema import path_tree

    monkeypatch.setattr(
        "services.content.localize.TRANSLATABLE_TREE", path_tree(["locations[].address"])
    )
    shown, _mode = localized_content(content, "en")
    assert shown["locations"][0]["address"] == "1 Longcheng Avenue"
    assert type(shown["summary"]) is str  # no longer declared: left alone


def test_what_a_translation_was_made_from_is_no_change_anyone_reads():
    from services.content.diff import diff

    content = full_content() | {"translations": {"en": {"summary": "Water"}}}
    changes = diff(content, saved(content))
    assert changes == []
