"""Which language a request is served in (?lang, then the cookie, then the browser's, by
script), and its translations looked up cheaply."""

from __future__ import annotations

from typing import Any

import flask_babel
from babel import Locale
from babel.support import NullTranslations, Translations
from flask import current_app, g, request
from jinja2 import Environment

LANG_COOKIE = "lang"

# Flask-Babel and Werkzeug match on language only and lose the script; match by script here.
TRADITIONAL_REGIONS = {"tw", "hk", "mo"}


def locale_from_tag(tag: str) -> str | None:
    """Map one Accept-Language tag (zh-TW, zh-Hans-CN, en-GB...) to a supported locale."""
    parts = tag.replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        rest = set(parts[1:])
        if "hant" in rest or (rest & TRADITIONAL_REGIONS and "hans" not in rest):
            return "zh_Hant"
        return "zh_Hans"
    if parts[0] == "en":
        return "en"
    return None


def select_locale() -> str:
    """The locale of the current request."""
    supported = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in supported:
            return candidate
    for tag, _quality in request.accept_languages:
        locale = locale_from_tag(tag)
        if locale:
            return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# Flask-Babel looks the request's locale and translations up anew on every call, about ten
# context lookups each time; a page makes a few hundred such calls. The locale it selected
# (or the one force_locale set) is read here with one lookup, and each locale's
# translations are kept for the process, as Flask-Babel keeps them.
_translations_by_locale: dict[Locale, Translations | NullTranslations] = {}


def _selected_locale() -> Locale | None:
    try:
        state = g.get("_flask_babel")
    except RuntimeError:  # outside an app context: Flask-Babel answers that case
        return None
    return getattr(state, "babel_locale", None)


def active_locale() -> Locale | None:
    """flask_babel.get_locale(), with one context lookup once the locale is known."""
    return _selected_locale() or flask_babel.get_locale()


def active_translations() -> Translations | NullTranslations:
    """flask_babel.get_translations(), with one context lookup once the locale is known."""
    locale = _selected_locale()
    if locale is None:
        return flask_babel.get_translations()
    found = _translations_by_locale.get(locale)
    if found is None:
        found = _translations_by_locale[locale] = flask_babel.get_translations()
    return found


def gettext(string: str, **variables: Any) -> str:
    """flask_babel.gettext, faster."""
    text = active_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """flask_babel.ngettext, faster."""
    variables.setdefault("num", num)
    return active_translations().ungettext(singular, plural, num) % variables


def install_gettext(environment: Environment) -> None:
    """Templates' _(), ngettext() and pgettext() through active_translations()."""
    environment.install_gettext_callables(
        gettext=lambda s: active_translations().ugettext(s),
        ngettext=lambda s, p, n: active_translations().ungettext(s, p, n),
        pgettext=lambda c, s: active_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: active_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
