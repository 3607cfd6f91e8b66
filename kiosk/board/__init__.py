"""The wall board of a hall: full-screen rotating slides that refresh themselves."""

from flask import Blueprint

board_bp = Blueprint("board", __name__)

from kiosk.board import views  # noqa: E402  (routes attach to the blueprint)


@board_bp.context_processor
def board_template_context() -> dict:
    return {"period_text": views.period_text, "opening_text": views.opening_text}
