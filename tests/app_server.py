"""Running main.py as a real server process, for the browser tests and the benchmarks."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 60.0

# Debian's Chromium, because `playwright install` cannot download a browser here. Chromium
# refuses to start as root without --no-sandbox; the other flags stop it from contacting
# Google's update and sync services.
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class AppServer:
    """A running biebvoucher process in demo mode with its own data folder."""

    url: str
    data_dir: Path
    log_path: Path
    pid: int

    @property
    def database_path(self) -> Path:
        return self.data_dir / "biebvoucher.sqlite3"

    def error_lines(self) -> list[str]:
        """Return the lines of the server's output that report an error."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if " ERROR " in line or "Traceback" in line]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(
    port: int,
    data_dir: Path,
    extra: dict[str, str] | None = None,
    database_url: str = "",
    smtp_port: int | None = None,
) -> dict[str, str]:
    """Return this process's environment for a demo server on `port` that keeps its data in `data_dir`.

    `extra` adds or overrides variables. An empty `database_url` means a new SQLite file in
    `data_dir`. With `smtp_port`, the server sends mail to an SMTP server on 127.0.0.1 at that
    port, without TLS; otherwise it writes mail to `data_dir/outbox`.
    """
    # NiceGUI treats a set PYTEST_CURRENT_TEST as a screen test and then requires its own port
    # variable, so neither reaches the server. Inherited BIEBVOUCHER_* settings are dropped, and
    # an empty database URL overrides one from .env. NiceGUI's storage folder moves into
    # `data_dir`, so servers started side by side do not share its files.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name != "PYTEST_CURRENT_TEST" and not name.startswith(("NICEGUI_", "BIEBVOUCHER_"))
    }
    environment.update(
        BIEBVOUCHER_PORT=str(port),
        BIEBVOUCHER_HOST="127.0.0.1",
        BIEBVOUCHER_DATA_DIR=str(data_dir),
        BIEBVOUCHER_DEMO="true",
        BIEBVOUCHER_DATABASE_URL=database_url,
        NICEGUI_STORAGE_PATH=str(data_dir / ".nicegui"),
    )
    if smtp_port is not None:
        environment.update(
            BIEBVOUCHER_SMTP_HOST="127.0.0.1", BIEBVOUCHER_SMTP_PORT=str(smtp_port), BIEBVOUCHER_SMTP_SECURITY="none"
        )
    environment.update(extra or {})
    return environment


@contextmanager
def running_app_server(
    data_dir: Path,
    extra_environment: dict[str, str] | None = None,
    database_url: str = "",
    smtp_port: int | None = None,
    script: str = "main.py",
) -> Iterator[AppServer]:
    """Start main.py in demo mode on a free port, wait until /login returns 200, and stop it afterwards.

    An empty `database_url` gives the server a new SQLite file in `data_dir`. Servers that share
    a PostgreSQL database should start one after the other, so only the first loads the demo data.
    `smtp_port` is passed to `server_environment`. `script`, relative to the project root, replaces
    main.py with a starter that calls it, such as scripts/docs_server.py.
    """
    port = free_port()
    log_path = data_dir / "server-output.log"
    with log_path.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (a script of this project, named by its callers)
            [sys.executable, script],
            cwd=PROJECT_ROOT,
            env=server_environment(port, data_dir, extra_environment, database_url, smtp_port),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, log_path=log_path, pid=process.pid)
    logger.info("app server starting pid=%d port=%d", process.pid, port)
    try:
        _wait_until_serving(process, server)
        yield server
    finally:
        _stop(process)


def _wait_until_serving(process: subprocess.Popen[bytes], server: AppServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app server exited with code {process.returncode} while starting:\n{_tail(server)}")
        try:
            with urllib.request.urlopen(f"{server.url}/login", timeout=2) as response:  # noqa: S310  (local http URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"app server timed out: {server.url}/login did not return 200 within {START_TIMEOUT_SECONDS} s:\n"
        f"{_tail(server)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        logger.warning("app server ignored SIGTERM for %d s, killing pid=%d", STOP_TIMEOUT_SECONDS, process.pid)
        process.kill()
        process.wait()


def _tail(server: AppServer, lines: int = 40) -> str:
    text = server.log_path.read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])
