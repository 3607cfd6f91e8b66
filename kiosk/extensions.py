"""Flask extensions, created unbound and bound in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.db import db

babel = Babel()
# Limits only the routes that ask for it (signing in), per client address; the storage is
# RATELIMIT_STORAGE_URI, so several app servers can share one count.
limiter = Limiter(get_remote_address)

__all__ = ["babel", "db", "limiter"]
