"""The Gongshi web application: kiosk pages, wall boards, notices, editor and API."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from kiosk import (
    caching,
    converters,
    deployment,
    errors,
    filters,
    migrations,
    security,
    static_assets,
    template_globals,
)
from kiosk.config import Config
from kiosk.extensions import babel, db, limiter
from kiosk.i18n import LANG_COOKIE, select_locale
from kiosk.staff import login_manager
from services import clock
from services.catalogue import version as catalogue_version
from services.content import localize
from services.content.localize import bcp47
from services.health import harfbuzz_subset_available
from services.publishing import audit

ROOT = Path(__file__).resolve().parent.parent
# Where a city keeps its list of names that conversion to Traditional must not change.
TRADITIONAL_NAMES_FILE = "traditional-names.txt"
log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides settings (tests, benchmarks)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    deployment.check_production_settings(app)
    configure_traditional_chinese(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    audit.use_key(app.config["AUDIT_KEY"] or app.config["SECRET_KEY"])

    db.init_app(app)
    catalogue_version.install()  # every write residents see moves the catalogue version
    migrations.init_app(app)  # Alembic only when migrating
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)  # one sign-in for the editor's and the admin's screens
    filters.init_app(app)
    template_globals.init_app(app)
    security.init_app(app)  # the first after-request hook, so it runs last
    caching.init_app(app)
    static_assets.init_app(app)
    errors.init_app(app)
    converters.init_app(app)  # before the blueprints' routes are made
    CSRFProtect(app)  # every POST carries the form's token
    limiter.init_app(app)  # sign-in guessing, bursts of ratings and comments

    register_blueprints(app)
    register_commands(app)
    if not harfbuzz_subset_available():
        log.warning("libharfbuzz-subset0 is missing: each printed notice will take seconds")
    register_response_hooks(app)
    deployment.trust_proxies(app)  # outermost, so the page cache sees the real host
    return app


def configure_traditional_chinese(app: Flask) -> None:
    """The Traditional standard, and the city's names list: the file TRADITIONAL_NAMES
    names (it must exist), else instance/traditional-names.txt when there is one."""
    names_file = app.config["TRADITIONAL_NAMES"]
    if names_file is None:
        default = Path(app.instance_path) / TRADITIONAL_NAMES_FILE
        names_file = default if default.is_file() else ""
    names = localize.read_names(names_file) if names_file else ()
    localize.configure_traditional(app.config["TRADITIONAL_STANDARD"], names)


def register_blueprints(app: Flask) -> None:
    from kiosk.admin import admin_bp
    from kiosk.api import api_bp
    from kiosk.board import board_bp
    from kiosk.devices import devices_bp
    from kiosk.editor import editor_bp
    from kiosk.hearings import hearings_bp
    from kiosk.notices import notices_bp
    from kiosk.outages import outages_bp
    from kiosk.public import public_bp
    from kiosk.requests import requests_bp

    for blueprint in (
        public_bp,
        api_bp,
        notices_bp,
        editor_bp,
        admin_bp,
        board_bp,
        devices_bp,
        outages_bp,
        hearings_bp,
        requests_bp,
    ):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from kiosk import background, cli
    from kiosk.admin import cli as admin_cli
    from kiosk.editor import cli as editor_cli
    from kiosk.hearings import cli as hearings_cli
    from kiosk.notices import cli as notices_cli
    from kiosk.public import cli as public_cli
    from kiosk.requests import cli as requests_cli

    for command in (
        *cli.COMMANDS,
        *editor_cli.COMMANDS,
        *notices_cli.COMMANDS,
        *background.COMMANDS,
        *hearings_cli.COMMANDS,
        *public_cli.COMMANDS,
        *requests_cli.COMMANDS,
        *admin_cli.COMMANDS,
    ):
        app.cli.add_command(command)


def register_response_hooks(app: Flask) -> None:
    @app.context_processor
    def inject_locale() -> dict[str, Any]:
        locale = select_locale()
        return {"locale": locale, "html_lang": bcp47(locale), "today": clock.today()}

    @app.after_request
    def remember_language(response):
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != chosen:
            response.set_cookie(
                LANG_COOKIE, chosen, max_age=365 * 86400, samesite="Lax", httponly=True
            )
        response.vary.add("HX-Request")
        return response
