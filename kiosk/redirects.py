"""Where a page may send the browser after it has done its work: back to `?next=`, if safe."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str, within: tuple[str, ...] = ("/",)) -> str:
    """`target` when it is a path on this site under one of `within`; `fallback` otherwise."""
    if (
        target
        and target.startswith("/")
        # "//host" and "/\host" are other sites to a browser, which also drops tabs and
        # newlines from an address before reading it.
        and not target.startswith("//")
        and "\\" not in target
        and all(ch.isprintable() for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith(within):
            return target
    return fallback
