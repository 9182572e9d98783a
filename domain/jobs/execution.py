"""Executing one notebook with papermill in a kernel this module controls, and rendering it.

The runner needs three things papermill alone does not give: the kernel's environment (the
database URL goes to the kernel through its environment, never into the executed notebook that
finance reads), a per-*run* timeout (papermill's ``execution_timeout`` is per cell), and a way to
stop a run (scheduler shutdown). So the kernel manager class handed to papermill/nbclient starts
the kernel with our environment and reports its process group; a watchdog thread kills that
group when the deadline passes or the run is cancelled, nbclient sees the dead kernel within a
second and papermill stops, leaving the notebook executed so far on disk.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _import_nbformat() -> Any:
    """``import nbformat`` without jsonschema's optional IRI format checker.

    nbformat imports jsonschema, whose format module imports ``rfc3987_syntax`` when installed
    (it is, through jupyter-events); that package compiles 39 Lark grammars at import: 1.2 of
    nbformat's 1.3 s (measured, ``python -X importtime``), paid by every CLI run. Notebook
    validation never checks the "iri" formats, so jsonschema is imported with the module hidden
    (jsonschema skips that checker on ImportError) and the module is importable again after.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import jsonschema  # noqa: F401
        finally:
            del sys.modules["rfc3987_syntax"]
    import nbformat as module

    return module


nbformat = _import_nbformat()


class KernelNotInstalled(RuntimeError):
    pass


@dataclass
class Execution:
    ok: bool
    timed_out: bool = False
    cancelled: bool = False
    error: str | None = None
    error_cell: str | None = None
    seconds: float = 0.0
    notebook: Any = None  # the executed nbformat NotebookNode (also when it failed)


def code_cell_count(path: Path) -> int:
    nb = nbformat.read(str(path), as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code")


class _Watchdog:
    """Kills the kernel's process group at the deadline or on cancel."""

    def __init__(self, deadline: float, cancel: tuple[threading.Event, ...]) -> None:
        self.deadline = deadline
        self.cancel = cancel
        self.pgid: int | None = None
        self.pid: int | None = None
        self.timed_out = False
        self.cancelled = False
        self._done = threading.Event()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="job-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def kernel_started(self, pid: int | None, pgid: int | None) -> None:
        self.pid, self.pgid = pid, pgid
        self._started.set()

    def stop(self) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        while not self._done.is_set():
            if any(event.is_set() for event in self.cancel):
                self.cancelled = True
                break
            if time.monotonic() >= self.deadline:
                self.timed_out = True
                break
            self._done.wait(0.2)
        else:
            return
        # Deadline or cancel: kill the kernel now, or as soon as it exists.
        while not self._done.is_set():
            if self._kill():
                return
            self._done.wait(0.2)

    def _kill(self) -> bool:
        if self.pid is None:
            return False
        log.warning(
            "killing kernel pid %s (%s)", self.pid, "timeout" if self.timed_out else "cancel"
        )
        try:
            if self.pgid and hasattr(os, "killpg"):
                os.killpg(self.pgid, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return True


def _kernel_manager_class(
    env: dict[str, str], cwd: Path, watchdog: _Watchdog, log_file: Any
) -> type:
    from jupyter_client.manager import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            # IPC sockets, not TCP: kernels started at once by several processes race for free
            # TCP ports (measured: "Address already in use", then a 60 s hang); socket files
            # in a private folder cannot collide, and stay off the network.
            self.transport = "ipc"
            self.ip = str(_ipc_dir() / secrets.token_hex(6))
            kw["env"] = env
            kw["cwd"] = str(cwd)
            if log_file is not None:  # the kernel's own stdout/stderr: kept beside the run
                kw["stdout"] = kw["stderr"] = log_file
            await super().start_kernel(**kw)
            prov = self.provisioner
            process = getattr(prov, "process", None)
            watchdog.kernel_started(getattr(process, "pid", None), getattr(prov, "pgid", None))

    return RunKernelManager


def _ipc_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / f"vcc-kernels-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _failing_cell(exc: Any) -> str | None:
    count = getattr(exc, "exec_count", None)
    source = getattr(exc, "source", None) or ""
    first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    if count is None and not first:
        return None
    label = f"cell [{count}]" if count is not None else "cell"
    return f"{label}: {first}"[:255] if first else label


def execute(
    source: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    kernel_name: str,
    timeout_seconds: float,
    env: dict[str, str],
    cwd: Path,
    cancel: tuple[threading.Event, ...] = (),
    on_cell: Callable[[int], None] | None = None,
    kernel_log: Path | None = None,
) -> Execution:
    """Run ``source`` into ``output`` with ``parameters``. Never raises for notebook errors;
    setting any of the ``cancel`` events kills the kernel (the run is then ``cancelled``)."""
    import papermill as pm
    from jupyter_client.kernelspec import NoSuchKernel
    from papermill.exceptions import PapermillExecutionError

    started = time.monotonic()
    watchdog = _Watchdog(started + timeout_seconds, cancel)
    done = 0

    def cell_executed(**_: Any) -> None:
        nonlocal done
        done += 1
        if on_cell is not None:
            try:
                on_cell(done)
            except Exception:  # progress is a nicety; never fail the run for it
                log.exception("progress callback failed")

    watchdog.start()
    warm_html_exporter()
    result = Execution(ok=False)
    log_file = open(kernel_log, "ab") if kernel_log is not None else None  # noqa: SIM115
    try:
        pm.execute_notebook(
            str(source),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=True,
            kernel_manager_class=_kernel_manager_class(env, cwd, watchdog, log_file),
            shutdown_kernel="immediate",
            on_cell_executed=cell_executed,
        )
        result.ok = True
    except NoSuchKernel as exc:
        raise KernelNotInstalled(
            f"no Jupyter kernel named {kernel_name!r}: run `make venv` (it runs "
            f"`python -m ipykernel install --sys-prefix --name {kernel_name}`)"
        ) from exc
    except PapermillExecutionError as exc:
        result.error = f"{exc.ename}: {exc.evalue}"[:4000]
        result.error_cell = _failing_cell(exc)
    except Exception as exc:  # DeadKernelError after a kill, kernel start failures, ...
        result.error = f"{type(exc).__name__}: {exc}"[:4000]
    finally:
        watchdog.stop()
        if log_file is not None:
            log_file.close()
    result.seconds = time.monotonic() - started
    result.timed_out = watchdog.timed_out
    result.cancelled = watchdog.cancelled and not watchdog.timed_out
    if result.timed_out or result.cancelled:
        result.ok = False
        why = (
            f"timed out after {timeout_seconds:g} s: the kernel was killed"
            if result.timed_out
            else "cancelled (the scheduler is shutting down): the kernel was killed"
        )
        result.error = why
        result.error_cell = result.error_cell or f"cell {done + 1} of the notebook's code cells"
    if output.exists():
        result.notebook = nbformat.read(str(output), as_version=4)
        if not result.ok and (result.timed_out or result.cancelled):
            _add_banner(output, result.notebook, result.error or "stopped")
    return result


def _add_banner(path: Path, nb: Any, message: str) -> None:
    """Papermill adds its own red banner for a cell error; a killed kernel gets ours."""
    cell = nbformat.v4.new_markdown_cell(
        f'<span style="color:red; font-size:1.3em">**Run stopped: {message}.** '
        "The cells below show what had run by then.</span>"
    )
    cell.metadata["tags"] = ["vcc-status"]
    nb.cells.insert(0, cell)
    nbformat.write(nb, str(path))


# -- results ------------------------------------------------------------------------------------


def tagged_result(nb: Any) -> dict[str, Any] | None:
    """The application/json output of the cell tagged ``results`` (found by tag, never by index:
    papermill inserts its error banner as cell 0)."""
    if nb is None:
        return None
    for cell in nb.cells:
        if "results" not in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "application/json" in data:
                value = data["application/json"]
                return dict(value) if isinstance(value, dict) else None
    return None


# -- HTML -----------------------------------------------------------------------------------------

_exporter: Any = None
_exporter_lock = threading.Lock()


def _html_exporter() -> Any:
    """The process's exporter (call with ``_exporter_lock`` held)."""
    global _exporter
    if _exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="lab", exclude_input=True)
        exporter.from_notebook_node(nbformat.v4.new_notebook())  # loads the templates
        _exporter = exporter
    return _exporter


def warm_html_exporter() -> None:
    """Import nbconvert and load its templates (0.7 s cold) in a background thread while the
    kernel runs, so the first run of a process does not pay for it after the notebook."""

    def warm() -> None:
        try:
            with _exporter_lock:
                _html_exporter()
        except Exception:  # render_html will report it
            log.debug("warming the HTML exporter failed", exc_info=True)

    if _exporter is None:
        threading.Thread(target=warm, name="html-warmup", daemon=True).start()


def render_html(nb: Any, target: Path) -> None:
    """HTML for reviewers: the lab template without code inputs (0.1-0.2 s warm)."""
    with _exporter_lock:
        body, _ = _html_exporter().from_notebook_node(nb)
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, target)
