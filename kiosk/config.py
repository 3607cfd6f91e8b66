"""Settings read from the environment, with defaults that serve the demo city."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Signs sessions on a developer's machine only: kiosk.deployment refuses it in production.
DEVELOPMENT_SECRET_KEY = "dev-only-change-me"


def notice_hours(raw: str) -> dict[str, int]:
    """ "water=24,power=168" → {"water": 24, "power": 168}; sectors not named keep the
    defaults of services.outages.notice."""
    pairs = (part.split("=", 1) for part in raw.split(",") if "=" in part)
    return {sector.strip(): int(hours) for sector, hours in pairs}


class Config:
    # "production" makes the app refuse unsafe settings at start-up (kiosk.deployment).
    ENVIRONMENT = os.environ.get("GONGSHI_ENV", "development")
    SECRET_KEY = os.environ.get("GONGSHI_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    # How many reverse proxies (nginx, a load balancer) stand in front of the app; their
    # X-Forwarded-* headers are believed, nobody else's.
    TRUSTED_PROXIES = int(os.environ.get("GONGSHI_TRUSTED_PROXIES", "0"))
    # Keys the audit chain and published-content hashes; kept outside the database so that
    # whoever can rewrite the tables cannot recompute them. Empty: the secret key is used.
    AUDIT_KEY = os.environ.get("GONGSHI_AUDIT_KEY", "")
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
    # The background job queue: an SQLite file for one machine, redis://… for several.
    JOBS_URL = os.environ.get("GONGSHI_JOBS_URL", f"sqlite:///{ROOT / 'instance' / 'jobs.sqlite3'}")
    # Printed PDFs older than this many days, or beyond this many MB in all, are pruned.
    PDF_CACHE_MAX_AGE_DAYS = int(os.environ.get("GONGSHI_PDF_CACHE_MAX_AGE_DAYS", "30"))
    PDF_CACHE_MAX_MB = int(os.environ.get("GONGSHI_PDF_CACHE_MAX_MB", "2048"))
    # Files staff and residents upload (kept in backups; the cache above is not).
    UPLOAD_DIR = os.environ.get("GONGSHI_UPLOAD_DIR", str(ROOT / "instance" / "uploads"))
    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("GONGSHI_TIMEZONE", "Asia/Shanghai")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "kiosk" / "translations")
    LANGUAGES = ("zh_Hans", "zh_Hant", "en")
    # Traditional Chinese in the Taiwan ("tw") or Hong Kong ("hk") standard forms, and a
    # file of the city's place and personal names that conversion must keep as written.
    TRADITIONAL_STANDARD = os.environ.get("GONGSHI_TRADITIONAL_STANDARD", "tw")
    # None: instance/traditional-names.txt if it exists ("" for no list at all).
    TRADITIONAL_NAMES = os.environ.get("GONGSHI_TRADITIONAL_NAMES")
    CITY_NAME = os.environ.get("GONGSHI_CITY_NAME", "澄州市")
    # The city's name on English pages ("" shows CITY_NAME, marked as Chinese).
    CITY_NAME_EN = os.environ.get(
        "GONGSHI_CITY_NAME_EN", "Chengzhou" if CITY_NAME == "澄州市" else ""
    )
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
    HEARING_SIGNUPS_PER_HOUR = int(os.environ.get("GONGSHI_HEARING_SIGNUPS_PER_HOUR", "5"))
    # Days after a hearing's window closes that residents' names and contacts are kept.
    HEARING_CONTACT_RETENTION_DAYS = int(
        os.environ.get("GONGSHI_HEARING_CONTACT_RETENTION_DAYS", "180")
    )
    # Information requests (依申请公开) one place may file within an hour, and in a burst.
    REQUESTS_PER_HOUR = int(os.environ.get("GONGSHI_REQUESTS_PER_HOUR", "5"))
    REQUEST_RATE_LIMIT = os.environ.get("GONGSHI_REQUEST_RATE_LIMIT", "5 per minute;20 per hour")
    # Days after a request is closed that the applicant's name and contact are kept.
    REQUEST_CONTACT_RETENTION_DAYS = int(
        os.environ.get("GONGSHI_REQUEST_CONTACT_RETENTION_DAYS", "180")
    )
    # Rate limits (Flask-Limiter): memory:// counts per process; give a shared store such as
    # redis://host:6379 when several app servers sit behind one address.
    RATELIMIT_STORAGE_URI = os.environ.get("GONGSHI_RATELIMIT_STORAGE_URI", "memory://")
    # Ratings one device (a kiosk) or one address may send in a burst.
    RATING_RATE_LIMIT = os.environ.get("GONGSHI_RATING_RATE_LIMIT", "10 per minute;100 per hour")
    # Days a phone number left with a bad review is kept for the call back (好差评).
    RATING_PHONE_RETENTION_DAYS = int(os.environ.get("GONGSHI_RATING_PHONE_RETENTION_DAYS", "180"))
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
    RATELIMIT_HEADERS_ENABLED = False
    # An uploaded spreadsheet is read in a child process that may use this much memory
    # and time, so no file can take a web worker down.
    SPREADSHEET_PARSE_MEMORY_MB = int(os.environ.get("GONGSHI_SPREADSHEET_PARSE_MEMORY_MB", "768"))
    SPREADSHEET_PARSE_SECONDS = float(os.environ.get("GONGSHI_SPREADSHEET_PARSE_SECONDS", "20"))
