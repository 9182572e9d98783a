"""Where the job notebooks live, and the jobs part of the settings (``Settings.jobs``)."""

from __future__ import annotations

from domain.settings import PROJECT_ROOT, JobSettings, get_settings, reset_settings

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

__all__ = ["NOTEBOOKS_DIR", "JobSettings", "job_settings", "reset_job_settings"]


def job_settings() -> JobSettings:
    """The jobs part of the one ``Settings``."""
    return get_settings().jobs


def reset_job_settings() -> None:
    reset_settings()
