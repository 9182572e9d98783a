"""``{run_id}.manifest.json``: what a run was given, read and produced, written atomically."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from domain.settings import PROJECT_ROOT

MANIFEST_SCHEMA = "vcc.job-manifest/v1"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The git commit of the code (``-dirty`` with uncommitted changes to tracked files), or
    ``VCC_CODE_VERSION`` where the deploy has no .git, or ``unknown``."""
    configured = os.environ.get("VCC_CODE_VERSION", "").strip()
    if configured:
        return configured[:80]
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip()[:80] or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(
            {"schema": MANIFEST_SCHEMA, **manifest}, fh, indent=2, sort_keys=True, default=_iso
        )
        fh.write("\n")
    os.replace(tmp, path)


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
