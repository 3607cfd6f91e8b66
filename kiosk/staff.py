"""What the editor and the admin screens share: one sign-in, one "not yours" page, and the
new password a person must choose after an admin reset theirs."""

from __future__ import annotations

import time

from flask import Response, current_app, redirect, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as L_
from flask_login import LoginManager, current_user, login_user
from werkzeug.exceptions import HTTPException

from kiosk.htmx import is_htmx, render_view
from services.db import db
from services.models import User

login_manager = LoginManager()
login_manager.login_view = "editor.login"
login_manager.login_message = L_("Please sign in to use the editor.")
SEEN_KEY = "_seen"  # when this session last made a request (Unix seconds)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in account, unless its sessions were ended (sign-out, new password) or
    this session was idle longer than SESSION_IDLE_MINUTES."""
    user_id, _dot, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()) or idle_too_long():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or version != str(user.session_version or 0):
        return None
    return user


def idle_too_long() -> bool:
    """True when the session's last request is older than the idle limit; notes this one."""
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int) and now - seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        session.pop(SEEN_KEY)
        return True
    if not isinstance(seen, int) or now - seen >= 30:  # rewrite the cookie at most twice a minute
        session[SEEN_KEY] = now
    return False


def start_session(user: User) -> None:
    """Sign the account in on this browser, its idle clock starting now."""
    login_user(user)
    session[SEEN_KEY] = int(time.time())


def sign_in_first() -> Response:
    """The answer to a visitor who is not signed in: the sign-in page, then back here."""
    to_login = login_manager.unauthorized()
    if is_htmx():
        # htmx would follow the redirect and swap the sign-in page into a panel; send the
        # whole window there instead.
        to_login.status_code = 401
        to_login.headers["HX-Redirect"] = to_login.headers.pop("Location")
    return to_login


def forbidden(error: HTTPException):
    """The 403 page of staff screens, registered by each blueprint that has them."""
    return render_view(
        "errors/forbidden", status=403, title=gettext("Not yours to open"), back_url=None
    )


# The forced password change after an admin's reset: every staff page waits for it.
PASSWORD_CHANGE_ENDPOINTS = {"editor.password_change", "editor.logout", "editor.login"}


def password_change_first() -> Response | None:
    """Send a person whose password was reset to choose a new one before anything else."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in PASSWORD_CHANGE_ENDPOINTS:
        return None
    target = url_for("editor.password_change")
    if is_htmx():
        response = Response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)
