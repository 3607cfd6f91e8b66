"""How a kiosk screen is drawn for its reader: text size (适老化 large text) and contrast.

Both are kept in cookies, so they need no account and hold across pages; they are applied as
classes on <html>, which the large-text and high-contrast rules in kiosk.css key on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import request, url_for

TEXT_SIZE_COOKIE = "text_size"
CONTRAST_COOKIE = "contrast"
TEXT_SIZES = ("normal", "large")
CONTRASTS = ("normal", "high")


@dataclass(frozen=True)
class Display:
    """The reader's display settings; anything unknown in a cookie reads as normal."""

    text_size: str = "normal"
    contrast: str = "normal"

    @classmethod
    def from_cookies(cls, cookies: Mapping[str, str]) -> Display:
        text_size = cookies.get(TEXT_SIZE_COOKIE)
        contrast = cookies.get(CONTRAST_COOKIE)
        return cls(
            text_size=text_size if text_size in TEXT_SIZES else "normal",
            contrast=contrast if contrast in CONTRASTS else "normal",
        )

    @property
    def is_large(self) -> bool:
        return self.text_size == "large"

    @property
    def is_high_contrast(self) -> bool:
        return self.contrast == "high"

    @property
    def classes(self) -> str:
        """The classes for <html>: text-large and/or contrast-high."""
        chosen = {"text-large": self.is_large, "contrast-high": self.is_high_contrast}
        return " ".join(name for name, on in chosen.items() if on)

    def switch_url(self, **settings: str) -> str:
        """The one-tap link that changes `settings` and comes back to the page on screen."""
        here = request.full_path.rstrip("?")
        return url_for("public.display_settings", next=here, **settings)
