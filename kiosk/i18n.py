"""Which language a request is served in: ?lang, then the cookie, then the browser's, by script."""

from flask import current_app, request

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
