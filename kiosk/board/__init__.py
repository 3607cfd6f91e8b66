"""The wall board of a hall: full-screen rotating slides that refresh themselves."""

from flask import Blueprint

board_bp = Blueprint("board", __name__)

from kiosk.board import views  # noqa: E402,F401  (routes attach to the blueprint)
