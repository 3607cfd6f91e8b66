"""Flask extensions, created unbound and bound in create_app."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter

from services.db import db

babel = Babel()


def remote_address() -> str:
    """The address a request came from (X-Forwarded-For is believed by kiosk.deployment,
    from the configured proxies only, not here)."""
    return request.remote_addr or "unknown"


# Limits only the routes that ask for one (signing in, ratings, comments); the storage is
# RATELIMIT_STORAGE_URI: memory:// counts per process, so several app servers need a
# shared one (redis://…) to count together.
limiter = Limiter(key_func=remote_address)

__all__ = ["babel", "db", "limiter"]
