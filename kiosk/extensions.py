"""Flask extensions, created unbound and bound in create_app."""

from flask_babel import Babel

from services.db import db

babel = Babel()

__all__ = ["babel", "db"]
