"""Search: initials, full pinyin, short queries, both scripts, ranking, grouping and marks."""

import re
import subprocess
import sys
from datetime import date

import pytest
from pypinyin import Style, lazy_pinyin

from services.db import db
from services.models import ItemStatus, RevisionStatus, SearchEntry
from services.search import text
from services.search.index import (
    index_item,
    rebuild_search_index,
    search_catalogue,
)
from services.search.matching import BODY, NAME_CONTAINS, NAME_PREFIX
from services.search.syllables import SYLLABLES
from services.search.text import annotate, highlight, parse_query, pinyin_readings
from tests.factories import make_item, make_revision, make_utility, service_content


def indexed(name, utility=None, **content):
    """An item with a published revision named `name`, indexed for search."""
    item = make_item(utility or make_utility())
    make_revision(item, content=service_content(name=name, **content))
    index_item(item)
    return item


def hits(query, locale="zh_Hans"):
    """(item slug, rank) of every hit, best first."""
    results = search_catalogue(query, locale, limit=500)
    return [(h.item_slug, h.rank) for g in results.groups for h in g.hits]


def hit_for(item, query, locale="zh_Hans"):
    results = search_catalogue(query, locale, limit=500)
    found = [h for g in results.groups for h in g.hits if h.item_slug == item.slug]
    return found[0] if found else None


def test_initials_are_pypinyin_first_letters():
    assert annotate("营业执照").initials == "yyzz"
    sentence = "居民用户银行代扣水费需携带户口簿"
    assert annotate(sentence).initials == "".join(lazy_pinyin(sentence, style=Style.FIRST_LETTER))


def test_full_pinyin_is_kept_with_and_without_spaces():
    folded = annotate("營業執照")
    assert folded.text == "营业执照"
    assert folded.pinyin == "yingyezhizhao"
    assert folded.pinyin_spaced == " ying ye zhi zhao"


def test_pinyin_initials_find_an_item_by_its_name(ctx):
    item = indexed("营业执照遗失补办")
    assert (item.slug, NAME_PREFIX) in hits("yyzz")
    assert (item.slug, NAME_CONTAINS) in hits("zzys")


def test_full_pinyin_finds_an_item_typed_whole_spaced_or_half_way(ctx):
    item = indexed("闸阀井盖更换")
    for query in ("zhafajinggai", "zha fa jing gai", "zhafaj", "jinggai"):
        assert item.slug in [slug for slug, _ in hits(query)], query


def test_pinyin_must_start_where_a_syllable_starts(ctx):
    item = indexed("长安街道供水")
    assert item.slug in [slug for slug, _ in hits("changan")]
    # "gan" is a syllable, and is in "changan", but not as one of its syllables.
    assert item.slug not in [slug for slug, _ in hits("gan")]


def test_one_and_two_character_queries_find_items(ctx):
    item = indexed("闸阀井盖更换")
    assert item.slug in [slug for slug, _ in hits("闸")]
    assert item.slug in [slug for slug, _ in hits("井盖")]


def test_a_traditional_query_finds_simplified_text(ctx):
    item = indexed("电能表迁移申请")
    assert (item.slug, NAME_PREFIX) in hits("電能錶遷移")


def test_a_simplified_query_finds_text_written_in_traditional(ctx):
    item = indexed("燃氣錶遷移申請")
    assert (item.slug, NAME_PREFIX) in hits("燃气表迁移")


def test_names_rank_before_bodies_and_prefixes_before_the_rest(ctx):
    utility = make_utility()
    in_body = indexed(
        "居民用水过户",
        utility,
        materials=[{"name": "闸阀验收单", "form": "copy", "copies": 1, "required": True}],
    )
    inside_name = indexed("老旧闸阀改造", utility)
    starting_name = indexed("闸阀井盖更换", utility)
    ranked = [slug for slug, _ in hits("闸阀")]
    assert ranked.index(starting_name.slug) < ranked.index(inside_name.slug)
    assert ranked.index(inside_name.slug) < ranked.index(in_body.slug)
    assert hit_for(in_body, "闸阀").rank == BODY


def test_a_body_match_shows_the_line_it_was_found_in(ctx):
    item = indexed(
        "居民用水过户",
        materials=[{"name": "闸阀验收单", "form": "copy", "copies": 1, "required": True}],
    )
    hit = hit_for(item, "zfys")
    assert hit.rank == BODY
    assert str(hit.snippet_html) == "<mark>闸阀验收</mark>单"


def test_results_are_grouped_by_utility_best_group_first(ctx):
    first, second = make_utility(), make_utility()
    a = indexed("鳜鱼养殖用水报装", second)
    b = indexed("养殖鳜鱼用电", first)
    c = indexed("鳜鱼塘取水许可", second)
    results = search_catalogue("鳜鱼", "zh_Hans", limit=500)
    ours = [g for g in results.groups if g.utility.id in (first.id, second.id)]
    assert [g.utility.id for g in ours] == [second.id, first.id]
    # Both names start with the query: the shorter, closer one first.
    assert [h.item_slug for h in ours[0].hits] == [c.slug, a.slug]
    assert [h.item_slug for h in ours[1].hits] == [b.slug]


def test_matches_are_marked_in_the_readers_script(ctx):
    item = indexed("营业执照遗失补办")
    assert str(hit_for(item, "yyzz").name_html) == "<mark>营业执照</mark>遗失补办"
    assert str(hit_for(item, "营业", "zh_Hant").name_html) == "<mark>營業</mark>執照遺失補辦"


def test_highlight_escapes_stored_text_before_marking(ctx):
    marked = highlight("<b>营业</b>执照", [(3, 5)])
    assert str(marked) == "&lt;b&gt;<mark>营业</mark>&lt;/b&gt;执照"
    item = indexed('闸阀<img src=x onerror="alert(1)">')
    name = str(hit_for(item, "闸阀").name_html)
    assert "<img" not in name and name.startswith("<mark>闸阀</mark>&lt;img")


def test_wildcards_in_a_query_are_taken_literally(ctx):
    item = indexed("闸阀井盖更换")
    assert item.slug not in [slug for slug, _ in hits("闸%井")]
    assert item.slug not in [slug for slug, _ in hits("闸_井")]
    assert search_catalogue("   ", "zh_Hans").query == ""


def test_pinyin_readings_offer_each_way_to_cut_ambiguous_letters():
    assert pinyin_readings("xian") == ("xian", "xi an")
    assert pinyin_readings("yingy") == ("ying y",)
    assert pinyin_readings("yyzz") == ()
    assert parse_query("ＹＹＺＺ").letters == "yyzz"


def test_retired_items_are_not_found(ctx):
    item = indexed("闸阀井盖更换")
    item.status = ItemStatus.RETIRED
    index_item(item)
    assert item.slug not in [slug for slug, _ in hits("闸阀")]


def test_a_scheduled_revision_becomes_searchable_on_its_date(ctx, monkeypatch):
    item = make_item(make_utility())
    make_revision(item, content=service_content(name="闸阀井盖更换"))
    make_revision(
        item,
        content=service_content(name="闸阀井盖维修"),
        status=RevisionStatus.PUBLISHED,
        effective_from=date(2030, 1, 1),
    )
    index_item(item)
    assert item.slug not in [slug for slug, _ in hits("维修")]
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2030-01-01T09:00:00")
    assert item.slug in [slug for slug, _ in hits("维修")]
    assert item.slug not in [slug for slug, _ in hits("更换")]


def test_rebuilding_gives_every_item_one_entry(ctx):
    item = indexed("闸阀井盖更换")
    rebuild_search_index()
    rebuild_search_index()
    entries = db.session.query(SearchEntry).filter_by(item_id=item.id).all()
    assert len(entries) == 1 and entries[0].name == "闸阀井盖更换"


def test_the_syllable_list_is_pypinyins():
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {r for value in set(pinyin_dict.values()) for r in value.split(",")}
    expected = {s for s in map(to_normal, readings) if re.fullmatch(r"[a-z]*[aeiouv][a-z]*", s)}
    assert expected == SYLLABLES


def test_reading_a_query_needs_no_pypinyin_dictionaries():
    # In a fresh process: this one may have loaded pypinyin for another test.
    probe = (
        "import sys; import services.search.index; "
        "from services.search.text import parse_query; parse_query('shuibiao'); "
        "print('pypinyin' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_hits_are_marked_from_the_stored_pinyin(ctx, monkeypatch, locale):
    indexed("居民用水报装", translations={"en": {"name": "Household water connection"}})

    def no_pypinyin(run):
        raise AssertionError(f"pypinyin asked to read {run}")

    monkeypatch.setattr(text, "_han_syllables", no_pypinyin)
    hit = search_catalogue("jmys", locale).groups[0].hits[0]
    marked = hit.original_html if locale == "en" else hit.name_html
    assert "<mark>" in marked
