"""What browser tests of staff screens share: signing in as a member of staff."""

from __future__ import annotations

from tests.factories import PASSWORD


def sign_in(page, base: str, username: str) -> None:
    """Sign in through the editor's own form and wait for the dashboard."""
    page.goto(base + "/editor/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#dashboard")
