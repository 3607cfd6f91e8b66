"""Settings read from the environment, with defaults that serve the demo city."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    SECRET_KEY = os.environ.get("GONGSHI_SECRET_KEY", "dev-only-change-me")
    # Keys the audit chain and published-content hashes; kept outside the database so that
    # whoever can rewrite the tables cannot recompute them. Empty: the secret key is used.
    AUDIT_KEY = os.environ.get("GONGSHI_AUDIT_KEY", "")
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
    # Multipart forms (fee-sheet uploads): Werkzeug refuses more parts or larger text parts.
    # The editor's content form is URL-encoded; content_form caps its rows and fields.
    MAX_FORM_PARTS = 1_000
    MAX_FORM_MEMORY_SIZE = 500_000
    # Staff sessions end after this long without a request.
    SESSION_IDLE_MINUTES = int(os.environ.get("GONGSHI_SESSION_IDLE_MINUTES", "30"))
    # Failed sign-ins per client address; each window is longer, so the waits grow. Where the
    # counts live: memory:// (one server) or a shared store such as redis://host:6379.
    LOGIN_RATE_LIMITS = os.environ.get(
        "GONGSHI_LOGIN_RATE_LIMITS", "5 per minute; 20 per hour; 100 per day"
    )
    RATELIMIT_STORAGE_URI = os.environ.get("GONGSHI_RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # An uploaded spreadsheet is read in a child process that may use this much memory
    # and time, so no file can take a web worker down.
    SPREADSHEET_PARSE_MEMORY_MB = int(os.environ.get("GONGSHI_SPREADSHEET_PARSE_MEMORY_MB", "768"))
    SPREADSHEET_PARSE_SECONDS = float(os.environ.get("GONGSHI_SPREADSHEET_PARSE_SECONDS", "20"))
