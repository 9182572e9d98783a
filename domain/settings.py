"""Configuration, read once from the environment (and an optional ``.env`` file).

Names are the plain environment variable names an operator would set (``DATABASE_URL``,
``VCC_ENV``...), so the same names work in the Makefile, CI, systemd units and notebooks.

With ``VCC_ENV=production`` the configuration is checked when it is first read, which is the
start of every process (the web app, ``vcc serve``, the scheduler, a notebook): a fake email or
SMS sender, a missing secret or a well-known default one is a ``ConfigurationError`` naming the
variable, and the process does not start.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "vcc.db"


class JobSettings(BaseSettings):
    """The jobs part of ``Settings`` (``get_settings().jobs``): runner, locks, scheduler, alerts."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    # The Jupyter kernel the runner starts (`python -m ipykernel install --sys-prefix --name vcc`).
    kernel_name: str = Field(default="vcc", validation_alias=AliasChoices("VCC_JOB_KERNEL"))
    # Lease of a job lock: renewed every third of it while the run lives; a killed runner's lock
    # is free again at most this long after its last renewal.
    lease_seconds: float = Field(
        default=120.0, gt=0, validation_alias=AliasChoices("VCC_JOB_LEASE_SECONDS")
    )
    # Runs in flight per scheduler process (2 cores measured: throughput is flat beyond 2).
    max_parallel: int = Field(default=2, ge=1, validation_alias=AliasChoices("VCC_JOB_PARALLEL"))
    # Catch-up window of the scheduler for slots missed while no scheduler ran.
    catchup_days: int = Field(
        default=3, ge=0, le=3, validation_alias=AliasChoices("VCC_JOB_CATCHUP_DAYS")
    )
    # TOML file overriding the default schedule (see domain/jobs/schedule.py).
    schedule_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("VCC_JOB_SCHEDULE")
    )
    # Comma-separated alert recipients; default: the active ADMIN users (else CEO).
    alert_emails: str = Field(default="", validation_alias=AliasChoices("VCC_ALERT_EMAILS"))
    # Extra modules registering jobs (tests register their fixture jobs this way).
    extra_job_modules: str = Field(default="", validation_alias=AliasChoices("VCC_JOB_MODULES"))
    # The scheduler sweeps the events outbox this often (0: never) besides housekeeping's daily
    # sweep: a failed event handler is retried within minutes, not the next morning.
    sweep_seconds: float = Field(
        default=300.0, ge=0, validation_alias=AliasChoices("VCC_OUTBOX_SWEEP_SECONDS")
    )
    # Consecutive failures after which a job is paused.
    pause_after_failures: int = Field(default=3, ge=1)

    @property
    def alert_recipients(self) -> list[str]:
        return [e.strip().lower() for e in self.alert_emails.split(",") if e.strip()]

    @property
    def job_modules(self) -> list[str]:
        return [m.strip() for m in self.extra_job_modules.split(",") if m.strip()]


class IntegrationSettings(BaseSettings):
    """The external providers part of ``Settings`` (``get_settings().integrations``): FMCSA,
    Twilio, and the call policy every provider shares (timeout, retries, circuit breaker).
    SendGrid's key and the provider choices stay on ``Settings`` (the production check names
    them)."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    fmcsa_provider: Literal["fake", "fmcsa"] = Field(
        default="fake", validation_alias=AliasChoices("VCC_FMCSA_PROVIDER")
    )
    fmcsa_webkey: str | None = Field(default=None, validation_alias=AliasChoices("FMCSA_WEBKEY"))
    fmcsa_base_url: str = Field(
        default="https://mobile.fmcsa.dot.gov/qc/services",
        validation_alias=AliasChoices("FMCSA_BASE_URL"),
    )
    # A snapshot older than this is refreshed when the carrier is used (added, covering a load).
    fmcsa_max_age_hours: float = Field(
        default=24.0, gt=0, validation_alias=AliasChoices("VCC_FMCSA_MAX_AGE_HOURS")
    )
    # The nightly refresh stays under this many lookups per minute (QCMobile asks for restraint).
    fmcsa_per_minute: int = Field(
        default=60, ge=1, validation_alias=AliasChoices("VCC_FMCSA_PER_MINUTE")
    )
    sendgrid_base_url: str = Field(
        default="https://api.sendgrid.com", validation_alias=AliasChoices("SENDGRID_BASE_URL")
    )
    twilio_account_sid: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_ACCOUNT_SID")
    )
    twilio_auth_token: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_AUTH_TOKEN")
    )
    twilio_from_number: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_FROM_NUMBER")
    )
    twilio_base_url: str = Field(
        default="https://api.twilio.com", validation_alias=AliasChoices("TWILIO_BASE_URL")
    )
    # Every provider call: this timeout per request, at most 3 attempts, a breaker per provider.
    timeout_seconds: float = Field(
        default=10.0, gt=0, validation_alias=AliasChoices("VCC_PROVIDER_TIMEOUT_SECONDS")
    )
    breaker_failures: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=30.0, gt=0)


class Settings(BaseSettings):
    """The one configuration of every process, read from the environment (and ``.env``)."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        validation_alias=AliasChoices("DATABASE_URL", "VCC_DATABASE_URL"),
    )
    # demo: fakes for every provider and the demo banner; production: real providers required.
    env: Literal["demo", "test", "production"] = Field(
        default="demo", validation_alias=AliasChoices("VCC_ENV")
    )
    group_timezone: str = Field(
        default="America/New_York", validation_alias=AliasChoices("VCC_GROUP_TIMEZONE")
    )
    email_provider: Literal["fake", "sendgrid"] = Field(
        default="fake", validation_alias=AliasChoices("VCC_EMAIL_PROVIDER")
    )
    email_from: str = Field(
        default="no-reply@vcc.example", validation_alias=AliasChoices("VCC_EMAIL_FROM")
    )
    sendgrid_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("SENDGRID_API_KEY")
    )
    # Where the web app is reached: links in emails (the briefing digest) are made absolute here.
    public_url: str = Field(
        default="http://localhost:3000", validation_alias=AliasChoices("VCC_PUBLIC_URL")
    )
    # Read by domain/integrations/sms.py too; here so production can refuse the fake at start.
    sms_provider: Literal["fake", "twilio"] = Field(
        default="fake", validation_alias=AliasChoices("VCC_SMS_PROVIDER")
    )
    reports_dir: Path = Field(
        default=PROJECT_ROOT / "reports", validation_alias=AliasChoices("VCC_REPORTS_DIR")
    )
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL"))
    # The dashboard/leaderboard read cache (domain/cache): entry lifetime and in-process bound.
    cache_ttl_seconds: float = Field(
        default=300, gt=0, validation_alias=AliasChoices("VCC_CACHE_TTL_SECONDS")
    )
    cache_max_entries: int = Field(
        default=2048, gt=0, validation_alias=AliasChoices("VCC_CACHE_MAX_ENTRIES")
    )
    sentry_dsn: str | None = Field(default=None, validation_alias=AliasChoices("SENTRY_DSN"))
    session_idle_hours: int = 12
    session_absolute_days: int = 7
    api_token_default_days: int = 90
    # The jobs part reads its own variables (VCC_JOB_*, VCC_ALERT_EMAILS, ...).
    jobs: JobSettings = Field(default_factory=lambda: JobSettings())
    # The providers part reads FMCSA_*, TWILIO_*, VCC_PROVIDER_* ...
    integrations: IntegrationSettings = Field(default_factory=lambda: IntegrationSettings())

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        # Operators paste libpq-style URLs; SQLAlchemy needs the driver spelled out.
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @property
    def is_demo(self) -> bool:
        return self.env == "demo"


class ConfigurationError(RuntimeError):
    """The configuration cannot run in this environment: reported at start, naming the variable,
    never worked around with a silent fake."""


# Passwords and keys that come from examples, images and tutorials: never production secrets.
DEFAULT_SECRETS = frozenset(
    {
        "",
        "admin",
        "changeme",
        "change-me",
        "example",
        "pass",
        "password",
        "postgres",
        "secret",
        "test",
        "vcc",
        "vcc_test",
        "xxx",
    }
)


def _is_default_secret(value: str, *also: str | None) -> bool:
    v = value.strip().lower()
    return v in DEFAULT_SECRETS or v in {a.lower() for a in also if a} or len(set(v)) <= 1


def production_problems(settings: Settings) -> list[str]:
    """What keeps ``settings`` from running in production, one sentence per variable."""
    from sqlalchemy.engine import make_url

    problems: list[str] = []
    url = make_url(settings.database_url)
    if url.get_backend_name() != "postgresql":
        problems.append(
            "DATABASE_URL: production runs on PostgreSQL (postgresql://user:password@host/db); "
            "it is not set or names another database"
        )
    elif url.password is not None and _is_default_secret(str(url.password), url.username):
        problems.append("DATABASE_URL: the database password is a well-known default")
    if settings.email_provider == "fake":
        problems.append(
            "VCC_EMAIL_PROVIDER: the fake email sender (the default) is for demo and tests; "
            "production needs a real provider (sendgrid)"
        )
    else:
        key = settings.sendgrid_api_key
        if key is None or not key.strip():
            problems.append("SENDGRID_API_KEY: not set (VCC_EMAIL_PROVIDER=sendgrid needs it)")
        elif _is_default_secret(key) or "example" in key.lower() or "your" in key.lower():
            problems.append("SENDGRID_API_KEY: a placeholder, not a key")
    if settings.sms_provider == "fake":
        problems.append(
            "VCC_SMS_PROVIDER: the fake SMS sender (the default) is for demo and tests; "
            "production needs a real provider (twilio)"
        )
    else:
        problems += _missing(
            "VCC_SMS_PROVIDER=twilio",
            TWILIO_ACCOUNT_SID=settings.integrations.twilio_account_sid,
            TWILIO_AUTH_TOKEN=settings.integrations.twilio_auth_token,
            TWILIO_FROM_NUMBER=settings.integrations.twilio_from_number,
        )
    if settings.integrations.fmcsa_provider == "fake":
        problems.append(
            "VCC_FMCSA_PROVIDER: the fake FMCSA lookup (the default) is for demo and tests; "
            "production needs the real one (fmcsa)"
        )
    else:
        problems += _missing(
            "VCC_FMCSA_PROVIDER=fmcsa", FMCSA_WEBKEY=settings.integrations.fmcsa_webkey
        )
    return problems


def _missing(needed_by: str, **secrets: str | None) -> list[str]:
    out = []
    for name, value in secrets.items():
        if value is None or not value.strip():
            out.append(f"{name}: not set ({needed_by} needs it)")
        elif _is_default_secret(value) or "example" in value.lower() or "your" in value.lower():
            out.append(f"{name}: a placeholder, not a real value")
    return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings; in production, only when they can run there (else ``ConfigurationError``,
    raised again on every call, so no process starts on them)."""
    settings = Settings()
    if settings.env == "production":
        problems = production_problems(settings)
        if problems:
            raise ConfigurationError(
                "VCC_ENV=production refuses this configuration: " + "; ".join(problems) + "."
            )
    return settings


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment)."""
    get_settings.cache_clear()
