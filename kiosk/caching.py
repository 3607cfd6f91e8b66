"""Cached, conditional kiosk pages.

Published revisions never change, so a rendered page stays right until the catalogue changes,
the day turns or the next moment its content can change by the clock alone (a due date moves
at the daily cut-off, or as its hours pass a midnight; a board's minute; an outage starts or
ends: changes_at). Each page is kept per (address with the query parameters its view reads,
locale, text-size and contrast cookies, htmx variant: kiosk.page_keys) and reused while none
of these has happened; its ETag is made from the revision ids the page shows, the locale,
those cookies, the next day a shown item changes, and the body. A kiosk that revalidates with
If-None-Match gets a 304 without the page being rendered again.

The catalogue's "generation" is the catalogue version (services.catalogue.version: one row,
written in the same transaction as every change residents can see), read again at most every
PAGE_CACHE_RECHECK_SECONDS, and moves at once for this process's own changes.

A page answered from the cache is also remembered as it went out on the wire (status and
final headers, after every hook), so that the next identical request is answered before Flask
runs at all, where every hook Flask would run for it is known to be skippable: see
PageShortcut and kiosk.page_keys.SKIPPABLE_HOOKS.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import partial, wraps
from typing import Any

from flask import (
    Config,
    Flask,
    Response,
    current_app,
    make_response,
    request,
    template_rendered,
)
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.datastructures import Headers, ImmutableMultiDict
from werkzeug.http import parse_etags

from kiosk import page_keys
from kiosk.display import Display
from kiosk.i18n import select_locale
from services import clock
from services.calendar.due_dates import DueLine, due_lines, due_lines_change_at
from services.catalogue import version
from services.catalogue.queries import scheduled_dates
from services.catalogue.reference import Reference, load_reference
from services.db import db
from services.models import Item, Revision

SKIPPED_CONTEXT = {"config", "request", "session", "g"}
# What a request is matched on before Flask: its raw address, htmx headers, cookies and
# languages, exactly as sent (Flask then works out the page's key: kiosk.page_keys).
RAW_KEYS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
    "HTTP_COOKIE",
    "HTTP_ACCEPT_LANGUAGE",
)
REVALIDATION_HEADERS = {"ETag", "Cache-Control", "Vary"}
ENTRY_ENVIRON = "gongshi.page_entry"
SHORTCUT_MAX_KEYS = 4096


class Generation:
    """A value that differs whenever the published catalogue may have changed: the catalogue
    version (services.catalogue.version), read at most every PAGE_CACHE_RECHECK_SECONDS, and
    this process's own changes, at once (the version is then read again at once too, so that
    a page is not built once for the change and again when the version is next read)."""

    def __init__(self) -> None:
        self.local = 0
        self.stamp: tuple | None = None
        self.checked_at = float("-inf")

    def _due(self, now: float, recheck_seconds: float) -> bool:
        return now - self.checked_at >= recheck_seconds or version.local_moves() != self.local

    def current(self, recheck_seconds: float) -> tuple:
        now = time.monotonic()
        if self._due(now, recheck_seconds):
            local = version.local_moves()
            self.stamp = version.read_version()
            self.local, self.checked_at = local, now
        return (self.local, self.stamp)

    def fresh(self, recheck_seconds: float) -> tuple | None:
        """The generation, or None when it is due to be read again (which needs the app)."""
        if self._due(time.monotonic(), recheck_seconds):
            return None
        return (self.local, self.stamp)


GENERATION = Generation()


def has_uncommitted_changes() -> bool:
    """True when this request's session changes what residents see and has not committed."""
    if not db.session.registry.has():
        return False
    return version.has_uncommitted_changes(db.session())


class Remembered:
    """Values read from the catalogue, kept while its generation and the day stand."""

    def __init__(self) -> None:
        self.stamp: tuple | None = None
        self.values: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any], recheck_seconds: float) -> Any:
        stamp = (GENERATION.current(recheck_seconds), clock.today())
        with self.lock:
            if stamp != self.stamp:
                self.stamp, self.values = stamp, {}
            values = self.values
            if key in values:
                return values[key]
        value = compute()
        with self.lock:
            values[key] = value  # into the dict of `stamp`, dropped with it if that moved
        return value


REMEMBERED = Remembered()


def remembered(key: Any, compute: Callable[[], Any]) -> Any:
    """compute(), worked out once per catalogue generation and day (afresh for a request
    that is itself changing the catalogue, whose reads others must not see)."""
    if has_uncommitted_changes():
        return compute()
    return REMEMBERED.get(key, compute, current_app.config["PAGE_CACHE_RECHECK_SECONDS"])


class Fragments:
    """Rendered markup kept while the catalogue's generation and the day stand, least
    recently used dropped first once past `max_chars` characters."""

    def __init__(self) -> None:
        self.stamp: tuple | None = None
        self.entries: OrderedDict[tuple, Markup] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple, stamp: tuple) -> Markup | None:
        with self.lock:
            if stamp != self.stamp:
                self.stamp, self.entries, self.size = stamp, OrderedDict(), 0
            markup = self.entries.get(key)
            if markup is not None:
                self.entries.move_to_end(key)
            return markup

    def put(self, key: tuple, markup: Markup, stamp: tuple, max_chars: int) -> None:
        with self.lock:
            if stamp != self.stamp or key in self.entries:
                return
            self.entries[key] = markup
            self.size += len(markup)
            while self.size > max_chars and self.entries:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped)


FRAGMENTS = Fragments()


def kept(*key: Any, caller: Callable[[], Markup], shared: bool = False) -> Markup:
    """`{% call kept(...) %}markup{% endcall %}`: the markup, rendered once per catalogue
    generation and day for each key, language, display setting and page address (links and
    bill estimators in it depend on the address; `shared` markup depends on no address).
    Nothing that changes within a day may be inside it (a due date moves with the hour)."""
    if has_uncommitted_changes():
        return caller()
    config = current_app.config
    stamp = (GENERATION.current(config["PAGE_CACHE_RECHECK_SECONDS"]), clock.today())
    display = Display.from_cookies(request.cookies)
    address = request.script_root
    if not shared:
        address = (address, request.endpoint, tuple(sorted(request.view_args.items())))
    full = (key, str(get_locale()), display.text_size, display.contrast, address)
    markup = FRAGMENTS.get(full, stamp)
    if markup is None:
        markup = caller()
        FRAGMENTS.put(full, markup, stamp, config["FRAGMENT_CACHE_MAX_CHARS"])
    return markup


def reference() -> Reference:
    """Legal bases and channels (services.catalogue.reference), kept."""
    return remembered("reference", load_reference)


def due_dates(content: dict[str, Any], now: datetime) -> list[DueLine]:
    """due_dates.due_lines, kept until the moment they may change (the daily cut-off,
    midnight, or the next minute for a limit in hours or minutes, whose due moment shows
    its time of day), which the page being rendered is then kept until too."""
    changes_at = due_lines_change_at(content, now)
    if changes_at is None:
        return due_lines(content, now)
    shown = _shown.get()
    if shown is not None:
        shown.expires(changes_at)
    if changes_at <= now + timedelta(minutes=1):
        # A moment shown to the minute is worked out afresh: kept answers, one a minute,
        # would pile up all day.
        return due_lines(content, now)
    limits = json.dumps(content.get("time_limits"), sort_keys=True, ensure_ascii=False)
    return remembered(("due", limits, changes_at), lambda: due_lines(content, now))


def next_boundary(item_ids: Iterable[int], today: date) -> date | None:
    """The first day after `today` on which one of these items has a new version take effect."""
    scheduled = remembered(("scheduled", today), lambda: scheduled_dates(today))
    return min((scheduled[i] for i in item_ids if i in scheduled), default=None)


@dataclasses.dataclass
class Shown:
    """The revisions and items a page's templates were given."""

    revision_ids: set[int] = dataclasses.field(default_factory=set)
    item_ids: set[int] = dataclasses.field(default_factory=set)
    # The first moment something shown changes with the clock alone (a due date, an outage
    # that starts or ends): named through due_date() and changes_at().
    until: datetime | None = None

    def expires(self, moment: datetime) -> None:
        if self.until is None or moment < self.until:
            self.until = moment

    def walk(self, value: Any, depth: int = 5) -> None:
        if isinstance(value, Revision):
            self.revision_ids.add(value.id)
            self.item_ids.add(value.item_id)
        elif isinstance(value, Item):
            self.item_ids.add(value.id)
        elif depth == 0 or isinstance(value, str | Config):
            return
        elif isinstance(value, dict):
            for item in value.values():
                self.walk(item, depth - 1)
        elif isinstance(value, list | tuple | set):
            for item in value:
                self.walk(item, depth - 1)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                self.walk(getattr(value, field.name), depth - 1)


_shown: ContextVar[Shown | None] = ContextVar("gongshi_shown", default=None)


def changes_at(moment: datetime | None) -> None:
    """Tell the page cache that the page being rendered changes at `moment` (aware), such
    as when an outage it lists starts or ends; its cached copy is not served past it."""
    shown = _shown.get()
    if shown is not None and moment is not None:
        shown.expires(moment)


def _record_shown(_app, template, context, **_extra) -> None:
    shown = _shown.get()
    if shown is not None:
        shown.walk({k: v for k, v in context.items() if k not in SKIPPED_CONTEXT})


@dataclasses.dataclass
class Entry:
    body: bytes
    headers: Headers
    etag: str
    generation: tuple
    day: date
    # While the answer stands besides the catalogue and the day: [since, until) (a board's
    # minute; a clock set back, as in a test, must not find a later minute's answer).
    since: datetime | None = None
    until: datetime | None = None
    # Headers worked out afresh for every answer, such as the server's clock.
    live: Callable[[], dict[str, str]] | None = None
    # Status code → (status line, headers) exactly as last sent for this entry.
    sent: dict[int, tuple[str, list]] = dataclasses.field(default_factory=dict)

    def is_current(self, generation: tuple | None, now: datetime) -> bool:
        return (
            self.generation == generation
            and self.day == now.date()
            and (self.until is None or self.since <= now < self.until)
        )

    def response(self) -> Response:
        """The page, or 304 Not Modified when the request already holds this ETag."""
        if request.if_none_match.contains_weak(self.etag):
            kept = [(k, v) for k, v in self.headers.items() if k in REVALIDATION_HEADERS]
            response = Response(status=304, headers=kept)
        else:
            response = Response(self.body, 200, self.headers.copy())
        if self.live:
            response.headers.update(self.live())
        return response

    def live_headers(self, headers: list) -> list:
        """`headers` as sent before, with the live ones worked out again."""
        if not self.live:
            return headers
        fresh = self.live()
        return [(k, v) for k, v in headers if k not in fresh] + list(fresh.items())


class PageStore:
    """Rendered pages, least recently used dropped first once past `max_bytes`."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry, max_bytes: int) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            self.size += len(entry.body) - (len(old.body) if old else 0)
            self.entries[key] = entry
            while self.size > max_bytes and self.entries:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body)


PAGES = PageStore()


def page_etag(locale: str, preferences: tuple, shown: Shown, boundary: date | None, body: bytes):
    """Readable where it can be (locale, next boundary), a digest of everything else."""
    digest = hashlib.sha256(repr((sorted(shown.revision_ids), preferences)).encode())
    digest.update(body)
    until = boundary.strftime("%Y%m%d") if boundary else "open"
    return f"{locale}-{until}-{digest.hexdigest()[:20]}"


def tagged(response: Response, etag: str) -> Response:
    """The response with its ETag and the revalidation rules for kiosks and boards."""
    response.set_etag(etag)
    # Screens may keep the page but must ask each time; the answer is usually a 304.
    response.cache_control.no_cache = True
    response.vary.update(("Cookie", "Accept-Language", "HX-Request"))
    return response


def render_entry(view: Callable, kwargs: dict, variant: tuple, generation: tuple, now: datetime):
    """Run the view; return its response and, when it may be kept, the cache entry.

    `variant` is (locale, preference cookies): what the ETag names besides the content. A
    view that tags its answer itself (a board's poll: the version its page holds) keeps its
    ETag.
    """
    shown = Shown()
    token = _shown.set(shown)
    try:
        response = make_response(view(**kwargs))
    finally:
        _shown.reset(token)
    if response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers:
        return response, None
    body = response.get_data()
    etag = response.get_etag()[0]
    if etag is None:
        boundary = next_boundary(shown.item_ids, now.date())
        etag = page_etag(*variant, shown, boundary, body)
    headers = tagged(response, etag).headers.copy()
    headers.remove("Content-Length")
    entry = Entry(body, headers, etag, generation, now.date())
    if shown.until is not None:
        entry.since, entry.until = now, shown.until
    return response, entry


class UndeclaredQueryParameter(LookupError):
    """A cached view read a query parameter its `reads` does not name: the parameter was
    dropped before the view ran, so the view would silently ignore it."""


class DeclaredArgs(ImmutableMultiDict):
    """request.args of a cached view under test: reading an undeclared name raises."""

    def __init__(self, pairs, allowed: frozenset[str]):
        super().__init__(pairs)
        self.allowed = allowed

    def _check(self, key: str) -> None:
        if key not in self.allowed:
            raise UndeclaredQueryParameter(f"?{key}= is read but not in cached_page(reads=…)")

    def __getitem__(self, key):
        self._check(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - Werkzeug's signature
        self._check(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002 - Werkzeug's signature
        self._check(key)
        return super().getlist(key, type)

    def __contains__(self, key) -> bool:
        self._check(key)
        return super().__contains__(key)


def page_args(reads: frozenset[str]) -> tuple[list[tuple[str, str]], bool]:
    """The query parameters of this request that make its page; True when the request had
    others, which are then dropped from it so that the page is the same without them.

    Under test a view that reads a parameter its `reads` does not name fails loudly,
    instead of quietly never seeing it."""
    pairs = page_keys.read_args(request.args, reads, current_app.config["LANGUAGES"])
    if current_app.testing:
        original = request.args
        request.args = DeclaredArgs(pairs, reads | page_keys.ALWAYS_READ)
        dropped = len(pairs) != sum(len(values) for values in original.listvalues())
        if dropped:
            query = page_keys.query_string(pairs)
            request.query_string = query.encode("ascii")
            request.environ["QUERY_STRING"] = query
        return pairs, dropped
    if len(pairs) == sum(len(values) for values in request.args.listvalues()):
        return pairs, False
    query = page_keys.query_string(pairs)
    request.args = ImmutableMultiDict(pairs)
    request.query_string = query.encode("ascii")
    request.environ["QUERY_STRING"] = query
    return pairs, True


def cached_page(
    view: Callable | None = None,
    *,
    reads: Collection[str] = (),
    until: Callable[[datetime], datetime] | None = None,
    live: Callable[[], dict[str, str]] | None = None,
) -> Callable:
    """Serve a public page from the cache while the catalogue and the day are unchanged.

    `reads` names the query parameters the view reads besides ?lang=: only they make another
    page, and any other is dropped before the view runs. `until(now)`, when given, is when
    the page may change besides (a board's next minute); `live()` gives headers worked out
    afresh for every answer, cached or not.
    """
    if view is None:
        return partial(cached_page, reads=reads, until=until, live=live)
    read_names = frozenset(reads)

    @wraps(view)
    def cached(**kwargs: Any):
        config = current_app.config
        environ = request.environ
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return view(**kwargs)
        args, dropped = page_args(read_names)
        host = environ.get("HTTP_HOST", "")
        if not page_keys.keeps_host(config, host, environ.get("SERVER_PORT", "")):
            return view(**kwargs)  # built for this Host, never kept
        locale = select_locale()
        # Read as the page reads them, so a junk cookie value shares the normal page.
        display = Display.from_cookies(request.cookies)
        preferences = (display.text_size, display.contrast)
        address = (environ["wsgi.url_scheme"], host.lower(), request.script_root, request.path)
        key = (address, tuple(args), page_keys.htmx_variant(environ), locale, preferences)
        now = clock.now()
        generation = GENERATION.current(config["PAGE_CACHE_RECHECK_SECONDS"])
        entry = PAGES.get(key)
        if entry is None or not entry.is_current(generation, now):
            variant = (locale, preferences)
            response, entry = render_entry(view, kwargs, variant, generation, now)
            if entry is None:
                return response
            if until:
                ends = until(now)
                entry.since, entry.until = now, min(ends, entry.until or ends)
            entry.live = live
            PAGES.put(key, entry, config["PAGE_CACHE_MAX_BYTES"])
        app = current_app._get_current_object()  # one app: its hooks are looked up once
        if not dropped and page_keys.may_answer_early(app, tuple(request.blueprints)):
            environ[ENTRY_ENVIRON] = (key, entry)
        return entry.response()

    return cached


class PageShortcut:
    """WSGI middleware: answer a repeated request for a cached page without entering Flask.

    A request is remembered once Flask has answered it from a cache entry without setting a
    cookie, when every hook Flask runs for it may be skipped (kiosk.page_keys.SKIPPABLE_HOOKS)
    and it carries no query parameter its view does not read; it is answered here while that
    entry is still the one kept for its page and the catalogue generation (read within
    PAGE_CACHE_RECHECK_SECONDS), the day and the entry's own lifetime stand. Anything else
    goes to Flask, which runs its hooks, rechecks, renders and remembers again.
    """

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.config = app.config
        # Raw request → page cache key, least recently used dropped first.
        self.keys: OrderedDict[tuple, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable):
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        raw = tuple(environ.get(name, "") for name in RAW_KEYS)
        answer = self.cached_answer(raw, environ)
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [b""] if method == "HEAD" else [body]
        return self.remembering(raw, environ, start_response)

    def cached_answer(self, raw: tuple, environ: dict) -> tuple[str, list, bytes] | None:
        key = self.keys.get(raw)
        entry = PAGES.get(key) if key is not None else None
        if entry is None:
            return None
        generation = GENERATION.fresh(self.config["PAGE_CACHE_RECHECK_SECONDS"])
        if not entry.is_current(generation, clock.now()):
            return None
        matched = parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(entry.etag)
        sent = entry.sent.get(304 if matched else 200)
        if sent is None:
            return None
        with self.lock:  # a page answered early is in use: the last to be dropped
            if raw in self.keys:
                self.keys.move_to_end(raw)
        return sent[0], entry.live_headers(sent[1]), b"" if matched else entry.body

    def remember(self, raw: tuple, key: tuple) -> None:
        with self.lock:
            self.keys[raw] = key
            self.keys.move_to_end(raw)
            while len(self.keys) > SHORTCUT_MAX_KEYS:
                self.keys.popitem(last=False)

    def remembering(self, raw: tuple, environ: dict, start_response: Callable):
        def start(status: str, headers: list, exc_info=None):
            served = environ.get(ENTRY_ENVIRON)
            code = int(status.split(" ", 1)[0])
            if (
                served is not None
                and exc_info is None
                and code in (200, 304)
                and not any(name.lower() == "set-cookie" for name, _value in headers)
            ):
                key, entry = served
                entry.sent[code] = (status, list(headers))
                self.remember(raw, key)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    # Per worker: about a thousand item pages. It is part of each worker's memory (target
    # 150 MB at 10,000 items, bench/README.md), next to the search index and OpenCC.
    app.config.setdefault("PAGE_CACHE_MAX_BYTES", 16 * 1024 * 1024)
    app.config.setdefault("PAGE_CACHE_RECHECK_SECONDS", 1.0)
    # Per worker: the bodies of some hundreds of item pages, without their due dates; about
    # 4 MB, as Python holds Chinese text in two bytes a character.
    app.config.setdefault("FRAGMENT_CACHE_MAX_CHARS", 2 * 1024 * 1024)
    app.add_template_global(kept)
    template_rendered.connect(_record_shown, app)
    app.wsgi_app = PageShortcut(app.wsgi_app, app)
