"""Settings, read from the environment here and nowhere else.

Every variable the site reads is listed in docs/settings.md. The defaults run a fresh
clone on SQLite with the local-memory cache and email written to files under ./var/;
DAYFACTS_ENV=production refuses to start while a required variable is missing.
"""

import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dayfacts.newsletter.mailurl import email_settings

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DAYFACTS_VAR_DIR", Path.cwd() / "var")).resolve()

ENV = os.environ.get("DAYFACTS_ENV", "development")
PRODUCTION = ENV == "production"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# What production cannot run without: the development defaults (a generated key, SQLite, the
# local-memory cache and tasks in the database, mail written to files) do not span machines.
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL", "EMAIL_URL",
)
if PRODUCTION:
    _missing = [name for name in REQUIRED_IN_PRODUCTION if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(
            "DAYFACTS_ENV=production needs these environment variables: " + ", ".join(_missing)
        )


def _secret_key():
    """Use SECRET_KEY, or a key generated once and kept under var/ for development."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Addresses or networks of the proxies in front of the app (nginx, a load balancer): from
# them, the reader's address is read from X-Forwarded-For.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# The public address of the site, used in emails, feeds and the static export.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "dayfacts")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    # For its templates and static files: /api/docs is served from the site, not a CDN.
    "ninja",
    "csp",
    "axes",
    "dayfacts.accounts",
    "dayfacts.days",
    "dayfacts.facts",
    "dayfacts.comments",
    "dayfacts.newsletter",
    "dayfacts.api",
    "dayfacts.syndication",
    "dayfacts.play",
    "dayfacts.cards",
    "dayfacts.interchange",
    "dayfacts.search",
    "dayfacts.ops",
    "dayfacts.pagecache",
]

MIDDLEWARE = [
    "dayfacts.ops.middleware.ClientAddressMiddleware",
    "dayfacts.ops.middleware.RequestIdMiddleware",
    "dayfacts.ops.middleware.MetricsMiddleware",
    "dayfacts.ops.middleware.ProbeMiddleware",
    # Above the page cache, which reads the database as it stores a page: a database
    # error anywhere below becomes the 503 page.
    "dayfacts.ops.resilience.DatabaseUnavailableMiddleware",
    # Above the page cache: the API's rate limit and headers hold for its stored answers.
    "dayfacts.api.middleware.ApiMiddleware",
    # Before the rest: a stored page carries their headers, and a hit needs nothing else.
    "dayfacts.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "dayfacts.ops.resilience.NullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dayfacts.urls"
WSGI_APPLICATION = "dayfacts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dayfacts.facts.context_processors.site",
            ],
        },
    },
    # Second, so that every page is a Django template: only the fragments in dayfacts/jinja2/,
    # which template tags render with using="jinja2" (see dayfacts/jinja2env.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "dayfacts.jinja2env.environment"},
    },
]

# Databases ---------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dayfacts.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Tests run on a file too: an in-memory test database shares one cache among its
        # connections and locks whole tables, where writers to a file wait their turn as
        # the site's threads (the newsletter's senders) do.
        _name = Path(_db["NAME"])
        _db["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}
    # WAL lets readers run beside a writer; IMMEDIATE transactions take the write lock at
    # BEGIN, so two writers queue on the busy timeout instead of failing on upgrade.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the write lock before "database is locked".
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", 20)),
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;PRAGMA temp_store=MEMORY;PRAGMA mmap_size=134217728;"
            # 64 MB of page cache instead of 2 MB: once the indexes outgrow the cache, each
            # insert rereads pages from the kernel, and a large import spends most of its
            # time doing so.
            "PRAGMA cache_size=-65536;"
        ),
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections in development and tests; production may ask for a pool.
    if env_bool("DATABASE_POOL", False):
        _pool_size = int(os.environ.get("DATABASE_POOL_SIZE", 10))
        _db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": _pool_size}}
    else:
        _db["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", 60))
        _db["CONN_HEALTH_CHECKS"] = True
# Test runs of several checkouts on one PostgreSQL keep apart by name.
if os.environ.get("DAYFACTS_TEST_DB_NAME"):
    _db["TEST"] = {"NAME": os.environ["DAYFACTS_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache ---------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Short socket timeouts: a Redis that stops answering shows up as a failed /readyz
    # instead of requests that hang.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dayfacts"),
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "dayfacts", "OPTIONS": {"MAX_ENTRIES": 5000}}}

# django-ratelimit counts in the default cache. Django's RedisCache increments atomically
# (W001 only says it is not on the library's list). Without Redis, each server process
# counts its own limits: a documented trade-off of the one-machine default (E003).
RATELIMIT_USE_CACHE = "default"
# The library's own defaults, written out: it asks for each on every counted request, and a
# setting Django does not have is an exception each time (a sixth of a cached API answer).
RATELIMIT_ENABLE = True
RATELIMIT_FAIL_OPEN = False
RATELIMIT_IP_META_KEY = None
RATELIMIT_IPV4_MASK = 32
RATELIMIT_IPV6_MASK = 64
RATELIMIT_CACHE_PREFIX = "rl:"
RATELIMIT_HASH_ALGORITHM = hashlib.sha256
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Tasks -----------------------------------------------------------------------------------

if REDIS_URL and env_bool("TASKS_USE_REDIS", PRODUCTION):
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    INSTALLED_APPS.append("django_rq")  # the RQ backend finds its queues through django_rq
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email -----------------------------------------------------------------------------------

EMAIL_URL = os.environ.get("EMAIL_URL", f"file://{VAR_DIR / 'outbox'}")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dayfacts <newsletter@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# EMAIL_BACKEND and its options are derived from EMAIL_URL by dayfacts.newsletter.mailurl.
globals().update(email_settings(EMAIL_URL))

# Time and language ---------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files ---------------------------------------------------------------------------

STATIC_URL = os.environ.get("STATIC_URL", "/static/")
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security -------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
# Scripts only from our own origin, never inline: an injected <script> does not run.
# Details and the reasons for each directive: docs/security.md.
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
    },
}
# Admin logins: django-axes counts failures under three rules, each locking at its own
# limit for AXES_COOLOFF_HOURS (docs/security.md): one username from one address (someone
# who forgot), one username from any address (guesses at one account from many machines),
# one address at any username (one password tried on many accounts). An IPv6 address is
# counted as its /64, and a success forgives only that username from that address.
AUTHENTICATION_BACKENDS = [
    "dayfacts.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOCKOUT_LIMITS = {
    ("username", "ip_address"): int(os.environ.get("AXES_FAILURE_LIMIT", 5)),
    ("username",): int(os.environ.get("AXES_USERNAME_FAILURE_LIMIT", 20)),
    ("ip_address",): int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", 30)),
}
AXES_LOCKOUT_PARAMETERS = [list(rule) for rule in LOCKOUT_LIMITS]
# django-axes has one limit; dayfacts.accounts.lockout holds each rule to its own.
AXES_FAILURE_LIMIT = LOCKOUT_LIMITS["username", "ip_address"]
AXES_HANDLER = "dayfacts.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "dayfacts.accounts.lockout.counted_address"
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Operations -----------------------------------------------------------------------------

# One line per record on stderr: JSON in production (for a log collector), text otherwise.
# dayfacts.ops.logs adds the request id to every record and masks personal data.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "dayfacts.ops.logs.RequestIdFilter"},
        "personal_data": {"()": "dayfacts.ops.logs.PersonalDataFilter"},
    },
    "formatters": {
        "json": {"()": "dayfacts.ops.logs.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "access_json": {"()": "dayfacts.ops.logs.AccessJsonFormatter"},
        "access_text": {"()": "dayfacts.ops.logs.AccessTextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                    "filters": ["request_id", "personal_data"]},
        # Access lines (ACCESS_LOG=1) mask their own path (dayfacts.ops.access): no filter.
        "access": {"class": "logging.StreamHandler", "formatter": f"access_{LOG_FORMAT}",
                   "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines name paths, tokens and all: through the masking handler.
        "django.server": {"handlers": ["console"], "propagate": False},
        "dayfacts.access": {"handlers": ["access"], "propagate": False,
                            "level": "INFO" if env_bool("ACCESS_LOG") else "WARNING"},
    },
}
# /metrics answers a request bearing this token; without one, only loopback clients that
# did not come through a proxy (docs/deploy.md).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# The product ----------------------------------------------------------------------------

# How many entries of each kind the day page lists before linking to the full list.
DAYFACTS_DAY_PAGE_LIMIT = int(os.environ.get("DAYFACTS_DAY_PAGE_LIMIT", 20))
# How many matches of a search are ranked and paged; a search matching more says so.
DAYFACTS_SEARCH_RANK_LIMIT = int(os.environ.get("DAYFACTS_SEARCH_RANK_LIMIT", 2000))

# API (docs/api.md) ------------------------------------------------------------------------

# Cache-Control on the API's GET answers; Wikipedia's REST API sends the same default.
DAYFACTS_API_CACHE_CONTROL = os.environ.get(
    "DAYFACTS_API_CACHE_CONTROL", "s-maxage=300, max-age=60"
)
# Requests one client address may make, in django-ratelimit's "count/period" form.
DAYFACTS_API_RATE_LIMIT = os.environ.get("DAYFACTS_API_RATE_LIMIT", "600/m")

# Page cache (docs/caching.md) ------------------------------------------------------------

PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
# Longest a cached page lives, in seconds; edits, midnight and scheduled facts end it sooner.
PAGECACHE_TIMEOUT = int(os.environ.get("PAGECACHE_TIMEOUT", 24 * 3600))
# s-maxage sent to shared caches (the nginx front cache, a CDN): how late they may be.
PAGECACHE_SHARED_MAX_AGE = int(os.environ.get("PAGECACHE_SHARED_MAX_AGE", 10))
# The views whose pages are shared by every reader: "namespace:*" or "namespace:name";
# "-namespace:name" leaves one out (a random pick, a search: a new answer each time).
PAGECACHE_VIEWS = ["facts:*", "api:*", "syndication:*", "cards:*", "play:*",
                   "-api:random_fact", "-api:search", "-api:display_today"]
# A request carrying any of these cookies is personal: rendered fresh, never stored.
PAGECACHE_PERSONAL_COOKIES = ["sessionid", "messages", "dayfacts_commenter", "dayfacts_held"]
# Where processes that each keep a local-memory cache share the cache generation.
PAGECACHE_GENERATION_FILE = VAR_DIR / "pagecache.generation"
# A form Django's CSRF check refuses (the admin's, a signed-in editor's) gets the same plain
# 403 as a public form sent from another site: it says why and carries nothing back.
CSRF_FAILURE_VIEW = "dayfacts.ops.origin.refused"
# Route /bench/trivial/ for bench/ (the framework's floor); never in production.
DAYFACTS_BENCH_VIEWS = env_bool("DAYFACTS_BENCH_VIEWS", False) and not PRODUCTION

# Comments (docs/comments.md; the moderation words and depth are edited in the admin) ---------

# Seconds a reader must wait between two comments, by IP address or by email.
COMMENTS_FLOOD_SECONDS = int(os.environ.get("COMMENTS_FLOOD_SECONDS", 15))
# Posts an IP address may try, in django-ratelimit's "count/period" form.
COMMENTS_RATE_LIMIT = os.environ.get("COMMENTS_RATE_LIMIT", "20/h")
# Seconds between showing the form and posting it below which a browser post is refused.
COMMENTS_MIN_FILL_SECONDS = float(os.environ.get("COMMENTS_MIN_FILL_SECONDS", 3))
# Top-level comments per page of a fact's discussion.
COMMENTS_PER_PAGE = int(os.environ.get("COMMENTS_PER_PAGE", 50))
# An Akismet key turns on Akismet's spam check; empty (the default) keeps it off.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")

# Newsletter (docs/newsletter.md) --------------------------------------------------------

# The local hour (0-23) a subscriber who names none gets the daily email.
NEWSLETTER_DEFAULT_HOUR = int(os.environ.get("NEWSLETTER_DEFAULT_HOUR", 7))
# The weekday of the weekly digest, 0 for Monday.
NEWSLETTER_WEEKLY_DAY = int(os.environ.get("NEWSLETTER_WEEKLY_DAY", 0))
# Sign-ups an IP address may make, in django-ratelimit's "count/period" form.
NEWSLETTER_SIGNUP_RATE = os.environ.get("NEWSLETTER_SIGNUP_RATE", "5/h")
# Seconds a confirmation link stays good.
NEWSLETTER_CONFIRM_MAX_AGE = int(os.environ.get("NEWSLETTER_CONFIRM_MAX_AGE", 3 * 24 * 3600))
# Seconds an email's unsubscribe, data and deletion links work: 90 days, three times the
# 30 days US law (CAN-SPAM) asks of an unsubscribe link; every newer email has a fresh one.
NEWSLETTER_LINK_MAX_AGE = int(os.environ.get("NEWSLETTER_LINK_MAX_AGE", 90 * 24 * 3600))
# Messages a sender claims at once and sends over one SMTP connection.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", 500))
# Seconds after which a claimed, unsent message counts as lost with its worker and is retried.
NEWSLETTER_CLAIM_TIMEOUT = int(os.environ.get("NEWSLETTER_CLAIM_TIMEOUT", 600))
# Attempts at a temporarily failing message before it is marked failed.
NEWSLETTER_MAX_ATTEMPTS = int(os.environ.get("NEWSLETTER_MAX_ATTEMPTS", 8))
# SMTP connections each send task sends over at once (one thread each).
NEWSLETTER_CONNECTIONS = int(os.environ.get("NEWSLETTER_CONNECTIONS", 4))
# Send tasks the scheduler queues at once: more lets more workers share a big send.
NEWSLETTER_SEND_TASKS = int(os.environ.get("NEWSLETTER_SEND_TASKS", 4))
