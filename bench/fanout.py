"""Live updates at scale and the desk in a real browser: 1, 10 and 50 open overviews, memory, click-to-result.

The app runs as `main.py` in demo mode in a subprocess (SQLite, its own data folder). One
Chromium shows a desk page (library staff on /check) and up to 50 overview pages of the demo
intermediary, each its own NiceGUI client subscribed to live updates. Timings are taken in the
pages, as `performance.timeOrigin + ...` on the machine's one clock:

- fan-out: from the `click` on "Innemen" to the moment each open overview's chip for that code
  reads "Ingenomen" (a MutationObserver per page); per round also until the last page shows it;
- desk check: from the input event of the sixth digit to the result card's status text;
- desk redemption: from the `click` on "Innemen" to the desk's own "Ingenomen".

Server memory is the resident set size (VmRSS) of the app process, read from /proc, before the
browser connects and with 1, 10 and 50 overviews open.
"""

import logging
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, sync_playwright
from prometheus_client.parser import text_string_to_metric_families

from bench.data import Datasets
from bench.live_update import (
    CHIP_TEXT_JS,
    DESK_EMAIL,
    INTERMEDIARY_EMAIL,
    ISSUED_LABEL,
    RECORD_CLICKS_JS,
    REDEEMED_LABEL,
    ROUND_TIMEOUT_MS,
    WATCH_CHIP_JS,
    _issue_fresh_vouchers,
    log_in,
)
from bench.report import Table
from bench.timing import summarise
from services.codes import format_code
from tests.app_server import CHROMIUM_ARGS, CHROMIUM_PATH, running_app_server

logger = logging.getLogger(__name__)

OVERVIEW_COUNTS = (1, 10, 50)
ROUNDS_PER_COUNT = 5
WARMUP_ROUNDS = 1
DESK_ROUNDS = 20

# Records the input event of the sixth digit and when the result card's status first changes after it.
WATCH_DESK_JS = """
() => {
  window.__benchTyped = null; window.__benchResult = null;
  const input = document.querySelector('[data-testid=code-input] input, input[data-testid=code-input]');
  input.addEventListener('input', (event) => {
    if (input.value.replace(/\\D/g, '').length === 6) {
      window.__benchTyped = performance.timeOrigin + event.timeStamp; window.__benchResult = null;
    }
  }, true);
  const observer = new MutationObserver(() => {
    const status = document.querySelector('[data-testid=result-status]');
    if (window.__benchTyped !== null && window.__benchResult === null && status) {
      window.__benchResult = {at: performance.timeOrigin + performance.now(), text: status.textContent.trim()};
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""
WAIT_REDEEMED_JS = f"""
() => {{
  const status = document.querySelector('[data-testid=result-status]');
  return status && status.textContent.trim() === {REDEEMED_LABEL!r}
    ? performance.timeOrigin + performance.now() : null;
}}
"""


def run(_datasets: Datasets, **_options: Any) -> tuple[list[Table], dict[str, Any]]:
    """Start the app, measure fan-out, desk and memory, and stop it again."""
    with tempfile.TemporaryDirectory(prefix="biebvoucher-fanout-") as folder:
        with running_app_server(Path(folder)) as server:
            # Newest first: the fan-out codes must be on the overview's first page, the desk's need not.
            codes = _issue_fresh_vouchers(
                server.data_dir, DESK_ROUNDS + len(OVERVIEW_COUNTS) * (WARMUP_ROUNDS + ROUNDS_PER_COUNT)
            )
            desk_codes, fan_codes = codes[-DESK_ROUNDS:], codes[:-DESK_ROUNDS]
            results = _measure(server.url, server.pid, server.data_dir, fan_codes, desk_codes)
        errors = server.error_lines()
    return _tables(results, errors), {**results, "server_error_lines": errors[:20]}


def resident_megabytes(pid: int) -> float:
    """Return the resident set size of process `pid` in MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def _measure(url: str, pid: int, data_dir: Path, fan_codes: list[str], desk_codes: list[str]) -> dict[str, Any]:
    memory = {"before browsers": resident_megabytes(pid)}
    fan_out: dict[int, dict[str, Any]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            desk = browser.new_context(locale="nl-NL").new_page()
            log_in(desk, url, DESK_EMAIL, "/check", data_dir)
            desk.evaluate(RECORD_CLICKS_JS)
            desk.evaluate(WATCH_DESK_JS)
            desk_figures = _desk_rounds(desk, desk_codes)
            overview_context = browser.new_context(locale="nl-NL")
            overviews = [overview_context.new_page()]
            log_in(overviews[0], url, INTERMEDIARY_EMAIL, "/", data_dir)
            remaining = list(fan_codes)
            for count in OVERVIEW_COUNTS:
                _open_overviews(overview_context, overviews, url, count)
                time.sleep(1)
                memory[f"{count} overviews open"] = resident_megabytes(pid)
                before = server_fan_out(url)
                rounds = [
                    _fan_out_round(desk, overviews, remaining.pop()) for _ in range(WARMUP_ROUNDS + ROUNDS_PER_COUNT)
                ]
                fan_out[count] = {"rounds": rounds[WARMUP_ROUNDS:], "server": server_fan_out(url, before)}
            memory["after the rounds, 50 open"] = resident_megabytes(pid)
        finally:
            browser.close()
    return {"memory_mib": memory, "fan_out": fan_out, "desk": desk_figures}


def server_fan_out(url: str, before: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read the server's live-update histogram from /metrics; with `before`, return the change since then.

    The histogram times each change from its arrival in the process until every open overview
    that shows it was updated, so it leaves out the browsers' own rendering.
    """
    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as response:  # noqa: S310  (local http URL)
        text = response.read().decode()
    buckets: dict[float, float] = {}
    total = {"sum": 0.0, "count": 0.0}
    for family in text_string_to_metric_families(text):
        if family.name != "biebvoucher_live_update_seconds":
            continue
        for sample in family.samples:
            if sample.name.endswith("_bucket"):
                buckets[float(sample.labels["le"])] = sample.value
            elif sample.name.endswith("_sum"):
                total["sum"] = sample.value
            elif sample.name.endswith("_count"):
                total["count"] = sample.value
    now = {"buckets": buckets, **total}
    if before is None:
        return now
    count = now["count"] - before["count"]
    changes = {bound: value - before["buckets"].get(bound, 0.0) for bound, value in buckets.items()}
    # The smallest bucket bound with at least 95% of the changes at or below it is an upper limit of p95.
    p95_bound = min((bound for bound, value in changes.items() if count and value >= 0.95 * count), default=None)
    return {
        "changes": int(count),
        "mean_ms": round(1000 * (now["sum"] - before["sum"]) / count, 1) if count else None,
        "p95_at_most_ms": round(1000 * p95_bound, 1) if p95_bound is not None else None,
    }


def _open_overviews(context: BrowserContext, overviews: list[Page], url: str, count: int) -> None:
    while len(overviews) < count:
        page = context.new_page()
        page.goto(f"{url}/")
        page.get_by_test_id("voucher-table").wait_for(timeout=ROUND_TIMEOUT_MS)
        overviews.append(page)


def _fan_out_round(desk: Page, overviews: list[Page], code: str) -> dict[str, Any]:
    printed = format_code(code)
    for page in overviews:
        page.wait_for_function(
            f"(code) => ({CHIP_TEXT_JS})(code) === {ISSUED_LABEL!r}", arg=printed, timeout=ROUND_TIMEOUT_MS
        )
        page.evaluate(WATCH_CHIP_JS, [printed, REDEEMED_LABEL])
    desk.get_by_test_id("code-input").fill(code)
    button = desk.get_by_test_id("redeem-button")
    button.wait_for(state="visible", timeout=ROUND_TIMEOUT_MS)
    desk.evaluate("() => { window.__benchClickedAt = null; }")
    button.click()
    changed = []
    for page in overviews:
        page.wait_for_function("() => window.__benchChangedAt !== null", polling=10, timeout=ROUND_TIMEOUT_MS)
        changed.append(page.evaluate("() => window.__benchChangedAt"))
    clicked = desk.evaluate("() => window.__benchClickedAt")
    if clicked is None:
        raise RuntimeError(f"the desk recorded no click on Innemen for {printed}")
    delays = [round(moment - clicked, 1) for moment in changed]
    return {"code": printed, "per_page_ms": delays, "last_page_ms": max(delays)}


def _desk_rounds(desk: Page, codes: list[str]) -> dict[str, Any]:
    checks: list[float] = []
    redemptions: list[float] = []
    for code in codes:
        desk.evaluate("() => { window.__benchTyped = null; window.__benchResult = null; }")
        desk.get_by_test_id("code-input").press_sequentially(code, delay=20)
        desk.wait_for_function("() => window.__benchResult !== null", polling=5, timeout=ROUND_TIMEOUT_MS)
        typed, result = desk.evaluate("() => [window.__benchTyped, window.__benchResult]")
        if result["text"] == REDEEMED_LABEL or typed is None:
            raise RuntimeError(f"the desk check of {format_code(code)} did not show a fresh result: {result}")
        checks.append(result["at"] - typed)
        desk.evaluate("() => { window.__benchClickedAt = null; }")
        desk.get_by_test_id("redeem-button").click()
        redeemed_at = desk.wait_for_function(WAIT_REDEEMED_JS, polling=5, timeout=ROUND_TIMEOUT_MS).json_value()
        clicked = desk.evaluate("() => window.__benchClickedAt")
        redemptions.append(redeemed_at - clicked)
    return {
        "check_ms": summarise(checks[WARMUP_ROUNDS:]).to_json(),
        "redeem_ms": summarise(redemptions[WARMUP_ROUNDS:]).to_json(),
    }


def _tables(results: dict[str, Any], errors: list[str]) -> list[Table]:
    fan = Table(
        "Live update to many open overviews: click on Innemen until each overview shows Ingenomen, ms",
        [
            "overviews",
            "rounds",
            "page p50",
            "page p95",
            "last page p50",
            "last page p95",
            "max",
            "server mean",
            "server p95 at most",
        ],
    )
    for count, figures in results["fan_out"].items():
        pages = summarise([delay for round_ in figures["rounds"] for delay in round_["per_page_ms"]])
        last = summarise([round_["last_page_ms"] for round_ in figures["rounds"]])
        server = figures["server"]
        fan.add(
            count,
            len(figures["rounds"]),
            pages.p50_ms,
            pages.p95_ms,
            last.p50_ms,
            last.p95_ms,
            pages.max_ms,
            server["mean_ms"],
            server["p95_at_most_ms"],
        )
    fan.notes = [
        f"One Chromium, all overview pages in one context; {WARMUP_ROUNDS} untimed round per size.",
        "server: the app's live-update histogram from /metrics (arrival of the change until every page",
        "was sent its update), so without the browsers' rendering; its p95 is a histogram bucket bound.",
        "All 50 pages render in one Chromium on the same 2 cores as the server, which the page columns include.",
        "Target: p95 within 300 ms in all 50 overviews.",
        f"Error lines in the app's output during the run: {len(errors)}.",
    ]
    desk = Table(
        "Desk in the browser: click-to-result, ms",
        ["step", "rounds", "p50", "p95", "min", "max"],
    )
    for name, key in (("check (sixth digit to result)", "check_ms"), ("Innemen (click to Ingenomen)", "redeem_ms")):
        figures = results["desk"][key]
        desk.add(name, figures["count"], figures["p50_ms"], figures["p95_ms"], figures["min_ms"], figures["max_ms"])
    desk.notes = ["Target: under 50 ms click-to-result."]
    memory = Table("Server memory (resident set size), MiB", ["moment", "MiB"])
    for moment, megabytes in results["memory_mib"].items():
        memory.add(moment, round(megabytes, 1))
    memory.notes = ["Target: under 250 MB with 50 open overviews."]
    return [fan, desk, memory]
