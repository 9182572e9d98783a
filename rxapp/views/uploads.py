"""A refused CSV upload as rows: the domain's ``line N: field`` keys split into one problem per
line and field (every wing's upload answers this way). Pure functions; no state, no database."""

from __future__ import annotations

import dataclasses
import re


@dataclasses.dataclass
class UploadProblem:
    """One problem of a refused CSV: its line (0 for the file or its header), field, reason."""

    line: int = 0
    where: str = ""  # "Line 12" | "File" | "Header" | "Columns"
    field: str = ""
    message: str = ""


_LINE_KEY = re.compile(r"^line (\d+)(?::\s*(.+))?$")


def upload_problems(fields: dict[str, str]) -> list[UploadProblem]:
    """The domain's ``line N: field`` keys as rows, in line order (file-level problems first)."""
    out = []
    for key, message in fields.items():
        m = _LINE_KEY.match(key)
        if m:
            n = int(m[1])
            out.append(UploadProblem(n, f"Line {n}", m[2] or "", message))
        else:
            out.append(UploadProblem(0, key.replace("_", " ").capitalize(), "", message))
    return sorted(out, key=lambda p: (p.line, p.field))
