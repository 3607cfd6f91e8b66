"""Flask extensions, created unbound and bound in create_app."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter

from services.db import db

babel = Babel()


def remote_address() -> str:
    """The address a request came from (the proxy's X-Forwarded-For is trusted by the WSGI
    set-up, not here)."""
    return request.remote_addr or "unknown"


# Limits are set per route; the storage is in memory unless RATELIMIT_STORAGE_URI names a
# shared one (redis://…), which several app servers need so that they count together.
limiter = Limiter(key_func=remote_address)

__all__ = ["babel", "db", "limiter"]
