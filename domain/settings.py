"""Configuration, read once from the environment (and an optional ``.env`` file).

Names are the plain environment variable names an operator would set (``DATABASE_URL``,
``VCC_ENV``...), so the same names work in the Makefile, CI, systemd units and notebooks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "vcc.db"


class Settings(BaseSettings):
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
    reports_dir: Path = Field(
        default=PROJECT_ROOT / "reports", validation_alias=AliasChoices("VCC_REPORTS_DIR")
    )
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL"))
    sentry_dsn: str | None = Field(default=None, validation_alias=AliasChoices("SENTRY_DSN"))
    session_idle_hours: int = 12
    session_absolute_days: int = 7
    api_token_default_days: int = 90

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment)."""
    get_settings.cache_clear()
