"""What tells one cached page from another, and which hooks an answer from the cache may skip.

A page is kept per address (scheme, host, path and the query parameters its view reads), htmx
variant, language and display settings (kiosk.caching). Query parameters that no view reads
share the page's entry, and a Host the site is not known by gets its page built but not kept,
so that neither a random query string nor a random Host pushes useful pages out of the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from urllib.parse import urlencode, urlsplit

from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.sansio.utils import host_is_trusted

# Every page reads the language from the query string (kiosk.i18n.select_locale).
ALWAYS_READ = frozenset({"lang"})
# Names a site answering on the loopback is known by, besides its configured ones.
LOOPBACK = ("localhost", "127.0.0.1", "[::1]", "::1")

# Hooks Flask runs around a request that an answer sent before Flask (kiosk.caching.
# PageShortcut) may skip, each with why. Any other hook that applies to a page turns the
# early answer off for it: Flask then runs the hook and answers from the page cache.
SKIPPABLE_HOOKS = {
    "flask_wtf.csrf.CSRFProtect.init_app.<locals>.csrf_protect": (
        "checks writes only, and only GET and HEAD are answered early"
    ),
    "kiosk.api.unknown_api_address": "answers an address no route matches; a kept page matched one",
    "kiosk.security.init_app.<locals>.refuse_nul_in_address": (
        "decides from the address alone, and an address is answered early only after Flask "
        "answered it"
    ),
    "flask_login.login_manager.LoginManager._update_remember_cookie": (
        "decides from the session cookie alone, and an answer is reused only for the same "
        "cookies and never when it set one"
    ),
    "kiosk.security.init_app.<locals>.secure_headers": (
        "adds headers that depend on the scheme (part of the key) and the settings; they are "
        "kept with the answer"
    ),
    "kiosk.register_response_hooks.<locals>.remember_language": (
        "sets a cookie from ?lang= and the cookies, which an early answer matches exactly; an "
        "answer that set one is never reused"
    ),
    "kiosk.api.views.revalidation_and_sharing": "adds headers, kept with the answer",
    # Flask-Limiter's three hooks do nothing for a route without limits of its own while no
    # default or application-wide limit is set (may_answer_early checks that); the limited
    # routes (ratings, comments, sign-in) are writes, never answered early.
    "flask_limiter._extension.Limiter._check_request_limit": "limits are per route, on writes",
    "flask_limiter._extension.Limiter.__inject_headers": "rate headers of limited routes only",
    "flask_limiter._extension.Limiter.__release_context": "clears what the check above set",
}
HOOK_LISTS = (
    "url_value_preprocessors",
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
)

_early: dict[tuple[int, tuple[str, ...]], bool] = {}


def hook_name(hook: Callable) -> str:
    """module.qualified.name of a hook, as SKIPPABLE_HOOKS names it."""
    hook = getattr(hook, "func", hook)  # functools.partial
    return f"{hook.__module__}.{hook.__qualname__}"


def _limits_everything(app: Flask) -> bool:
    config = app.config
    return bool(config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_APPLICATION"))


def hooks_for(app: Flask, blueprints: Iterable[str]) -> list[Callable]:
    """The request hooks Flask runs for a request to these blueprints (and the app's own)."""
    scopes = (None, *blueprints)
    return [
        hook
        for lists in HOOK_LISTS
        for scope in scopes
        for hook in getattr(app, lists).get(scope, ())
    ]


def may_answer_early(app: Flask, blueprints: tuple[str, ...]) -> bool:
    """True when every hook Flask would run for this blueprint may be skipped."""
    key = (id(app), blueprints)
    allowed = _early.get(key)
    if allowed is None:  # Flask refuses new hooks once it has served a request
        hooks = hooks_for(app, blueprints)
        allowed = _early[key] = not _limits_everything(app) and all(
            hook_name(hook) in SKIPPABLE_HOOKS for hook in hooks
        )
    return allowed


def read_args(
    args: MultiDict, reads: Collection[str], languages: Collection[str]
) -> list[tuple[str, str]]:
    """The query parameters a view reads, by name (each name's values in their order); a
    ?lang= that names no language is read as none, unless the view reads it itself."""
    names = sorted(name for name in args if name in reads or name in ALWAYS_READ)
    return [
        (name, value)
        for name in names
        for value in args.getlist(name)
        if name in reads or value in languages
    ]


def query_string(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs)


def htmx_variant(environ: dict) -> str:
    """What kiosk.htmx.render_view answers: a page, a swap of #main, or a panel."""
    if environ.get("HTTP_HX_REQUEST") != "true" or environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST"):
        return "page"
    return "main" if environ.get("HTTP_HX_TARGET") in (None, "main") else "panel"


def _hostname(host: str) -> str:
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def keeps_host(config, host: str, server_port: str) -> bool:
    """True for a Host the site is known by: TRUSTED_HOSTS when set (Flask refuses any other),
    else the names in SERVER_NAME and PUBLIC_BASE_URL and the loopback; with no port, or the
    port the server listens on."""
    port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ""
    if port and port != server_port:
        return False
    trusted = config.get("TRUSTED_HOSTS")
    if trusted:
        return host_is_trusted(host, trusted)
    known = {*LOOPBACK, urlsplit(config.get("PUBLIC_BASE_URL") or "").hostname}
    if config.get("SERVER_NAME"):
        known.add(_hostname(config["SERVER_NAME"]).lower())
    return _hostname(host).lower() in known
