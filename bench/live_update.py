"""Live update: from pressing "Innemen" at the desk until another browser's overview shows "Ingenomen".

The app runs as `main.py` in demo mode in a subprocess on 127.0.0.1, with its own data
folder. Before the browsers open, this process issues fresh vouchers for the demo
intermediary's organisation straight into the app's SQLite file, so they are the newest
rows on the first overview page. Two browser contexts of one Chromium (separate cookies,
as two browsers) log in: library staff on /check, the intermediary on /.

Each round is timed twice:
- in the pages: the `click` event's timestamp on the desk page to the moment a
  MutationObserver on the overview table finds the chip of that code reading "Ingenomen"
  (both as performance.timeOrigin + milliseconds, the same system clock);
- by the harness: time.perf_counter() in Python from just before Playwright's click() until
  wait_for_function() returns on the overview page, so Playwright's own round trips are included.
"""

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright
from sqlmodel import select

from bench.data import Datasets
from bench.report import Table
from bench.timing import summarise
from models import Organisation, User, Voucher
from services import db
from services.codes import format_code
from services.demo import DEMO_PASSWORD
from services.vouchers import issue_vouchers

logger = logging.getLogger(__name__)

ROUNDS = 10
WARMUP_ROUNDS = 1
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESK_EMAIL = "bibliotheek@demo.test"
INTERMEDIARY_EMAIL = "intermediair@demo.test"
ISSUED_LABEL = "Uitgegeven"
REDEEMED_LABEL = "Ingenomen"
SERVER_START_TIMEOUT_S = 90
SERVER_STOP_TIMEOUT_S = 15
ROUND_TIMEOUT_MS = 15_000

# Records when the desk's "Innemen" button is clicked. event.timeStamp is relative to performance.timeOrigin.
RECORD_CLICKS_JS = """
() => {
  window.__benchClickedAt = null;
  document.addEventListener('click', (event) => {
    if (event.target.closest('[data-testid=redeem-button]')) {
      window.__benchClickedAt = performance.timeOrigin + event.timeStamp;
    }
  }, true);
}
"""
CHIP_TEXT_JS = """
(code) => {
  for (const link of document.querySelectorAll('[data-testid=voucher-table] [data-testid=voucher-link]')) {
    if (link.textContent.trim() === code) {
      const chip = link.closest('tr')?.querySelector('[data-testid=status-chip]');
      return chip ? chip.textContent.trim() : null;
    }
  }
  return null;
}
"""
# Watches the overview table and stores when the chip of `code` first reads `wanted`.
WATCH_CHIP_JS = f"""
([code, wanted]) => {{
  const chipText = {CHIP_TEXT_JS};
  window.__benchChangedAt = null;
  const table = document.querySelector('[data-testid=voucher-table]');
  const observer = new MutationObserver(() => {{
    if (chipText(code) === wanted) {{
      window.__benchChangedAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }}
  }});
  observer.observe(table, {{subtree: true, childList: true, characterData: true, attributes: true}});
}}
"""


def run(_datasets: Datasets, **_options: Any) -> tuple[list[Table], dict[str, Any]]:
    """Start the app, run the rounds in two browser contexts and stop the app again."""
    with tempfile.TemporaryDirectory(prefix="biebvoucher-live-") as folder:
        data_dir = Path(folder)
        port = _free_port()
        log_path = data_dir / "server-output.log"
        with open(log_path, "wb") as server_log:
            server = _start_server(data_dir, port, server_log)
            try:
                _wait_until_ready(port, server, log_path)
                codes = _issue_fresh_vouchers(data_dir, WARMUP_ROUNDS + ROUNDS)
                rounds = _run_rounds(f"http://127.0.0.1:{port}", codes)
            finally:
                _stop_server(server)
        server_errors = _error_lines(log_path)

    measured = rounds[WARMUP_ROUNDS:]
    in_page = summarise([r["in_page_ms"] for r in measured])
    harness = summarise([r["harness_ms"] for r in measured])
    table = Table(
        "Live update: click on Innemen until the other browser's overview shows Ingenomen, ms",
        ["timed by", "rounds", "p50", "p95", "min", "max"],
    )
    for name, summary in (("in the pages", in_page), ("harness (Python)", harness)):
        table.add(name, summary.count, summary.p50_ms, summary.p95_ms, summary.min_ms, summary.max_ms)
    table.notes = [
        f"App in demo mode on SQLite, one Chromium with two contexts; {WARMUP_ROUNDS} untimed round first.",
        f"Error lines in the app's output during the run: {len(server_errors)}.",
    ]
    details = {
        "rounds": rounds,
        "in_page": in_page.to_json(),
        "harness": harness.to_json(),
        "server_error_lines": server_errors[:20],
    }
    return [table], details


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_environment(data_dir: Path, port: int) -> dict[str, str]:
    """Return this process's environment without test and app settings, plus the demo server's own."""
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
    )
    return environment


def _start_server(data_dir: Path, port: int, output: Any) -> subprocess.Popen[bytes]:
    logger.info("starting the app on 127.0.0.1:%d", port)
    return subprocess.Popen(
        [sys.executable, "main.py"],
        cwd=db.PROJECT_ROOT,
        env=_server_environment(data_dir, port),
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def _wait_until_ready(port: int, server: subprocess.Popen[bytes], log_path: Path) -> None:
    """Poll /login until it returns HTTP 200. Raise with the app's last output if the app exits or times out."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    url = f"http://127.0.0.1:{port}/login"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app exited with code {server.returncode} while starting:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"starting the app timed out: {url} did not respond within {SERVER_START_TIMEOUT_S} s. "
        f"Last output:\n{_tail(log_path)}"
    )


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        logger.warning("the app did not stop within %d s of SIGTERM, killing pid %d", SERVER_STOP_TIMEOUT_S, server.pid)
        server.kill()
        server.wait()


def _tail(log_path: Path, lines: int = 30) -> str:
    return "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _error_lines(log_path: Path) -> list[str]:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if " ERROR " in line or "Traceback" in line]


def _issue_fresh_vouchers(data_dir: Path, count: int) -> list[str]:
    """Issue `count` vouchers as the demo intermediary in the app's database and return their codes, newest first.

    Lifts the organisation's open-voucher limit first, because the demo data already has
    up to 12 open vouchers per organisation against a default limit of 25.
    """
    url = f"sqlite:///{(data_dir / 'biebvoucher.sqlite3').resolve()}"
    db.configure(url)
    try:
        with db.write_session() as session:
            user = session.exec(select(User).where(User.email == INTERMEDIARY_EMAIL)).one()
            organisation = session.get(Organisation, user.organisation_id)
            if organisation is None:
                raise RuntimeError(f"organisation {user.organisation_id} of {INTERMEDIARY_EMAIL} not found")
            organisation.max_open_vouchers = 1_000
            session.add(organisation)
            user_id = user.id or 0
        voucher_ids: list[int] = []
        remaining = count
        while remaining:
            # Ten per request is the default maximum of BIEBVOUCHER_MAX_VOUCHERS_PER_REQUEST.
            number = min(remaining, 10)
            voucher_ids += issue_vouchers(actor_id=user_id, count=number)
            remaining -= number
        with db.read_session() as session:
            by_id = dict(session.exec(select(Voucher.id, Voucher.code).where(Voucher.id.in_(voucher_ids))).all())  # type: ignore[union-attr]
    finally:
        db.get_engine().dispose()
    return [by_id[voucher_id] for voucher_id in reversed(voucher_ids)]


def _run_rounds(base_url: str, codes: list[str]) -> list[dict[str, Any]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            desk = browser.new_context(locale="nl-NL").new_page()
            overview = browser.new_context(locale="nl-NL").new_page()
            _log_in(desk, base_url, DESK_EMAIL, "/check")
            _log_in(overview, base_url, INTERMEDIARY_EMAIL, "/")
            desk.evaluate(RECORD_CLICKS_JS)
            return [_run_round(desk, overview, code) for code in codes]
        finally:
            browser.close()


def _log_in(page: Page, base_url: str, email: str, path: str) -> None:
    page.goto(f"{base_url}/login?redirect_to={path}")
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(f"{base_url}{path}")


def _run_round(desk: Page, overview: Page, code: str) -> dict[str, Any]:
    """Check `code` at the desk, press Innemen, and wait until the overview shows it redeemed."""
    printed_code = format_code(code)
    overview.wait_for_function(
        f"(code) => ({CHIP_TEXT_JS})(code) === {ISSUED_LABEL!r}", arg=printed_code, timeout=ROUND_TIMEOUT_MS
    )
    overview.evaluate(WATCH_CHIP_JS, [printed_code, REDEEMED_LABEL])

    desk.get_by_test_id("code-input").fill(code)
    redeem_button = desk.get_by_test_id("redeem-button")
    redeem_button.wait_for(state="visible", timeout=ROUND_TIMEOUT_MS)
    desk.evaluate("() => { window.__benchClickedAt = null; }")

    started = time.perf_counter()
    redeem_button.click()
    overview.wait_for_function("() => window.__benchChangedAt !== null", polling=5, timeout=ROUND_TIMEOUT_MS)
    harness_ms = (time.perf_counter() - started) * 1000

    clicked_at = desk.evaluate("() => window.__benchClickedAt")
    changed_at = overview.evaluate("() => window.__benchChangedAt")
    if clicked_at is None:
        raise RuntimeError(f"the desk page recorded no click on Innemen for {printed_code}")
    # The desk must show its own result too, or the round measured something other than a redemption.
    desk.get_by_test_id("result-status").filter(has_text=REDEEMED_LABEL).wait_for(timeout=ROUND_TIMEOUT_MS)
    # Both page timestamps are epoch milliseconds, coarsened by Chromium to 0.1 ms.
    return {"code": printed_code, "in_page_ms": round(changed_at - clicked_at, 1), "harness_ms": round(harness_ms, 1)}
