"""Settings shared by every environment. Values come from the environment (see env.py)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from pctt.settings.env import database_from_env, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("PCTT_VAR_DIR", str(BASE_DIR / "var")) or "var")

INSTALLED_APPS = [
    "pctt.portal",
    "pctt.accounts",
    "pctt.areas",
    "pctt.alerts",
    "pctt.plans",
    "pctt.hazards",
    "pctt.dispatch",
    "pctt.library",
    "pctt.community",
    "pctt.loudspeakers",
    "pctt.onboarding",
    "pctt.ops",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.embeds",
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
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pctt.portal.middleware.RefuseNulInQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pctt.accounts.csp.PolicyMiddleware",
    "pctt.portal.middleware_snapshots.SnapshotMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pctt.portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pctt.accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pctt.urls"
WSGI_APPLICATION = "pctt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pctt.portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Argon2id for every new or changed password; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Counts failed sign-ins and refuses locked-out usernames and addresses (pctt.accounts.lockout).
AUTHENTICATION_BACKENDS = ["pctt.accounts.backends.LockoutModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "pctt.accounts.forms.LoginForm"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available (LocaleMiddleware, ?lang switch on the portal).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Our catalogue first (makemessages writes it), then locale_upstream: the Vietnamese that
# Wagtail's and Django's own catalogues lack. Both take precedence over every app catalogue.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_upstream"]
# Day-first dates (15/09/2026), 24-hour times, decimal comma: see pctt/formats/vi/formats.py.
FORMAT_MODULE_PATH = ["pctt.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "wagtailadmin_login"
WAGTAIL_SITE_NAME = "pctt"
# Library pages are published only by the last workflow step's approval, never directly by
# reviewers (who hold no publish_page): this action publishes the approved revision.
WAGTAIL_FINISH_WORKFLOW_ACTION = "pctt.library.permissions.publish_approved_workflow"
WAGTAILADMIN_BASE_URL = env_str("PCTT_SITE_URL", "http://127.0.0.1:8000") or ""
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

SECRET_KEY = env_str("SECRET_KEY", "") or ""

# Security of accounts (docs/security.md). Roles whose members must use a second factor
# (TOTP) before using the back office; the Wagtail superuser flag counts as administrator.
PCTT_TWO_FACTOR_ROLES = ["administrator", "alert_approver"]
OTP_TOTP_ISSUER = "pctt"
PCTT_TRUSTED_PROXIES = env_int("PCTT_TRUSTED_PROXIES", 0)
PCTT_SESSION_IDLE_SECONDS = env_int("PCTT_SESSION_IDLE_MINUTES", 30) * 60
PCTT_SESSION_MAX_SECONDS = env_int("PCTT_SESSION_MAX_HOURS", 10) * 3600
PCTT_REAUTH_SECONDS = env_int("PCTT_REAUTH_MINUTES", 5) * 60
PCTT_LOGIN_MAX_FAILURES = env_int("PCTT_LOGIN_MAX_FAILURES", 5)
PCTT_LOGIN_MAX_FAILURES_PER_IP = env_int("PCTT_LOGIN_MAX_FAILURES_PER_IP", 30)
PCTT_LOGIN_LOCKOUT_SECONDS = env_int("PCTT_LOGIN_LOCKOUT_MINUTES", 15) * 60
PCTT_UPLOAD_MAX_BYTES = env_int("PCTT_UPLOAD_MAX_MB", 10) * 1024 * 1024
# Library media (Wagtail images and documents): size, pixels and extensions are limited;
# Wagtail checks that images decode. Documents would otherwise take any extension.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = PCTT_UPLOAD_MAX_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv", "mp3", "ogg", "wav"]
SESSION_COOKIE_AGE = PCTT_SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp). The portal needs no inline script or style; the
# Wagtail back office does, and gets it under /admin/ only (pctt.accounts.csp).
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:", "blob:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "media-src": [_SELF, "blob:"],
        "worker-src": [_SELF],
        "manifest-src": [_SELF],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
    }
}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Backups and retention of personal data (pctt.ops; docs/backup.md, docs/settings.md).
PCTT_BACKUP_DIR = Path(env_str("PCTT_BACKUP_DIR", str(VAR_DIR / "backups")) or "backups")
PCTT_RETENTION_DAYS = {
    "contact": int(env_str("PCTT_RETENTION_CONTACT_DAYS", "90") or 0),
    "submission": int(env_str("PCTT_RETENTION_SUBMISSION_DAYS", "730") or 0),
    "delivery": int(env_str("PCTT_RETENTION_DELIVERY_DAYS", "180") or 0),
    "audit_detail": int(env_str("PCTT_RETENTION_AUDIT_DETAIL_DAYS", "0") or 0),
}

# Size limit for uploaded area files (pctt areas import reads files itself).
PCTT_AREAS_MAX_IMPORT_BYTES = 50_000_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The library assistant's optional generative summary (pctt.library.generative): off unless a
# URL is set; it only ever rewords the approved passages it is given, with citations.
PCTT_ASSISTANT_LLM_URL = env_str("PCTT_ASSISTANT_LLM_URL", "") or ""
PCTT_ASSISTANT_LLM_MODEL = env_str("PCTT_ASSISTANT_LLM_MODEL", "") or ""
PCTT_ASSISTANT_LLM_KEY = env_str("PCTT_ASSISTANT_LLM_KEY", "") or ""
