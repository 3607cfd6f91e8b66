"""The Gongshi web application: kiosk pages, wall boards, notices, editor and API."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from kiosk import caching, errors, filters, migrations, security, static_assets, template_globals
from kiosk.config import Config
from kiosk.extensions import babel, db, limiter
from kiosk.i18n import LANG_COOKIE, select_locale
from kiosk.staff import login_manager
from services import clock
from services.content.localize import bcp47
from services.health import harfbuzz_subset_available
from services.publishing import audit

ROOT = Path(__file__).resolve().parent.parent
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
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    audit.use_key(app.config["AUDIT_KEY"] or app.config["SECRET_KEY"])

    db.init_app(app)
    migrations.init_app(app)  # Alembic only when migrating
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)  # one sign-in for the editor's and the admin's screens
    limiter.init_app(app)
    filters.init_app(app)
    template_globals.init_app(app)
    security.init_app(app)  # the first after-request hook, so it runs last
    caching.init_app(app)
    static_assets.init_app(app)
    errors.init_app(app)
    CSRFProtect(app)  # every POST carries the form's token

    register_blueprints(app)
    register_commands(app)
    if not harfbuzz_subset_available():
        log.warning("libharfbuzz-subset0 is missing: each printed notice will take seconds")
    register_response_hooks(app)
    return app


def register_blueprints(app: Flask) -> None:
    from kiosk.admin import admin_bp
    from kiosk.api import api_bp
    from kiosk.board import board_bp
    from kiosk.devices import devices_bp
    from kiosk.editor import editor_bp
    from kiosk.notices import notices_bp
    from kiosk.public import public_bp

    for blueprint in (public_bp, api_bp, notices_bp, editor_bp, admin_bp, board_bp, devices_bp):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from kiosk import cli
    from kiosk.editor import cli as editor_cli
    from kiosk.notices import cli as notices_cli

    for command in (*cli.COMMANDS, *editor_cli.COMMANDS, *notices_cli.COMMANDS):
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
