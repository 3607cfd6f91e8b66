"""Who may do what in the editor: the one scope check, and loaders that apply it."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from services.catalogue import queries as catalogue
from services.db import db
from services.models import Item, Revision, Role, Utility

# What the signed-in user wants to do; `authorize` decides who may.
VIEW, EDIT, REVIEW = "view", "edit", "review"


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
