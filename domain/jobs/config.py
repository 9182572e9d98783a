"""Job settings, read from the environment like ``domain.settings`` (same names everywhere)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.settings import PROJECT_ROOT

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


class JobSettings(BaseSettings):
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


@lru_cache(maxsize=1)
def job_settings() -> JobSettings:
    return JobSettings()


def reset_job_settings() -> None:
    job_settings.cache_clear()
