"""Settings read from the environment, with defaults that serve the demo city."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def notice_hours(raw: str) -> dict[str, int]:
    """ "water=24,power=168" → {"water": 24, "power": 168}; sectors not named keep the
    defaults of services.outages.notice."""
    pairs = (part.split("=", 1) for part in raw.split(",") if "=" in part)
    return {sector.strip(): int(hours) for sector, hours in pairs}


class Config:
    SECRET_KEY = os.environ.get("GONGSHI_SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "GONGSHI_DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'gongshi.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Where printed QR codes point; a kiosk hall network may reach the app by another name.
    PUBLIC_BASE_URL = os.environ.get("GONGSHI_PUBLIC_BASE_URL", "http://127.0.0.1:5000")
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
    # Hours of notice owed before a planned outage, by sector (services.outages.notice).
    OUTAGE_NOTICE_HOURS = notice_hours(os.environ.get("GONGSHI_OUTAGE_NOTICE_HOURS", ""))
    # How many days ahead the start screen, a utility's page and the board list outages.
    OUTAGE_COMING_DAYS = int(os.environ.get("GONGSHI_OUTAGE_COMING_DAYS", "7"))
    # Comments one place (a kiosk, a phone) may send to hearings within an hour.
    HEARING_COMMENTS_PER_HOUR = int(os.environ.get("GONGSHI_HEARING_COMMENTS_PER_HOUR", "10"))
    # Days after a hearing's window closes that residents' names and contacts are kept.
    HEARING_CONTACT_RETENTION_DAYS = int(
        os.environ.get("GONGSHI_HEARING_CONTACT_RETENTION_DAYS", "180")
    )
