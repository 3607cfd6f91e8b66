"""The editor: utilities edit their items, reviewers approve and publish. Sign-in required."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request
from flask_babel import gettext
from flask_babel import lazy_gettext as L_
from flask_login import LoginManager, current_user
from werkzeug.exceptions import HTTPException

from kiosk.editor.content_form import dom_id
from kiosk.field_labels import field_label, role_label, state_label, value_label
from kiosk.htmx import is_htmx, render_view
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Item, Revision, Role, User, Utility

editor_bp = Blueprint("editor", __name__, url_prefix="/editor")

login_manager = LoginManager()
login_manager.login_view = "editor.login"
login_manager.login_message = L_("Please sign in to use the editor.")

# What the signed-in user wants to do; `authorize` decides who may.
VIEW, EDIT, REVIEW = "view", "edit", "review"
OPEN_ENDPOINTS = {"editor.login"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


@editor_bp.before_request
def require_login():
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    to_login = login_manager.unauthorized()
    if is_htmx():
        # htmx would follow the redirect and swap the sign-in page into a panel; send the
        # whole window there instead.
        to_login.status_code = 401
        to_login.headers["HX-Redirect"] = to_login.headers.pop("Location")
    return to_login


@editor_bp.context_processor
def editor_helpers() -> dict[str, Any]:
    return {
        "state_label": state_label,
        "field_label": field_label,
        "value_label": value_label,
        "role_label": role_label,
        "field_dom_id": dom_id,
    }


@editor_bp.errorhandler(403)
def forbidden(error: HTTPException):
    return render_view(
        "editor/forbidden", status=403, title=gettext("Not yours to open"), back_url=None
    )


def may(action: str, utility_id: int | None = None) -> bool:
    """The one scope check: may the signed-in user `action` in this utility?

    Editors view and edit their own utility only; reviewers view everything and review;
    admins may do everything.
    """
    role = current_user.role
    if role == Role.ADMIN:
        return True
    if action == REVIEW:
        return role == Role.REVIEWER
    own = current_user.utility_id == utility_id
    if action == EDIT:
        return role == Role.EDITOR and own
    return role == Role.REVIEWER or utility_id is None or own


def authorize(action: str, utility_id: int | None = None) -> None:
    """Abort with 403 unless `may(action, utility_id)`."""
    if not may(action, utility_id):
        abort(403)


def own_utility() -> Utility | None:
    """An editor's utility; None for reviewers and admins, who see every utility."""
    return current_user.utility if current_user.role == Role.EDITOR else None


def chosen_utility() -> Utility | None:
    """The utility a page is about: an editor's own; for the others ?utility=, if given."""
    slug = request.args.get("utility")
    if current_user.role == Role.EDITOR or not slug:
        return own_utility()
    return catalogue.utility_by_slug(slug) or abort(404)


def load_item(item_id: int, action: str) -> Item:
    """The item, or 404; then 403 unless the user may `action` in its utility."""
    item = db.session.get(Item, item_id) or abort(404)
    authorize(action, item.utility_id)
    return item


def load_revision(revision_id: int, action: str) -> Revision:
    """The revision, or 404; then 403 unless the user may `action` in its item's utility."""
    revision = db.session.get(Revision, revision_id) or abort(404)
    authorize(action, revision.item.utility_id)
    return revision


from kiosk.editor import edit_views, fee_views, review_views, views  # noqa: E402,F401
