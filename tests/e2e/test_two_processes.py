"""Two app processes on one PostgreSQL database: a redemption in one shows in the other's overview."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.app_server import AppServer, running_app_server
from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL, TABLET_PORTRAIT, log_in, open_desk
from tests.mail_server import MailCatcher

# The overview of the other process must show the redemption within this many milliseconds.
LIVE_UPDATE_TIMEOUT_MS = 1000


@pytest.fixture(scope="module")
def two_servers(
    postgres_database: str, tmp_path_factory: pytest.TempPathFactory, mail_server: tuple[MailCatcher, int]
) -> Iterator[tuple[AppServer, ...]]:
    """Start two servers one after the other on one PostgreSQL database; the first loads the demo data."""
    try:
        with (
            running_app_server(
                tmp_path_factory.mktemp("process-a"), database_url=postgres_database, smtp_port=mail_server[1]
            ) as first,
            running_app_server(
                tmp_path_factory.mktemp("process-b"), database_url=postgres_database, smtp_port=mail_server[1]
            ) as second,
        ):
            yield first, second
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture
def context_on(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Callable[..., BrowserContext]]:
    """Return a function that opens a browser context on a given server; all are closed afterwards."""
    contexts: list[BrowserContext] = []

    def open_context(server: AppServer, **options: Any) -> BrowserContext:
        context = browser.new_context(**{**browser_context_args, **options, "base_url": server.url})
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def test_redemption_in_one_process_updates_other(two_servers, context_on, mailbox):
    desk_server, overview_server = two_servers
    assert desk_server.url != overview_server.url
    overview = context_on(overview_server, **DESKTOP).new_page()
    desk = context_on(desk_server, **TABLET_PORTRAIT).new_page()
    log_in(overview, mailbox, INTERMEDIARY_EMAIL)
    open_desk(desk, mailbox)

    # A voucher created in the overview's process appears at the top of its page 1.
    overview.get_by_role("button", name="Vouchers aanmaken").click()
    dialog = overview.get_by_test_id("create-dialog")
    dialog.get_by_label("Aantal vouchers").fill("1")
    dialog.get_by_role("button", name="Aanmaken", exact=True).click()
    expect(dialog).to_be_hidden()
    top_row = overview.get_by_test_id("voucher-table").locator("tbody tr").first
    expect(top_row).to_have_class(re.compile(r"\bselected\b"))
    code = top_row.get_by_test_id("voucher-link").inner_text().strip()
    row = overview.get_by_role("row").filter(has=overview.get_by_role("link", name=code, exact=True))
    expect(row.get_by_test_id("status-chip")).to_have_text("Uitgegeven")
    overview.evaluate("window.e2eNotReloaded = true")

    # The desk is served by the other process.
    desk.get_by_label("Vouchercode").fill(code.replace(" ", ""))
    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    desk.get_by_role("button", name="Innemen").tap()
    expect(desk.get_by_test_id("result-status")).to_have_text("Ingenomen")

    expect(row.get_by_test_id("status-chip")).to_have_text("Ingenomen", timeout=LIVE_UPDATE_TIMEOUT_MS)
    assert overview.evaluate("window.e2eNotReloaded") is True, "the overview page was reloaded"
    assert desk_server.error_lines() == []
    assert overview_server.error_lines() == []
