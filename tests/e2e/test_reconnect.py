"""A desk tablet that loses its connection for a minute comes back to the same screen with what was typed."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.app_server import AppServer
from tests.e2e.conftest import TABLET_PORTRAIT, open_desk
from tests.e2e.relay import TcpRelay

# A minute of lost Wi-Fi, plus a margin. It is longer than the 30 s that main.py gives other pages,
# so only the desk page's own 90 s window (DESK_RECONNECT_SECONDS) saves it.
OUTAGE_SECONDS = 65
# Upper bound for the browser to reconnect once the network is back; socket.io retries every few seconds.
RECONNECT_TIMEOUT_MS = 20_000


@pytest.fixture
def relay(app_server: AppServer) -> Iterator[TcpRelay]:
    port = int(app_server.url.rsplit(":", 1)[1])
    relay = TcpRelay(port).start()
    yield relay
    relay.close()


def test_desk_survives_connection_loss(
    browser: Browser,
    browser_context_args,
    relay: TcpRelay,
    app_server: AppServer,
    mailbox,
    issued_code: Callable[[], str],
):
    code = issued_code()
    context = browser.new_context(**{**browser_context_args, **TABLET_PORTRAIT, "base_url": relay.url})
    try:
        desk = context.new_page()
        open_desk(desk, mailbox)
        code_input = desk.get_by_label("Vouchercode")
        code_input.fill(code[:3])
        desk.evaluate("window.e2eNotReloaded = true")

        relay.cut()
        desk.wait_for_timeout(OUTAGE_SECONDS * 1000)
        relay.restore()

        # Typing reaches the server only over a live connection, so a sent digit proves the reconnect.
        expect(code_input).to_have_value(code[:3])
        desk.wait_for_function("() => window.socket && window.socket.connected", timeout=RECONNECT_TIMEOUT_MS)
        assert desk.evaluate("window.e2eNotReloaded") is True, "the desk page was reloaded"
        code_input.press("End")
        code_input.press_sequentially(code[3:])

        # The reconnected page checks and redeems as before the loss.
        expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
        desk.get_by_role("button", name="Innemen").tap()
        expect(desk.get_by_test_id("result-status")).to_have_text("Ingenomen")
        expect(desk.get_by_test_id("redeemed-code")).to_have_text(f"{code[:3]} {code[3:]}")

        # Loading the page again in the same tab, as after a loss longer than the window, keeps the draft.
        code_input.press_sequentially("12")
        expect(code_input).to_have_value("12")
        desk.reload()
        expect(desk.get_by_label("Vouchercode")).to_have_value("12")
    finally:
        context.close()
    assert app_server.error_lines() == []
