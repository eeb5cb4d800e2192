"""Live update: from pressing "Innemen" at the desk until another browser's overview shows "Ingenomen".

The app runs as `main.py` in demo mode in a subprocess on 127.0.0.1, with its own data
folder. Before the browsers open, this process issues fresh vouchers for the demo
intermediary's organisation straight into the app's SQLite file, so they are the newest
rows on the first overview page. Two browser contexts of one Chromium (separate cookies,
as two browsers) log in: library staff on /check, the intermediary on /. The login code
comes from the .eml file the app writes to its outbox folder, and the code of conduct is
accepted when the page shows it.

Each round is timed twice:
- in the pages: the `click` event's timestamp on the desk page to the moment a
  MutationObserver on the overview table finds the chip of that code reading "Ingenomen"
  (both as performance.timeOrigin + milliseconds, the same system clock);
- by the harness: time.perf_counter() in Python from just before Playwright's click() until
  wait_for_function() returns on the overview page, so Playwright's own round trips are included.
"""

import logging
import tempfile
import time
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
from tests.app_server import CHROMIUM_ARGS, CHROMIUM_PATH, running_app_server
from tests.login_mail import outbox_files, wait_for_outbox_code

logger = logging.getLogger(__name__)

ROUNDS = 10
WARMUP_ROUNDS = 1
DESK_EMAIL = "bibliotheek@demo.test"
INTERMEDIARY_EMAIL = "intermediair@demo.test"
ISSUED_LABEL = "Uitgegeven"
REDEEMED_LABEL = "Ingenomen"
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
        with running_app_server(Path(folder)) as server:
            codes = _issue_fresh_vouchers(server.data_dir, WARMUP_ROUNDS + ROUNDS)
            rounds = _run_rounds(server.url, server.data_dir, codes)
        server_errors = server.error_lines()

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


def _run_rounds(base_url: str, data_dir: Path, codes: list[str]) -> list[dict[str, Any]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            desk = browser.new_context(locale="nl-NL").new_page()
            overview = browser.new_context(locale="nl-NL").new_page()
            log_in(desk, base_url, DESK_EMAIL, "/check", data_dir)
            log_in(overview, base_url, INTERMEDIARY_EMAIL, "/", data_dir)
            desk.evaluate(RECORD_CLICKS_JS)
            return [_run_round(desk, overview, code) for code in codes]
        finally:
            browser.close()


def log_in(page: Page, base_url: str, email: str, path: str, data_dir: Path) -> None:
    """Log in as the demo account `email` with the code from the outbox folder, and wait until `path` is open."""
    outbox_dir = data_dir / "outbox"
    page.goto(f"{base_url}/login?redirect_to={path}")
    seen = outbox_files(outbox_dir)
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("login-code").fill(wait_for_outbox_code(outbox_dir, email, seen))
    page.get_by_test_id("code-submit").click()
    page.wait_for_url(lambda url: "/login" not in url and "/auth/" not in url)
    if "/code-of-conduct" in page.url:
        page.get_by_test_id("conduct-accept").click()
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
