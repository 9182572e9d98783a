"""What every job notebook shares: the first cells (parameters -> context banner) and the last
cell (the result summary, written atomically for the runner and shown in a cell tagged
``results``), plus small display helpers (tables, an SVG chart that renders offline in the HTML).

Notebooks import it as ``from domain.jobs import notebook as jobkit``. It lives in ``domain`` (not
in ``notebooks/``) so every notebook, wherever it sits, imports the same typed, unit-tested code.

Standalone use (an analyst in JupyterLab): every parameter has a default; the run id becomes
``adhoc-...``, the business date yesterday in the group timezone, and ``dry_run`` defaults to
True so opening a job notebook and running it writes nothing.
"""

from __future__ import annotations

import html
import json
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain import clock
from domain.jobs.hashing import VOLATILE_COLUMNS, canonical_value, rows_hash

RESULT_SCHEMA = "vcc.job-result/v1"


@dataclass(frozen=True)
class JobContext:
    job: str
    run_id: str
    business_date: date
    venture: str
    dry_run: bool
    result_path: Path | None
    standalone: bool
    # Where the result rows go as Parquet (jobs with ``JobSpec.archive``; None: not archived).
    archive_path: Path | None = None


def _display(obj: Any, raw: bool = False) -> None:
    try:
        from IPython.display import display
    except ImportError:  # plain Python (unit tests): nothing to show
        return
    display(obj, raw=raw)


def _markdown(text: str) -> None:
    try:
        from IPython.display import Markdown
    except ImportError:
        return
    _display(Markdown(text))


def parse_date(value: date | str | None) -> date:
    if value is None or value == "":
        from domain.settings import get_settings

        return clock.today(get_settings().group_timezone) - timedelta(days=1)
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def start(
    job: str,
    *,
    run_id: str | None = None,
    business_date: date | str | None = None,
    venture: str | None = "all",
    dry_run: bool = True,
    result_path: str | None = None,
    archive_path: str | None = None,
) -> JobContext:
    """Resolve the parameters and show the context banner (the notebook's second cell)."""
    standalone = not run_id
    code = (venture or "all").strip()
    ctx = JobContext(
        job=job,
        run_id=run_id or f"adhoc-{clock.now():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}",
        business_date=parse_date(business_date),
        venture="all" if code.lower() == "all" else code.upper(),
        dry_run=bool(dry_run),
        result_path=Path(result_path) if result_path else None,
        standalone=standalone,
        archive_path=Path(archive_path) if archive_path else None,
    )
    mode = "**dry run** (writes nothing)" if ctx.dry_run else "**live** (writes results)"
    origin = "ad hoc (not run by the runner)" if standalone else "runner"
    _markdown(
        f"### {job} · {clock.format_business_date(ctx.business_date)}\n\n"
        f"| | |\n|---|---|\n| job | `{job}` |\n| run id | `{ctx.run_id}` |\n"
        f"| venture | {ctx.venture} |\n| business date | {ctx.business_date.isoformat()} |\n"
        f"| mode | {mode} |\n| started by | {origin} |"
    )
    return ctx


def result_document(
    ctx: JobContext,
    summary: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    exclude: Iterable[str] = VOLATILE_COLUMNS,
) -> dict[str, Any]:
    count, digest = rows_hash(rows, exclude)
    return {
        "schema": RESULT_SCHEMA,
        "job": ctx.job,
        "run_id": ctx.run_id,
        "business_date": ctx.business_date.isoformat(),
        "venture": ctx.venture,
        "dry_run": ctx.dry_run,
        "summary": canonical_value(dict(summary)),
        "output": {"rows": count, "sha256": digest},
    }


def write_atomically(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(document, fh, sort_keys=True, indent=2, allow_nan=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def finish(
    ctx: JobContext,
    *,
    summary: Mapping[str, Any],
    rows: Any,
    exclude: Iterable[str] = VOLATILE_COLUMNS,
) -> dict[str, Any]:
    """The last cell (tagged ``results``): hash the result rows, write the summary file, show it.

    ``rows`` are the canonical result rows (dicts or a Polars DataFrame): the rows the run wrote,
    or in a dry run the rows it would have written. When the runner asked for an archive, the same
    rows (without the volatile columns) are written as Parquet too (``domain.jobs.archive``).
    """
    if hasattr(rows, "to_dicts"):
        rows = rows.to_dicts()
    rows = list(rows)
    doc = result_document(ctx, summary, rows, exclude)
    if ctx.archive_path is not None:
        from domain.jobs.archive import write_archive

        skip = set(exclude)
        write_archive(
            ctx.archive_path, ({k: v for k, v in r.items() if k not in skip} for r in rows)
        )
    if ctx.result_path is not None:
        write_atomically(ctx.result_path, doc)
    # JSON for tools, plain text so the summary also shows in the HTML (JSON alone is dropped).
    _display(
        {"application/json": doc, "text/plain": json.dumps(doc, indent=2, sort_keys=True)},
        raw=True,
    )
    return doc


# -- display helpers ----------------------------------------------------------------------------


def show_table(rows: Any, title: str | None = None, max_rows: int = 40) -> None:
    """A compact HTML table (big tables belong in files: HTML rendering cost grows with size)."""
    if hasattr(rows, "to_dicts"):
        rows = rows.to_dicts()
    rows = list(rows)
    if title:
        _markdown(f"**{title}** ({len(rows)} rows)")
    if not rows:
        _markdown("_no rows_")
        return
    cols = list(rows[0].keys())
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c)))}</td>" for c in cols) + "</tr>"
        for r in rows[:max_rows]
    )
    more = f"<p>... {len(rows) - max_rows} more rows</p>" if len(rows) > max_rows else ""
    try:
        from IPython.display import HTML
    except ImportError:
        return
    _display(HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"))


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def line_chart_svg(
    series: Mapping[str, Sequence[tuple[Any, float | None]]],
    *,
    title: str = "",
    width: int = 720,
    height: int = 260,
) -> str:
    """An SVG line chart of one or more series of (x label, value). No plotting library needed,
    and it renders offline in the HTML report."""
    colors = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2"]
    pad_l, pad_r, pad_t, pad_b = 60, 120, 30, 40
    xs = sorted({x for pts in series.values() for x, _ in pts}, key=str)
    values = [v for pts in series.values() for _, v in pts if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<text x="{pad_l}" y="18" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    if not xs or not values:
        parts.append(f'<text x="{pad_l}" y="{height / 2}">no data</text></svg>')
        return "".join(parts)
    lo, hi = min(0.0, min(values)), max(values)
    hi = hi if hi > lo else lo + 1
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    pos = {x: pad_l + (i * plot_w / max(len(xs) - 1, 1)) for i, x in enumerate(xs)}

    def y(v: float) -> float:
        return pad_t + plot_h - (v - lo) / (hi - lo) * plot_h

    for frac in (0.0, 0.5, 1.0):
        v = lo + frac * (hi - lo)
        parts.append(
            f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#e5e7eb"/>'
            f'<text x="{pad_l - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:,.0f}</text>'
        )
    step = max(1, len(xs) // 6)
    for x in xs[::step]:
        parts.append(
            f'<text x="{pos[x]:.1f}" y="{height - 14}" text-anchor="middle">'
            f"{html.escape(str(x))}</text>"
        )
    for i, (name, pts) in enumerate(series.items()):
        color = colors[i % len(colors)]
        coords = [f"{pos[x]:.1f},{y(v):.1f}" for x, v in pts if v is not None]
        if coords:
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                f'points="{" ".join(coords)}"/>'
            )
        parts.append(
            f'<text x="{pad_l + plot_w + 8}" y="{pad_t + 14 * (i + 1)}" fill="{color}">'
            f"{html.escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def show_line_chart(
    series: Mapping[str, Sequence[tuple[Any, float | None]]], *, title: str = ""
) -> None:
    try:
        from IPython.display import SVG
    except ImportError:
        return
    _display(SVG(line_chart_svg(series, title=title)))


def bar_chart_svg(
    bars: Sequence[tuple[str, float]], *, title: str = "", width: int = 720, unit: str = ""
) -> str:
    """Horizontal bars (label, value): for rankings such as margin by lane."""
    row_h, pad_l, pad_t = 22, 200, 30
    height = pad_t + row_h * max(len(bars), 1) + 20
    top = max((abs(v) for _, v in bars), default=1.0) or 1.0
    plot_w = width - pad_l - 120
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<text x="10" y="18" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, (label, v) in enumerate(bars):
        yy = pad_t + i * row_h
        w = abs(v) / top * plot_w
        color = "#059669" if v >= 0 else "#dc2626"
        parts.append(
            f'<text x="{pad_l - 6}" y="{yy + 14}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect x="{pad_l}" y="{yy + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{color}"/>'
            f'<text x="{pad_l + w + 4:.1f}" y="{yy + 14}">{v:,.1f}{html.escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def show_bar_chart(bars: Sequence[tuple[str, float]], *, title: str = "", unit: str = "") -> None:
    try:
        from IPython.display import SVG
    except ImportError:
        return
    _display(SVG(bar_chart_svg(bars, title=title, unit=unit)))


class ProgressBar:
    """A one-line progress bar in the notebook's output, updated in place (backfills)."""

    def __init__(self, label: str, total: int | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self._handle: Any = None
        try:
            from IPython.display import display

            self._handle = display(self._text(), display_id=True)
        except ImportError:  # plain Python: nothing to show
            self._handle = None

    def _text(self) -> str:
        if not self.total:
            return f"{self.label}: {self.done}"
        width = 30
        filled = int(width * self.done / self.total)
        return f"{self.label}: [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"

    def update(self, *_: Any) -> None:
        self.done += 1
        if self._handle is not None:
            self._handle.update(self._text())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.update(self._text())


def progress_bar(label: str, total: int | None = None) -> ProgressBar:
    return ProgressBar(label, total)
