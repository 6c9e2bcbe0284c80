"""Settings for IJH Netwerken: one file, every knob an environment variable.

With nothing set you get the embedded default: SQLite and Celery's filesystem broker, both
under ``var/``, so a laptop needs no servers. Production sets DATABASE_URL, CELERY_BROKER_URL,
SECRET_KEY, ALLOWED_HOSTS and DEBUG=0 (see docker-compose.yml).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# VAR_DIR: where the embedded default keeps its SQLite file, broker folders and private
# files. A separate VAR_DIR gives a completely fresh instance (the CI smoke check uses one).
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# DEBUG: "1" for development. Off unless set; the Makefile's `run` target sets it.
DEBUG = env_bool("DEBUG", False)

# SECRET_KEY: required in production. The fallback only exists so development and tests start;
# `manage.py check --deploy` flags it because it is short and marked insecure.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-dev-only-change-me")

# ALLOWED_HOSTS: comma-separated host names the site answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme + host) behind a TLS proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Apps are listed lowest first; dependencies point down: reports → cases → instruments → networks → ijh.
    "ijh",
    "networks",
    "instruments",
    "cases",
    "reports",
    # Django's admin on a site that writes every edit to the audit log too (ijh/admin_site.py).
    "ijh.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ijh.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every response to a logged-in person (issue 22 §2).
    "ijh.middleware.NoStoreForAuthenticatedMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "networks.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as its documentation asks: it answers locked-out logins before anything else runs.
    "axes.middleware.AxesMiddleware",
]

# OTP_REQUIRED: "0" switches off the TOTP second step for staff and admins (tests do, per test).
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "IJH Netwerken"
# SECOND_FACTOR_RESET_HOURS: after an administrator reset someone's TOTP device, their next login
# may set up a new one within this many hours (ijh/totp.py); a password alone never enrols one.
SECOND_FACTOR_RESET_HOURS = int(os.environ.get("SECOND_FACTOR_RESET_HOURS", "72"))

# BENCH: "1" only for `make bench` — adds query/time headers and a trivial baseline page.
BENCH = env_bool("BENCH", False)
if BENCH:
    MIDDLEWARE.insert(0, "ijh.bench.QueryCountMiddleware")

ROOT_URLCONF = "ijh.urls"
WSGI_APPLICATION = "ijh.wsgi.application"
AUTH_USER_MODEL = "ijh.User"

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
                "django.template.context_processors.i18n",
                # The single-sign-on button's label, when OIDC is configured (ijh/oidc.py).
                "ijh.oidc.login_context",
            ],
        },
    },
]

# DATABASE_URL: e.g. postgres://user:pass@host:5432/ijh. Unset → SQLite file var/ijh.sqlite3.
# In production two roles (docker-compose.yml): web, worker and beat use the app role, which may
# only INSERT and SELECT the audit log; the migrate job sets DATABASE_URL to the owner role and
# APP_DATABASE_URL to the app role's URL, for `manage.py grant_app_role` (ijh/db_roles.py), which
# creates that role and grants it its rights after every migrate.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ijh.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the Celery worker writes; IMMEDIATE transactions take
    # the write lock up front so two writers queue politely instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    # No JIT compilation: the access rules' EXISTS filters make PostgreSQL over-estimate short
    # page queries, and compiling them took 2 of the 2.2 s of the planmaker's trajectory list on
    # the Flanders set (the query itself: 20 ms). Page queries are short; JIT pays off only for
    # long analytical ones. DATABASE_JIT=1 turns it back on.
    if os.environ.get("DATABASE_JIT", "0") != "1":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ijh.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses further attempts once the limit is reached.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# AXES_FAILURE_LIMIT: failed logins for one username from one address before a lockout.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# AXES_COOLOFF_MINUTES: how long a lockout lasts.
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the TLS proxy the client address comes from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_TLS_PROXY", False) else 0
AXES_VERBOSE = False

# --- Single sign-on (OpenID Connect, ijh/oidc.py) -------------------------------------------------
# Several identity providers may stand side by side (the government's broker, the Microsoft tenants
# of partner organisations); the login page shows one button per provider. Each provider only lets
# people in whose *verified* e-mail address belongs to an existing account.
#
# One provider, the original way (its redirect URI: https://<host>/aanmelden/sso/terug/):
# OIDC_RP_CLIENT_ID: this app's client id at the identity provider. Unset → no such provider.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
# OIDC_RP_CLIENT_SECRET: the client secret the provider issued.
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
# OIDC_OP_AUTHORIZATION_ENDPOINT / _TOKEN_ENDPOINT / _USER_ENDPOINT / _JWKS_ENDPOINT: the provider's
# endpoints, as its /.well-known/openid-configuration lists them.
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "") or None
# OIDC_RP_SIGN_ALGO: how the provider signs ID tokens (RS256 for both the broker and Microsoft).
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "") or "RS256"
# OIDC_RP_SCOPES: what we ask for; the e-mail address (verified) is all we use.
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "") or "openid email"
# OIDC_USE_PKCE: PKCE (RFC 7636) on the code flow, so an intercepted code is worthless; on unless
# set to 0 for a provider that cannot do it.
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
# OIDC_LOGIN_LABEL: the text of the button on the login page.
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "") or "Aanmelden met je organisatieaccount"
# OIDC_VERIFIED_CLAIM: the claim that says the e-mail address is verified ("email_verified"; for a
# Microsoft Entra tenant "xms_edov", an optional claim to switch on in the app registration).
OIDC_VERIFIED_CLAIM = os.environ.get("OIDC_VERIFIED_CLAIM", "") or "email_verified"
#
# More providers: OIDC_PROVIDERS lists their names, e.g. "vlaanderen,partnerx" (lower-case letters,
# digits and hyphens). Each NAME is configured by OIDC_<NAME>_<SETTING>, NAME in capitals with
# hyphens as underscores (partner-x → OIDC_PARTNER_X_CLIENT_ID). Redirect URI to register at the
# provider: https://<host>/aanmelden/sso/<name>/terug/.
#   _CLIENT_ID, _CLIENT_SECRET, _AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT, _USER_ENDPOINT,
#   _JWKS_ENDPOINT   required, as above;
#   _LABEL           the button's text, in Dutch (default "Aanmelden via <name>");
#   _SIGN_ALGO       default RS256;  _SCOPES  default "openid email";
#   _USE_PKCE        default 1;      _VERIFIED_CLAIM  default "email_verified".
OIDC_PROVIDER_SETTINGS = ("CLIENT_ID", "CLIENT_SECRET", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT")
OIDC_PROVIDER_SETTINGS += ("USER_ENDPOINT", "JWKS_ENDPOINT")


def _oidc_provider(name: str) -> dict:
    import re

    from django.core.exceptions import ImproperlyConfigured

    if not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", name) or name in {"terug", "default"}:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS: {name!r} is not a valid provider name")
    prefix = f"OIDC_{name.upper().replace('-', '_')}_"
    missing = [prefix + key for key in OIDC_PROVIDER_SETTINGS if not os.environ.get(prefix + key)]
    if missing:
        raise ImproperlyConfigured(f"OIDC provider {name!r} needs {', '.join(missing)}")
    provider = {key.lower(): os.environ[prefix + key] for key in OIDC_PROVIDER_SETTINGS}

    def optional(key: str, default: str) -> str:
        # Empty counts as unset (docker-compose passes ${VAR:-} through as an empty string).
        return os.environ.get(prefix + key, "").strip() or default

    provider.update(
        label=optional("LABEL", f"Aanmelden via {name}"),
        sign_algo=optional("SIGN_ALGO", "RS256"),
        scopes=optional("SCOPES", "openid email"),
        use_pkce=optional("USE_PKCE", "1").lower() in {"1", "true", "yes", "on"},
        verified_claim=optional("VERIFIED_CLAIM", "email_verified"),
    )
    return provider


# name → its settings (ijh/oidc.py reads them per request).
OIDC_PROVIDERS = {name: _oidc_provider(name) for name in env_list("OIDC_PROVIDERS", "")}
# An account is matched by verified e-mail address, never created from the provider's word.
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
# The backend is harmless without a provider (it answers nothing but a callback of ours).
AUTHENTICATION_BACKENDS.append("ijh.oidc.VerifiedEmailBackend")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language: Dutch (Belgium) first; English available through the language switch.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# MEDIA_ROOT: private files (agreements, consent forms, report PDFs). Never served by URL:
# views check access and stream them. In production a volume shared by web and worker.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # Hashed names from collectstatic's manifest; a missing entry never breaks a page.
            else "ijh.storage.ForgivingManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# CELERY_BROKER_URL: e.g. redis://redis:6379/0. Unset → filesystem transport under var/broker,
# which a worker on the same machine reads; good for one laptop, not for several hosts.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Without it kombu writes its pidbox files to ./control of whatever directory a process starts in.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis: a message not acknowledged within this time is redelivered (acks_late tasks).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# CELERY_TASK_DEFAULT_QUEUE: lets tests (or a second deployment on one Redis) use their own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "ijh")
# Job state lives in database rows the pages poll; Celery's result backend is not needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# JOB_MAX_ATTEMPTS: a report or document whose worker keeps dying is tried this often, then marked
# failed with a reason instead of being queued again every five minutes.
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# Publishing must fail fast when the broker is down so the page can say so.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}

# Celery beat: the half-year reports at 02:00 on 1 January and 1 July, and a safety net that
# queues again report runs whose message was lost (broker outage) or whose worker died.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "half-year-reports": {
        "task": "reports.tasks.schedule_half_year_reports",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year="1,7"),
    },
    "requeue-stale-report-runs": {
        "task": "reports.tasks.requeue_stale_report_runs",
        "schedule": crontab(minute="*/5"),
    },
    # Goals whose indicator follows a registered figure get their progress rows updated.
    "sync-linked-indicators": {
        "task": "reports.tasks.sync_linked_indicators",
        "schedule": crontab(minute=15, hour=3),
    },
    "requeue-stale-case-documents": {
        "task": "cases.tasks.requeue_stale_case_documents",
        "schedule": crontab(minute="*/5"),
    },
    "anonymise-closed-cases": {
        "task": "cases.tasks.anonymise_closed_cases",
        "schedule": crontab(minute=30, hour=3),
    },
    # Crisis steps past their limit: marked for the dashboards, one mail per step (issue 18 §7).
    "mark-overdue-crisis-steps": {
        "task": "cases.tasks.mark_overdue_crisis_steps",
        "schedule": crontab(minute="*/15"),
    },
}
# CONFERENCE_CHAIR_GRACE_DAYS: the external chair of a cliëntoverleg reads it until it is closed
# plus this many days, to finish the report (DESIGN.md §5, "access ends when its reason ends").
CONFERENCE_CHAIR_GRACE_DAYS = int(os.environ.get("CONFERENCE_CHAIR_GRACE_DAYS", "30"))
# CRISIS_GRACE_DAYS: the meldpunt reads a call until it is handled (a dispatched call: until its
# episode closes), a crisis provider an episode until its step ends, plus this many days.
CRISIS_GRACE_DAYS = int(os.environ.get("CRISIS_GRACE_DAYS", "14"))
# CASE_RETENTION_YEARS: closed cases are anonymised this many years after closing (DESIGN.md §5).
CASE_RETENTION_YEARS = int(os.environ.get("CASE_RETENTION_YEARS", "5"))

# --- E-mail -------------------------------------------------------------------------------------
# Every mail goes through ijh.mail.send_mail_once: a row with a unique key, sent by the worker.
# EMAIL_HOST: the SMTP relay (production). Unset → the embedded default: each mail is written as
# one .eml file under VAR_DIR/mail/ (var/mail/ on a laptop), readable with any text editor.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
# EMAIL_BACKEND: only to override the choice above (tests use Django's in-memory backend).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "ijh.mail_backends.FileBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# EMAIL_PORT: 587 is SMTP submission with STARTTLS.
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
# EMAIL_HOST_USER / EMAIL_HOST_PASSWORD: the relay's login, if it asks for one.
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# EMAIL_USE_TLS: STARTTLS on the submission port; on unless set to 0 (a relay on localhost).
# EMAIL_USE_SSL: implicit TLS instead (port 465). Never both.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
# EMAIL_TIMEOUT: seconds before an unresponsive relay counts as an error (the task retries).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# DEFAULT_FROM_EMAIL: the sender of every mail, e.g. "IJH Netwerken <noreply@ijh.example.be>".
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IJH Netwerken <noreply@ijh-netwerken.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SITE_URL: scheme and host the links in mails point to (mails are rendered without a request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# MAIL_MAX_ATTEMPTS: SMTP tries per mail before it is marked failed; MAIL_RETRY_SECONDS: the first
# wait between tries, doubled every time.
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))
# Every minute the worker sweeps the outbox: password-reset requests and mails whose message the
# broker never got (it was down at commit) are handled then, each once (ijh/mail.py).
CELERY_BEAT_SCHEDULE["sweep-outbox"] = {
    "task": "ijh.tasks.sweep_outbox",
    "schedule": crontab(minute="*"),
}
# The carousel signal (issue 19 §8) counted for the new day before anyone opens it.
CELERY_BEAT_SCHEDULE["refresh-carousel-signals"] = {
    "task": "cases.tasks.refresh_carousel_signals",
    "schedule": crontab(minute=10, hour=4),
}
# Detention (issue 20): a warning on the timeline three months before a planned release.
CELERY_BEAT_SCHEDULE["warn-upcoming-releases"] = {
    "task": "cases.tasks.warn_upcoming_releases",
    "schedule": crontab(minute=45, hour=6),
}

# --- Accounts (issue 21) ------------------------------------------------------------------------
# INVITATION_DAYS: an invitation link works this many days, once.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
# PASSWORD_RESET_MINUTES: a "wachtwoord vergeten" link works this long (and once: it dies with
# the password it replaces).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_MINUTES", "120")) * 60
# PASSWORD_RESET_PER_ADDRESS / PASSWORD_RESET_PER_IP: requests per hour before the form answers
# "te veel aanvragen" (the same whether or not the address is known).
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_IP = int(os.environ.get("PASSWORD_RESET_PER_IP", "10"))
# Leavers: at 01:30 accounts whose last role ended are deactivated (and reactivated once a new
# role starts). Reminders by mail, each switchable per person on the profile page: meeting
# invitations every 15 minutes, agreements that expire and overdue actions every morning.
CELERY_BEAT_SCHEDULE["deactivate-leavers"] = {
    "task": "networks.tasks.sync_accounts",
    "schedule": crontab(minute=30, hour=1),
}
CELERY_BEAT_SCHEDULE["mail-meeting-invitations"] = {
    "task": "networks.tasks.mail_meeting_invitations",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["mail-daily-reminders"] = {
    "task": "networks.tasks.mail_daily_reminders",
    "schedule": crontab(minute=0, hour=7),
}

# Security headers; the production values are switched on by DEBUG=0.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# SESSION_COOKIE_AGE: idle timeout in seconds (default 30 minutes); every request renews it.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# SECURE_COOKIES: "1" behind TLS (default when DEBUG is off).
if env_bool("SECURE_COOKIES", not DEBUG):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# SECURE_SSL_REDIRECT / SECURE_HSTS_SECONDS: for deployments that terminate TLS in front of Django.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# With HSTS on, subdomains and the preload flag follow unless switched off explicitly.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# Container health probes call /health/ over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# BEHIND_TLS_PROXY: "1" only when a proxy in front overwrites X-Forwarded-Proto; otherwise a client
# could send the header itself and be treated as secure.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything from our own origin; SVG charts use data: for nothing,
# images may be data: URIs (hatch patterns are inline SVG, which CSP does not restrict).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO; only its problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
