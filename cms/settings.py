"""Settings for the platform, all read from the environment.

With no environment at all the site runs on SQLite and the embedded search
backend. ``DATABASE_URL`` switches to PostgreSQL and ``ELASTICSEARCH_URL`` to
Elasticsearch 8 with no code change.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "cms",
    "catalogue",
    "proposals",
    "reviews",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_ratelimit",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so its process_view runs after CSRF: one transaction around every unsafe request.
    "cms.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_chrome",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_PATH") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Simplified Chinese first (the default), Traditional Chinese, English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "cms" / "static_src"] if (BASE_DIR / "cms" / "static_src").exists() else []
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Files that must never be reachable by a public URL (proposal attachments, CVs).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "cms.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # non-file form data; files have their own limits below
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "learning-city",
    }
}

RATELIMIT_VIEW = "cms.views.rate_limited"
# Sign-in limits (cms/auth_views.py): loose per address (many learners share a library's address),
# tight per username (what password guessing targets).
LOGIN_RATE_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_RATE_LIMIT_PER_ADDRESS", "30/10m")
LOGIN_RATE_LIMIT_PER_USERNAME = os.environ.get("LOGIN_RATE_LIMIT_PER_USERNAME", "5/5m")
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]  # locmem is fine on one process

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@learning.city.example")

# Keeping courses current (catalogue.freshness): thresholds for the outdated-content flags.
FRESHNESS = {
    "days_after_last_run": int(os.environ.get("FRESHNESS_DAYS_AFTER_LAST_RUN", "90")),
    "months_without_revision": int(os.environ.get("FRESHNESS_MONTHS_WITHOUT_REVISION", "18")),
    "report_count": int(os.environ.get("FRESHNESS_REPORT_COUNT", "3")),
    "rating_threshold": float(os.environ.get("FRESHNESS_RATING_THRESHOLD", "2.5")),
    "rating_min_count": int(os.environ.get("FRESHNESS_RATING_MIN_COUNT", "3")),
    "notice_after_days": int(os.environ.get("FRESHNESS_NOTICE_AFTER_DAYS", "30")),
    "report_rate": os.environ.get("FRESHNESS_REPORT_RATE", "10/h"),
    "link_timeout": float(os.environ.get("FRESHNESS_LINK_TIMEOUT", "10")),
    "link_workers": int(os.environ.get("FRESHNESS_LINK_WORKERS", "8")),
    "link_host_delay": float(os.environ.get("FRESHNESS_LINK_HOST_DELAY", "1.0")),
    "link_recheck_hours": int(os.environ.get("FRESHNESS_LINK_RECHECK_HOURS", "24")),
    "link_allow_private_hosts": env_bool("FRESHNESS_LINK_ALLOW_PRIVATE_HOSTS", False),
    "digest_min_hours": int(os.environ.get("FRESHNESS_DIGEST_MIN_HOURS", "20")),
}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "终身学习平台 Learning City")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every admin upload path (add, multiple upload, chooser upload) builds its form on these bases, which
# sniff the content, refuse bombs and re-encode images (cms/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.SafeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.SafeDocumentForm"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "webp"}
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# No avatars from a third party: it would leak editors' email hashes and is blocked by the admin's CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a version check from the dashboard to an outside server (also blocked by the CSP); upgrades go
# through the project's dependencies.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Marketplace search: the embedded SQLite FTS5 index unless ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "embedded")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "learningcity")
# Chinese analysis in Elasticsearch: "cjk" (bigrams + unigrams, built in), "smartcn" or "ik" (plugins).
SEARCH_ES_ANALYZER = os.environ.get("SEARCH_ES_ANALYZER", "cjk")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Headers sent in every mode, so development shows what production does.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt into SAMEORIGIN themselves
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

# Content-Security-Policy (django-csp; cms/middleware.py). Public pages: scripts only from this site
# (or inline with the per-request nonce, `<script nonce="{{ request.csp_nonce }}">`), nothing framed,
# no plugins. Inline style attributes stay allowed: they cannot run code.
ADMIN_URL_PREFIXES = ["/admin/", "/django-admin/"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The Wagtail admin still has inline scripts in some widgets and frames its own previews and embeds.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

SITE_TITLE = _("Learning City")
