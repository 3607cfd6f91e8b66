"""What an app needs to run behind a proxy in production: trusted forwarded headers and
a refusal to start with the development secret key."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from kiosk.config import DEVELOPMENT_SECRET_KEY

# Shorter keys can be guessed offline from one signed session cookie.
MIN_SECRET_KEY_LENGTH = 32


class UnsafeConfiguration(RuntimeError):
    """The app was asked to serve production traffic with settings that would expose it."""


def check_production_settings(app: Flask) -> None:
    """Refuse to start in production with the development or a short secret key."""
    if app.config["ENVIRONMENT"] != "production":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise UnsafeConfiguration(
            "GONGSHI_ENV=production needs GONGSHI_SECRET_KEY set to a random value of at "
            f"least {MIN_SECRET_KEY_LENGTH} characters, e.g. the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )


def trust_proxies(app: Flask) -> None:
    """Honour X-Forwarded-For/-Proto/-Host/-Port/-Prefix from the configured proxies only.

    Wraps the outermost WSGI layer, so the page cache and every hook see the address,
    scheme and host the resident used. With no trusted proxy (the default) the headers
    are ignored: anyone could send them.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
