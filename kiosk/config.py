"""Settings read from the environment, with defaults that serve the demo city."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    SECRET_KEY = os.environ.get("GONGSHI_SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "GONGSHI_DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'gongshi.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Where printed QR codes point; a kiosk hall network may reach the app by another name.
    PUBLIC_BASE_URL = os.environ.get("GONGSHI_PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Host names the site answers to, comma-separated ("gongshi.example.gov.cn,.hall.lan"):
    # any other Host gets a 400, and pages are kept in the page cache for these only. Unset,
    # every Host is answered and pages are kept for the names in PUBLIC_BASE_URL and
    # SERVER_NAME and the loopback (kiosk.page_keys).
    TRUSTED_HOSTS = [
        name.strip()
        for name in os.environ.get("GONGSHI_TRUSTED_HOSTS", "").split(",")
        if name.strip()
    ] or None
    CACHE_DIR = os.environ.get("GONGSHI_CACHE_DIR", str(ROOT / "instance" / "cache"))
    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("GONGSHI_TIMEZONE", "Asia/Shanghai")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "kiosk" / "translations")
    LANGUAGES = ("zh_Hans", "zh_Hant", "en")
    CITY_NAME = os.environ.get("GONGSHI_CITY_NAME", "澄州市")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set where TLS ends at a proxy; cookies are Secure on HTTPS requests in any case.
    SESSION_COOKIE_SECURE = os.environ.get("GONGSHI_SECURE_COOKIES", "") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
