"""Settings for Hotline, read from HOTLINE_* and DATABASE_URL environment variables."""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hotline.capture import config as evidence_config
from hotline.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("HOTLINE_VAR_DIR", str(BASE_DIR / "var")))


def _secret_key() -> str:
    """A key from the environment, or one generated once and kept under var/ for a local install."""
    configured = env.raw("HOTLINE_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.boolean("HOTLINE_DEBUG", False)
ALLOWED_HOSTS = env.strings("HOTLINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.strings("HOTLINE_CSRF_TRUSTED_ORIGINS", [])
HTTPS = env.boolean("HOTLINE_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "hotline.core",
    "hotline.accounts",
    "hotline.audit",
    "hotline.intake",
    "hotline.assessment",
    "hotline.capture",
    "hotline.stats",
    "hotline.lists",
    "hotline.takedown",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hotline.intake.middleware.ReportApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hotline.urls"
WSGI_APPLICATION = "hotline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hotline.core.context_processors.hotline",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env.raw("DATABASE_URL")
    if url:
        return dict(
            dj_database_url.parse(url, conn_max_age=env.integer("HOTLINE_DB_CONN_MAX_AGE", 60))
        )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "hotline.sqlite3",
        "OPTIONS": {
            # IMMEDIATE so that read-then-write transactions (audit chain, claims) queue
            # for the write lock instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env.string("HOTLINE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# With HOTLINE_TASK_BACKEND=django_tasks_rq.RQBackend, tasks go to RQ queues in this Redis; every
# machine running a worker or the scheduler points at the same one.
HOTLINE_REDIS_URL = env.string("HOTLINE_REDIS_URL", "redis://127.0.0.1:6379/0")
HOTLINE_TASK_TIMEOUT_SECONDS = env.integer("HOTLINE_TASK_TIMEOUT_SECONDS", 900, minimum=10)
RQ_QUEUES = {
    "default": {"URL": HOTLINE_REDIS_URL, "DEFAULT_TIMEOUT": HOTLINE_TASK_TIMEOUT_SECONDS},
}
# How often `hotline run-schedule` looks for periodic jobs that are due.
HOTLINE_SCHEDULE_TICK_SECONDS = env.integer("HOTLINE_SCHEDULE_TICK_SECONDS", 30, minimum=1)
# How often the scheduler moves requests the web processes wrote (captures asked for by reports)
# into the task queue: the longest a reported url waits before its capture task is queued.
HOTLINE_DISPATCH_SECONDS = env.number("HOTLINE_DISPATCH_SECONDS", 1.0, minimum=0.05)
# Capture requests queued per transaction of the dispatcher, highest priority first.
HOTLINE_CAPTURE_DISPATCH_BATCH = env.integer("HOTLINE_CAPTURE_DISPATCH_BATCH", 500, minimum=1)
HOTLINE_RETENTION_INTERVAL_HOURS = env.integer("HOTLINE_RETENTION_INTERVAL_HOURS", 24, minimum=1)
# A url with no capture, and no capture task waiting or running, this long after it was reported
# has lost its task (Redis flushed, a worker killed): the sweep enqueues it again.
HOTLINE_CAPTURE_LOST_AFTER_MINUTES = env.integer(
    "HOTLINE_CAPTURE_LOST_AFTER_MINUTES", 10, minimum=1
)
HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES = env.integer(
    "HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES", 5, minimum=1
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failures, per account and per address, so that a spread-out attack
# from many addresses is stopped too.
AXES_FAILURE_LIMIT = env.integer("HOTLINE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.number("HOTLINE_LOGIN_COOLOFF_HOURS", 0.25, minimum=0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env.string("HOTLINE_NAME", "Hotline")

SESSION_COOKIE_AGE = env.integer("HOTLINE_SESSION_HOURS", 10, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "hotline.core.views.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
# Nothing about our pages leaks to other sites; "no-referrer" would make Chromium send
# "Origin: null" on our own form posts, which the CSRF check rightly refuses.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "hotline" / "locale"]
TIME_ZONE = env.string("HOTLINE_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Bodies larger than this are refused before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("HOTLINE_MAX_BODY_BYTES", 256 * 1024, minimum=4096)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

EMAIL_BACKEND = env.string(
    "HOTLINE_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "outbox"
EMAIL_HOST = env.string("HOTLINE_SMTP_HOST", "localhost")
EMAIL_PORT = env.integer("HOTLINE_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.string("HOTLINE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env.string("HOTLINE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("HOTLINE_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = env.integer("HOTLINE_SMTP_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env.string("HOTLINE_FROM_EMAIL", "hotline@localhost")

# Nothing that could identify a member of the public is logged: no request lines with
# client addresses (the server's access log is off), no user agents.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("HOTLINE_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Hotline's own rules.
HOTLINE_NAME = env.string("HOTLINE_NAME", "Hotline")
HOTLINE_MAX_URLS_PER_REPORT = env.integer("HOTLINE_MAX_URLS_PER_REPORT", 100, minimum=1)
HOTLINE_MAX_URL_LENGTH = env.integer("HOTLINE_MAX_URL_LENGTH", 2048, minimum=64)
HOTLINE_MAX_DESCRIPTION_LENGTH = env.integer("HOTLINE_MAX_DESCRIPTION_LENGTH", 5000, minimum=100)
HOTLINE_REPORT_RATE_LIMIT = env.integer("HOTLINE_REPORT_RATE_LIMIT", 20, minimum=0)
HOTLINE_REPORT_RATE_WINDOW_SECONDS = env.integer(
    "HOTLINE_REPORT_RATE_WINDOW_SECONDS", 600, minimum=1
)
HOTLINE_REPORT_FORM_MAX_AGE_SECONDS = env.integer(
    "HOTLINE_REPORT_FORM_MAX_AGE_SECONDS", 86400, minimum=60
)
# Intake load shedding, per web process: reports written at once, reports waiting in line for
# their turn, and how long one waits before it is answered 503. Any report beyond the line is
# answered 503 at once. Keep concurrency + line well below HOTLINE_WEB_THREADS: the threads left
# over read and refuse the rest (benchmarks/intake.py measures this).
HOTLINE_INTAKE_CONCURRENCY = env.integer("HOTLINE_INTAKE_CONCURRENCY", 6, minimum=1)
HOTLINE_INTAKE_MAX_WAITING = env.integer("HOTLINE_INTAKE_MAX_WAITING", 16, minimum=0)
HOTLINE_INTAKE_QUEUE_TIMEOUT_MS = env.integer("HOTLINE_INTAKE_QUEUE_TIMEOUT_MS", 200, minimum=1)
HOTLINE_CLAIM_MINUTES = env.integer("HOTLINE_CLAIM_MINUTES", 30, minimum=1)
HOTLINE_CONFIRM_ALL_OUTCOMES = env.boolean("HOTLINE_CONFIRM_ALL_OUTCOMES", False)
HOTLINE_QUEUE_PAGE_SIZE = env.integer("HOTLINE_QUEUE_PAGE_SIZE", 50, minimum=1)
# How many analysts in all (who graded and who confirmed) must stand behind a media grade before
# the hash list takes it.
HOTLINE_GRADE_CONFIRMATIONS = env.integer("HOTLINE_GRADE_CONFIRMATIONS", 2, minimum=1)
# Known-hash pre-grading: a PDQ match within this many bits, of a picture of at least this quality.
HOTLINE_PDQ_MATCH_THRESHOLD = env.integer("HOTLINE_PDQ_MATCH_THRESHOLD", 31, minimum=0, maximum=255)
HOTLINE_PDQ_MIN_QUALITY = env.integer("HOTLINE_PDQ_MIN_QUALITY", 50, minimum=0)
# A video is pre-graded when at least this share (%) of its distinct vPDQ frames match frames of
# a known video, and at least the second share of the known video's frames are matched
# (python-threatexchange's defaults: a clip cut from a known video matches).
HOTLINE_VPDQ_QUERY_MATCH_PERCENT = env.integer(
    "HOTLINE_VPDQ_QUERY_MATCH_PERCENT", 80, minimum=1, maximum=100
)
HOTLINE_VPDQ_KNOWN_MATCH_PERCENT = env.integer(
    "HOTLINE_VPDQ_KNOWN_MATCH_PERCENT", 0, minimum=0, maximum=100
)
# Member match API: requests per minute per member key in each process (0: no limit), the
# largest image POST /api/v1/match/image hashes in memory, and how often each process looks for
# a newer published hash list to apply to its index.
HOTLINE_MATCH_RATE_LIMIT = env.integer("HOTLINE_MATCH_RATE_LIMIT", 600, minimum=0)
HOTLINE_MATCH_MAX_IMAGE_BYTES = env.integer(
    "HOTLINE_MATCH_MAX_IMAGE_BYTES", 10 * 1024 * 1024, minimum=1024
)
HOTLINE_MATCH_VERSION_CHECK_SECONDS = env.number(
    "HOTLINE_MATCH_VERSION_CHECK_SECONDS", 5, minimum=0
)
# Analyst welfare: a break reminder once a day's reveals reach either limit.
HOTLINE_EXPOSURE_BREAK_MINUTES = env.integer("HOTLINE_EXPOSURE_BREAK_MINUTES", 60, minimum=1)
HOTLINE_EXPOSURE_BREAK_ITEMS = env.integer("HOTLINE_EXPOSURE_BREAK_ITEMS", 200, minimum=1)
HOTLINE_WEB_WORKERS = env.integer("HOTLINE_WEB_WORKERS", 2, minimum=1)
# Enough threads that an overload reaches the intake load shedding (see above); each thread may
# hold a database connection, so workers x threads must stay below PostgreSQL's max_connections.
HOTLINE_WEB_THREADS = env.integer("HOTLINE_WEB_THREADS", 32, minimum=1)

# Accounts: sign-in, second factor and lock-out.
# Managers get their admin permissions from their role.
AUTHENTICATION_BACKENDS = [
    *AUTHENTICATION_BACKENDS,
    "hotline.accounts.backends.RolePermissionBackend",
]
# The audit log records every sign-in; axes' own log of successes would add addresses and browsers.
AXES_DISABLE_ACCESS_LOG = True
# axes names the client's address and browser in its log lines; name only the username.
AXES_CLIENT_STR_CALLABLE = "hotline.accounts.lockout.client_description"
AXES_USERNAME_CALLABLE = "hotline.accounts.lockout.attempted_username"
# No one, managers included, may read another person's authenticator secret in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Behind a proxy every client would share the proxy's address, so one person's failures would
# pause everyone's sign-in: count failures against the address the report rate limit also sees.
AXES_CLIENT_IP_CALLABLE = "hotline.intake.ratelimit.client_address"

# Intake: how many reverse proxies in front of Hotline append to X-Forwarded-For. The rate limit
# counts the address that many entries from the right; 0 means the connection's own address.
HOTLINE_TRUSTED_PROXY_HOPS = env.integer("HOTLINE_TRUSTED_PROXY_HOPS", 0, minimum=0)

# Capture: the fetcher
# Every request Hotline sends to a reported site goes through hotline.capture.fetcher within these
# limits; the total time covers every redirect and the whole body.
HOTLINE_FETCH_CONNECT_TIMEOUT = env.number("HOTLINE_FETCH_CONNECT_TIMEOUT", 5, minimum=0.1)
HOTLINE_FETCH_TOTAL_TIMEOUT = env.number("HOTLINE_FETCH_TOTAL_TIMEOUT", 30, minimum=1)
HOTLINE_FETCH_MAX_REDIRECTS = env.integer("HOTLINE_FETCH_MAX_REDIRECTS", 10, minimum=0)
HOTLINE_FETCH_MAX_BODY_BYTES = env.integer(
    "HOTLINE_FETCH_MAX_BODY_BYTES", 20 * 1024 * 1024, minimum=1024
)
# The limit after gzip, deflate or brotli are undone: a few kilobytes can expand to gigabytes.
HOTLINE_FETCH_MAX_DECODED_BYTES = env.integer(
    "HOTLINE_FETCH_MAX_DECODED_BYTES", 50 * 1024 * 1024, minimum=1024
)
# Some sites show other content, or nothing, to a client that does not look like a browser.
HOTLINE_FETCH_USER_AGENT = env.string(
    "HOTLINE_FETCH_USER_AGENT",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
)
# socks5h://host:port, for example Tor's socks5h://127.0.0.1:9050: the proxy resolves host names,
# which onion services need. Empty: connect directly, and refuse .onion hosts.
HOTLINE_FETCH_PROXY = env.string("HOTLINE_FETCH_PROXY", "")
# Only the test suite turns this on, to fetch from servers it starts on 127.0.0.1 and [::1].
HOTLINE_FETCH_ALLOW_LOOPBACK = env.boolean("HOTLINE_FETCH_ALLOW_LOOPBACK", False)
HOTLINE_FETCH_VERIFY_TLS = env.boolean("HOTLINE_FETCH_VERIFY_TLS", True)
# A PEM file of the certificate authorities to trust instead of the usual (certifi's) bundle.
HOTLINE_FETCH_CA_FILE = env.string("HOTLINE_FETCH_CA_FILE", "")

# Capture: hosting lookup and extraction
# MaxMind databases (GeoIP2/GeoLite2 Country or City, and ASN) for hosting lookups; set both or
# neither. Without them, the country and AS name come from the data file geoip2fast ships, which
# is as old as the geoip2fast release and has no AS numbers.
HOTLINE_GEOIP_COUNTRY_DB = env.string("HOTLINE_GEOIP_COUNTRY_DB", "")
HOTLINE_GEOIP_ASN_DB = env.string("HOTLINE_GEOIP_ASN_DB", "")
# A page may name any number of images and links; past these, the rest are counted, not listed.
HOTLINE_CAPTURE_MAX_MEDIA_PER_PAGE = env.integer(
    "HOTLINE_CAPTURE_MAX_MEDIA_PER_PAGE", 2000, minimum=1
)
HOTLINE_CAPTURE_MAX_LINKS_PER_PAGE = env.integer(
    "HOTLINE_CAPTURE_MAX_LINKS_PER_PAGE", 5000, minimum=1
)

# Capture: the evidence store
# Master keys, newest first: HOTLINE_EVIDENCE_MASTER_KEY (base64, comma-separated) or
# HOTLINE_EVIDENCE_MASTER_KEY_FILE (one per line). With neither, a local install generates
# var/evidence_master.key; back it up, since without it no evidence can be decrypted.
HOTLINE_EVIDENCE_MASTER_KEYS = evidence_config.master_keys(env, VAR_DIR)
# local: HOTLINE_EVIDENCE_DIR; s3: an S3-compatible bucket (the `s3` extra, AWS_* variables).
HOTLINE_EVIDENCE_STORAGE = env.choice("HOTLINE_EVIDENCE_STORAGE", "local", {"local", "s3"})
HOTLINE_EVIDENCE_DIR = Path(env.string("HOTLINE_EVIDENCE_DIR", str(VAR_DIR / "evidence")))
if HOTLINE_EVIDENCE_STORAGE == "s3":
    STORAGES = {**STORAGES, "evidence": evidence_config.s3_storage(env)}
# Days since a blob was last stored after which `hotline apply-retention` deletes its content
# (its hashes stay) once no open case holds it; 0 keeps all evidence.
HOTLINE_EVIDENCE_RETENTION_DAYS = env.integer("HOTLINE_EVIDENCE_RETENTION_DAYS", 365, minimum=0)

# Capture: the pipeline
# Each image or video a page names is fetched with this body limit; a larger one is noted, not
# stored (the page's own WARC keeps a direct link's response whole, up to the fetch limit).
HOTLINE_CAPTURE_MAX_MEDIA_BYTES = env.integer(
    "HOTLINE_CAPTURE_MAX_MEDIA_BYTES", 20 * 1024 * 1024, minimum=1024
)
# Media fetched per capture; the rest of what a page names is counted, not fetched.
HOTLINE_CAPTURE_MAX_MEDIA_PER_CAPTURE = env.integer(
    "HOTLINE_CAPTURE_MAX_MEDIA_PER_CAPTURE", 500, minimum=1
)
# Capture each newly reported url in the background; the test suite turns this off.
HOTLINE_CAPTURE_ON_REPORT = env.boolean("HOTLINE_CAPTURE_ON_REPORT", True)
# A report of a url last captured longer ago than this captures it again.
HOTLINE_RECAPTURE_AFTER_HOURS = env.integer("HOTLINE_RECAPTURE_AFTER_HOURS", 24, minimum=0)

# Takedown: notices, referrals and rechecks
# The hotline's own country (ISO 3166 code): content hosted here gets a notice to the hosting
# provider's abuse contact; elsewhere, a referral to the partner hotline or law enforcement.
HOTLINE_COUNTRY = env.string("HOTLINE_COUNTRY", "GB").upper()
# Hold each own-country notice until a manager records that law enforcement has no objection.
HOTLINE_TAKEDOWN_POLICE_CHECK = env.boolean("HOTLINE_TAKEDOWN_POLICE_CHECK", False)
HOTLINE_TAKEDOWN_RECHECK_MINUTES = env.integer("HOTLINE_TAKEDOWN_RECHECK_MINUTES", 15, minimum=1)
HOTLINE_TAKEDOWN_REFERRAL_RECHECK_HOURS = env.integer(
    "HOTLINE_TAKEDOWN_REFERRAL_RECHECK_HOURS", 24, minimum=1
)
# Content counts as removed once this many checks in a row found it absent.
HOTLINE_TAKEDOWN_ABSENT_CHECKS = env.integer("HOTLINE_TAKEDOWN_ABSENT_CHECKS", 3, minimum=1)
HOTLINE_TAKEDOWN_REPEAT_HOURS = env.integer("HOTLINE_TAKEDOWN_REPEAT_HOURS", 24, minimum=1)
# After this many repeat notices the case is escalated to the law-enforcement contact.
HOTLINE_TAKEDOWN_ESCALATE_AFTER = env.integer("HOTLINE_TAKEDOWN_ESCALATE_AFTER", 3, minimum=1)
# Removed content is still checked (at the referral interval) this long, to reopen it if it returns.
HOTLINE_TAKEDOWN_WATCH_DAYS = env.integer("HOTLINE_TAKEDOWN_WATCH_DAYS", 30, minimum=0)
HOTLINE_TAKEDOWN_CYCLE_SECONDS = env.integer("HOTLINE_TAKEDOWN_CYCLE_SECONDS", 60, minimum=5)
HOTLINE_TAKEDOWN_RECHECK_CONCURRENCY = env.integer(
    "HOTLINE_TAKEDOWN_RECHECK_CONCURRENCY", 8, minimum=1
)
HOTLINE_TAKEDOWN_RECHECK_BATCH = env.integer("HOTLINE_TAKEDOWN_RECHECK_BATCH", 5000, minimum=1)
HOTLINE_TAKEDOWN_FROM_EMAIL = env.string("HOTLINE_TAKEDOWN_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# Look up an unknown network's abuse contact by RDAP (through the fetcher); the tests turn it off.
HOTLINE_TAKEDOWN_RDAP = env.boolean("HOTLINE_TAKEDOWN_RDAP", True)
HOTLINE_TAKEDOWN_RDAP_URL = env.string("HOTLINE_TAKEDOWN_RDAP_URL", "https://rdap.org/ip/")

# Lists: publishing to members, and member keys
# How often each list is published when it changed (an unchanged list gets no new version).
HOTLINE_LIST_HASHES_PUBLISH_HOURS = env.number("HOTLINE_LIST_HASHES_PUBLISH_HOURS", 12, minimum=0.1)
HOTLINE_LIST_URLS_PUBLISH_HOURS = env.number("HOTLINE_LIST_URLS_PUBLISH_HOURS", 12, minimum=0.1)
HOTLINE_LIST_KEYWORDS_PUBLISH_DAYS = env.number("HOTLINE_LIST_KEYWORDS_PUBLISH_DAYS", 30, minimum=1)
# Rows fetched per round trip when streaming a download or diffing a publish (server-side cursor
# on PostgreSQL), so a list of millions of entries never sits in memory.
HOTLINE_LIST_CHUNK_SIZE = env.integer("HOTLINE_LIST_CHUNK_SIZE", 2000, minimum=100)
# A new member key expires after this many days unless the manager picks another date.
HOTLINE_MEMBER_KEY_DAYS = env.integer("HOTLINE_MEMBER_KEY_DAYS", 365, minimum=1)
