"""Pages in English or Traditional say when parts are still in Simplified Chinese, and each
such part carries lang="zh-Hans"; converted parts are marked one by one."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext

from services.content.localize import FallbackText, localized_content
from services.models import ItemKind
from tests.factories import (
    committed,
    make_channel,
    make_hall,
    make_item,
    make_legal_basis,
    make_revision,
    make_utility,
    tariff_content,
    unique,
)
from tests.html import parse
from tests.services.test_notices import pdf_text, squeeze
from tests.services.test_translations import english_of, full_content

BANNER = "Some parts are not yet available in English and are shown in Chinese."
HAN = re.compile(r"[\u3400-\u9fff]")
# Parts declared Simplified Chinese, other than the buttons that print the Chinese notice.
# A document's 文号 is an identifier written in Chinese, not a text left untranslated.
CHINESE_PARTS = '[lang="zh-Hans"]:not([href*="lang=zh_Hans"]):not(.doc-number)'


def make_page(app, english: str = "full", traditional: dict | None = None) -> dict:
    """An item whose records are all translated into English; its content fully ("full"),
    partly ("partial": name and fees only) or not at all ("none")."""

    def make():
        utility = make_utility(translations={"en": {"name": "Chengzhou Test Water"}})
        basis = make_legal_basis(
            code=unique("basis"), translations={"en": {"title": "Notice on water prices"}}
        )
        channel = make_channel(
            code=unique("channel"),
            hours="工作日8:30-17:30",
            translations={"en": {"name": "Citizens' hotline", "hours": "Weekdays 8:30-17:30"}},
        )
        content = full_content()
        content["channels"] = [channel.code]
        content["basis"] = [{"code": basis.code}]
        for fee in content["fees"]:
            fee["basis"] = [{"code": basis.code}]
        # Every law a time limit cites is the one translated basis too.
        limits = list(content["time_limits"].values())
        limits += [step["time_limit"] for step in content.get("steps", [])]
        for limit in limits:
            if limit and limit.get("source", {}).get("kind") == "law":
                limit["source"]["code"] = basis.code
        translation = english_of(content) | {"change_summary": "First publication"}
        if english == "partial":
            translation = {"name": translation["name"], "fees": translation["fees"]}
        content["translations"] = {}
        if english != "none":
            content["translations"]["en"] = translation
        if traditional:
            content["translations"]["zh_Hant"] = traditional
        revision = make_revision(make_item(utility), content=content)
        item = revision.item
        return {
            "url": f"/u/{utility.slug}/{item.slug}",
            "pdf": f"/print/{revision.id}.pdf",
            "content": content,
        }

    return committed(app, make)


def fallback_texts(content: dict, locale: str) -> list[str]:
    shown = localized_content(content, locale)[0]
    found = []

    def walk(value):
        if isinstance(value, FallbackText):
            found.append(str(value))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(shown)
    return found


def declared_lang(node) -> str | None:
    """The language an element's text is declared in: its own or its nearest ancestor's."""
    for element in [node.parent, *node.parents]:
        if element is not None and getattr(element, "get", None) and element.get("lang"):
            return element.get("lang")
    return None


def item_page(client, url, lang):
    response = client.get(url, query_string={"lang": lang})
    assert response.status_code == 200
    return parse(response.data)


def test_an_english_page_with_parts_in_chinese_says_so_and_marks_each_part(app, client):
    made = make_page(app, english="partial")
    page = item_page(client, made["url"], "en")
    assert BANNER in page.text
    article = page.soup.select_one("article.item-detail")
    missing = fallback_texts(made["content"], "en")
    assert len(missing) > 15  # summary, notes, places, steps, FAQ, hearing…
    for text in missing:
        nodes = article.find_all(string=lambda s, text=text: s and text in s)
        assert nodes, text
        for node in nodes:
            assert declared_lang(node) == "zh-Hans", text
    # Translated parts are declared in the page's own language.
    assert declared_lang(article.find("h1").find(string=True)) == "en"
    fee_name = article.select_one("#fee-1 h3 span")
    assert fee_name.get("lang") is None and not HAN.search(fee_name.get_text())


def test_a_fully_translated_english_page_has_no_banner_and_no_chinese_parts(app, client):
    made = make_page(app, english="full")
    page = item_page(client, made["url"], "en")
    assert BANNER not in page.text
    article = page.soup.select_one("article.item-detail")
    assert not article.select(CHINESE_PARTS)
    assert "Weekdays 8:30-17:30" in page.text and "First publication" in page.text


def test_an_english_page_of_an_untranslated_item_says_so(app, client):
    made = make_page(app, english="none")
    page = item_page(client, made["url"], "en")
    assert BANNER in page.text
    assert page.soup.select_one("article.item-detail h1").get("lang") == "zh-Hans"


def test_an_untranslated_channel_hours_is_marked_as_chinese(app, client):
    def make():
        channel = make_channel(code=unique("channel"), hours="7×24小时")
        content = full_content() | {"channels": [channel.code]}
        content["translations"] = {"en": english_of(content)}
        item = make_revision(content=content).item
        return f"/u/{item.utility.slug}/{item.slug}"

    url = committed(app, make)
    page = item_page(client, url, "en")
    hours = page.soup.find(string=re.compile("7×24小时"))
    assert declared_lang(hours) == "zh-Hans"
    assert BANNER in page.text  # the utility's name and the channel's are not translated either


def test_a_traditional_page_marks_each_converted_part_and_not_the_hand_translated_one(app, client):
    made = make_page(app, english="none", traditional={"summary": "為住宅新裝水錶（手寫譯文）"})
    page = item_page(client, made["url"], "zh_Hant")
    article = page.soup.select_one("article.item-detail")
    summary = article.select_one("p.summary")
    assert summary.get_text() == "為住宅新裝水錶（手寫譯文）"
    assert not summary.has_attr("data-converted")
    assert article.find("h1").has_attr("data-converted")
    assert article.select_one("#fee-1 .muted").has_attr("data-converted")
    assert "本頁部分內容由簡體中文自動轉換。" in page.text
    # Everything is in Traditional: nothing falls back, so no banner and no zh-Hans part.
    assert "部分內容暫無" not in page.text
    assert not article.select(CHINESE_PARTS)
    assert "低保家庭減半收取" in page.text and "法定節假日休息" in page.text


@pytest.mark.parametrize("lang", ["zh_Hans", "zh_Hant"])
def test_chinese_pages_never_show_the_banner(app, client, lang):
    made = make_page(app, english="none")
    page = item_page(client, made["url"], lang)
    with app.app_context(), force_locale(lang):
        banner = gettext(BANNER)
    assert banner not in page.text


def test_the_english_notice_says_which_parts_are_in_chinese(app, client):
    partial = make_page(app, english="partial")
    full = make_page(app, english="full")
    response = client.get(partial["pdf"], query_string={"lang": "en", "paper": "A4"})
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert squeeze(BANNER) in text
    assert squeeze(partial["content"]["summary"]) in text
    full_text = pdf_text(client.get(full["pdf"], query_string={"lang": "en", "paper": "A4"}).data)
    assert squeeze(BANNER) not in full_text


def test_the_traditional_notice_says_parts_were_converted_and_says_no_more(app, client):
    made = make_page(app, english="none")
    response = client.get(made["pdf"], query_string={"lang": "zh_Hant", "paper": "A4"})
    text = pdf_text(response.data)
    assert squeeze("由簡體中文自動轉換") in text
    assert "部分內容暫無" not in text
    assert not set(text) & set("爲衆覈")


def test_the_board_declares_untranslated_names_as_chinese(app, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")  # a Monday, hall open

    def make():
        utility = make_utility(translations={"en": {"short_name": "Test Water"}})
        content = tariff_content()
        content["translations"] = {"en": {"name": "Residential water price"}}
        make_revision(make_item(utility, kind=ItemKind.TARIFF), content=content)
        return make_hall([utility]).slug

    slug = committed(app, make)
    page = parse(client.get(f"/board/{slug}", query_string={"lang": "en"}).data)
    assert page.soup.find(string="Residential water price") is not None
    # The slide says so, as the kiosk's pages do; a fully Chinese board has no such note.
    assert page.soup.select_one("section.slide-tariffs .slide-lang") is not None
    chinese = parse(client.get(f"/board/{slug}", query_string={"lang": "zh_Hans"}).data)
    assert chinese.soup.select_one(".slide-lang") is None
    fee = page.soup.find(string=tariff_content()["fees"][0]["name"])
    assert declared_lang(fee) == "zh-Hans"
    assert declared_lang(page.soup.find(string="Residential water price")) == "en"


def test_a_document_number_is_marked_as_chinese_in_english_and_converted_in_traditional(
    app, client, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")  # a Monday, hall open

    def make():
        utility = make_utility()
        number = f"澄发改价〔2026〕{unique('n')[-4:]}号"
        code = make_legal_basis(doc_number=number).code
        content = tariff_content()
        content["fees"][0]["basis"] = [{"code": code}]
        item = make_revision(make_item(utility, kind=ItemKind.TARIFF), content=content).item
        return f"/u/{utility.slug}/{item.slug}", make_hall([utility]).slug, number

    url, hall, fee_document = committed(app, make)
    # The fee's own document on its page; the price notice's document on the board.
    shown = {url: fee_document, f"/board/{hall}": "澄价〔2024〕1号"}
    with app.app_context():
        from services.content.localize import to_traditional

        converted = {address: to_traditional(number) for address, number in shown.items()}
    for address, number in shown.items():
        english = item_page(client, address, "en").soup.select("span.doc-number")
        marked = [span for span in english if span.get_text() == number]
        assert marked and all(span.get("lang") == "zh-Hans" for span in marked), address
        traditional = item_page(client, address, "zh_Hant").soup.select("span.doc-number")
        assert converted[address] != number
        assert converted[address] in [span.get_text() for span in traditional], address
        assert number not in [span.get_text() for span in traditional], address
