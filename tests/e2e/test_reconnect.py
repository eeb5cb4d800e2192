"""A desk tablet that loses its connection comes back to the same screen with what was typed."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.app_server import AppServer
from tests.e2e.conftest import TABLET_PORTRAIT, open_desk
from tests.e2e.relay import TcpRelay

# Longer than the 30 s that main.py gives other pages, so only the desk page's own window saves it.
OUTAGE_SECONDS = 35
# Upper bound for the browser to reconnect once the network is back; socket.io retries every few seconds.
RECONNECT_TIMEOUT_MS = 20_000


@pytest.fixture
def relay(app_server: AppServer) -> Iterator[TcpRelay]:
    port = int(app_server.url.rsplit(":", 1)[1])
    relay = TcpRelay(port).start()
    yield relay
    relay.close()


def test_desk_survives_connection_loss(
    browser: Browser, browser_context_args, relay: TcpRelay, app_server: AppServer, mailbox
):
    context = browser.new_context(**{**browser_context_args, **TABLET_PORTRAIT, "base_url": relay.url})
    try:
        desk = context.new_page()
        open_desk(desk, mailbox)
        code_input = desk.get_by_label("Vouchercode")
        code_input.fill("123")
        desk.evaluate("window.e2eNotReloaded = true")

        relay.cut()
        desk.wait_for_timeout(OUTAGE_SECONDS * 1000)
        relay.restore()

        # Typing reaches the server only over a live connection, so a sent digit proves the reconnect.
        expect(code_input).to_have_value("123")
        desk.wait_for_function("() => window.socket && window.socket.connected", timeout=RECONNECT_TIMEOUT_MS)
        assert desk.evaluate("window.e2eNotReloaded") is True, "the desk page was reloaded"
        code_input.press("End")
        code_input.press_sequentially("4")
        expect(code_input).to_have_value("1234")
        desk.reload()
        expect(desk.get_by_label("Vouchercode")).to_have_value("1234")
    finally:
        context.close()
    assert app_server.error_lines() == []
