"""Run the Temporal dev server (with its Web UI) from the ``temporal`` binary."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flowkit.errors import UsageError
from flowkit.runtime._binaries import find_temporal_cli

__all__ = ["TUNED_DYNAMIC_CONFIG", "TUNED_SQLITE_PRAGMAS", "DevServer", "port_open", "stop_process"]

# --- flowkit dev's tuning (docs/performance.md measures each value) -------------------
# Dynamic-config values `flowkit dev` passes unless --stock; features flowkit uses first,
# then the latency levers.
TUNED_DYNAMIC_CONFIG: tuple[tuple[str, str], ...] = (
    ("frontend.enableExecuteMultiOperation", "true"),  # update-with-start
    ("frontend.enableUpdateWorkflowExecution", "true"),  # workflow updates
    ("frontend.activityAPIsEnabled", "true"),  # activity pause / reset
    ("frontend.enableCancelWorkerPollsOnShutdown", "true"),  # fast worker shutdown
    ("frontend.workerHeartbeatsEnabled", "true"),
    ("system.forceSearchAttributesCacheRefreshOnRead", "true"),
    ("system.enableEagerWorkflowStart", "true"),
    ("system.enableActivityEagerExecution", "true"),
    ("history.timerProcessorMaxTimeShift", '"10ms"'),  # 10 ms timers fire in ~10 ms, not ~1 s
)
# SQLite pragmas for the db file (not for --in-memory): a crash of the machine may lose
# the last writes; a crash of the server process does not.
TUNED_SQLITE_PRAGMAS: tuple[str, ...] = ("journal_mode=WAL", "synchronous=OFF")


def tuning_args(*, stock: bool, db_file: Path | None) -> list[str]:
    """The extra ``start-dev`` arguments of flowkit's tuning; none when ``stock``."""
    if stock:
        return []
    args: list[str] = []
    for key, value in TUNED_DYNAMIC_CONFIG:
        args += ["--dynamic-config-value", f"{key}={value}"]
    if db_file is not None:
        for pragma in TUNED_SQLITE_PRAGMAS:
            args += ["--sqlite-pragma", pragma]
    return args


# --- end of flowkit dev's tuning ------------------------------------------------------


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class DevServer:
    """``temporal server start-dev`` with flowkit's choices.

    Attributes:
        port: the gRPC frontend port (clients connect here).
        ui_port: the Web UI port.
        db_file: the SQLite file runs persist to; ``None`` keeps them in memory.
        ip: the address to bind.
        namespace: a namespace to create besides ``default``.
        stock: run Temporal's own defaults instead of flowkit's latency tuning.
        codec_endpoint: a codec server the Web UI decodes payloads with.
    """

    port: int = 7233
    ui_port: int = 8233
    db_file: Path | None = Path(".flowkit") / "temporal.db"
    ip: str = "127.0.0.1"
    namespace: str = "default"
    stock: bool = False
    codec_endpoint: str | None = None

    @property
    def address(self) -> str:
        """The frontend address for clients."""
        return f"{self.ip}:{self.port}"

    @property
    def ui_url(self) -> str:
        """The Web UI's address."""
        return f"http://{self.ip}:{self.ui_port}"

    def command(self) -> list[str]:
        """The command line that starts the server."""
        cmd = [
            find_temporal_cli(),
            "server",
            "start-dev",
            "--ip",
            self.ip,
            "--port",
            str(self.port),
            "--ui-port",
            str(self.ui_port),
            "--log-level",
            "error",
        ]
        if self.namespace != "default":
            cmd += ["--namespace", self.namespace]
        if self.db_file is not None:
            cmd += ["--db-filename", str(self.db_file)]
        if self.codec_endpoint:
            cmd += ["--ui-codec-endpoint", self.codec_endpoint]
        return cmd + tuning_args(stock=self.stock, db_file=self.db_file)

    def start(self, timeout: float = 30.0) -> subprocess.Popen[bytes]:
        """Start the server and wait until its frontend and UI accept connections.

        Raises:
            UsageError: a port is taken, or the server exited or did not come up in time.
        """
        for port in (self.port, self.ui_port):
            if port_open(self.ip, port):
                raise UsageError(
                    f"port {port} on {self.ip} is in use (is a Temporal server already "
                    "running?); pick others with --port/--ui-port"
                )
        if self.db_file is not None:
            self.db_file.parent.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(self.command(), preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise UsageError(f"the Temporal dev server exited with code {process.returncode}")
            if port_open(self.ip, self.port) and self._healthy():
                return process
            time.sleep(0.1)
        process.terminate()
        raise UsageError(f"the Temporal dev server did not start within {timeout:.0f}s")

    def _healthy(self) -> bool:
        # The frontend opens its port before it serves; the UI answers for a namespace
        # only once the frontend does.
        url = f"{self.ui_url}/api/v1/namespaces/{self.namespace}"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def run(self, on_ready: Callable[[DevServer], None]) -> int:
        """Start the server, call ``on_ready``, and serve until Ctrl-C or SIGTERM.

        Returns 0 after a requested stop, else the server's own exit code.
        """
        stop = threading.Event()
        # Explicit handlers: a process started with SIGINT ignored (a background job)
        # would otherwise never see Ctrl-C.
        previous = {
            sig: signal.signal(sig, lambda *_: stop.set())
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        process = self.start()
        try:
            on_ready(self)
            while process.poll() is None and not stop.wait(0.2):
                pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            stop_process(process)
        return 0 if stop.is_set() else int(process.returncode or 0)


def _die_with_parent() -> None:
    """In the server's child process: end it when flowkit's process ends, even killed.

    Linux only (``PR_SET_PDEATHSIG``); elsewhere a killed ``flowkit dev`` leaves the
    server running, as any parent would.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def stop_process(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Ask a server process to stop (SIGINT, its own graceful stop); kill it after ``grace``."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
