"""Scanning a voucher's QR code with the camera, in Chromium with a fake camera that films a QR image.

Chromium's fake capture device plays a .y4m file in a loop, and --use-fake-ui-for-media-stream
accepts the camera prompt. Each test launches its own browser, because these flags apply to
the whole browser.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from services.qr import QUIET_ZONE_MODULES, qr_symbol
from tests.app_server import CHROMIUM_ARGS
from tests.e2e.conftest import TABLET_LANDSCAPE, TABLET_PORTRAIT, open_desk

FRAME_WIDTH = 640
FRAME_HEIGHT = 480
MODULE_PIXELS = 12
# Luma of the light and dark modules; chroma 128 is grey, so the frames are black and white.
LIGHT = 235
DARK = 16
FAKE_CAMERA_FLAGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]

IS_CAMERA_RUNNING = "() => window.biebvoucherCamera.isRunning()"
IS_CAMERA_STOPPED = "() => !window.biebvoucherCamera.isRunning()"


def write_qr_video(path: Path, text: str) -> Path:
    """Write a one-frame Y4M video of the QR code that the voucher PDFs print for `text`."""
    symbol = qr_symbol(text)
    side = (symbol.size + 2 * QUIET_ZONE_MODULES) * MODULE_PIXELS
    left = (FRAME_WIDTH - side) // 2 + QUIET_ZONE_MODULES * MODULE_PIXELS
    top = (FRAME_HEIGHT - side) // 2 + QUIET_ZONE_MODULES * MODULE_PIXELS
    luma = bytearray([LIGHT]) * (FRAME_WIDTH * FRAME_HEIGHT)
    for run in symbol.runs:
        for y in range(top + run.row * MODULE_PIXELS, top + (run.row + 1) * MODULE_PIXELS):
            start = y * FRAME_WIDTH + left + run.column * MODULE_PIXELS
            luma[start : start + run.length * MODULE_PIXELS] = bytes([DARK]) * (run.length * MODULE_PIXELS)
    chroma = bytes([128]) * (FRAME_WIDTH // 2 * FRAME_HEIGHT // 2)
    header = f"YUV4MPEG2 W{FRAME_WIDTH} H{FRAME_HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.fixture
def camera_browser(launch_browser: Callable[..., Browser]) -> Iterator[Callable[[list[str]], Browser]]:
    """Return a function that launches Chromium with extra flags; each browser closes after the test."""
    browsers: list[Browser] = []

    def launch(flags: list[str]) -> Browser:
        browser = launch_browser(args=CHROMIUM_ARGS + flags)
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


def _desk_page(browser: Browser, browser_context_args: dict, size: dict, mailbox) -> tuple[Page, list[str]]:
    """Open the desk in a new context and return it with the list of every address it requests.

    Console messages about the Content-Security-Policy are added to that list too, as `console: ...`.
    """
    context = browser.new_context(**{**browser_context_args, **size})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: _record_csp_violation(message, requested))
    open_desk(page, mailbox)
    return page, requested


def _record_csp_violation(message: ConsoleMessage, requested: list[str]) -> None:
    if "Content Security Policy" in message.text:
        requested.append(f"console: {message.text}")


def _hosts(urls: list[str]) -> set[str]:
    """Return the hosts of the requested addresses; a recorded console message counts as host "console"."""
    return {urlsplit(url).hostname or url.split(":")[0] for url in urls if not url.startswith(("data:", "blob:"))}


def test_camera_scan_checks_voucher(
    camera_browser, browser_context_args, mailbox, tmp_path, issued_code: Callable[[], str]
):
    code = issued_code()
    video = write_qr_video(tmp_path / "voucher.y4m", code)
    browser = camera_browser([*FAKE_CAMERA_FLAGS, f"--use-file-for-fake-video-capture={video}"])
    desk, requested = _desk_page(browser, browser_context_args, TABLET_LANDSCAPE, mailbox)

    desk.get_by_role("button", name="QR-code scannen").tap()

    result = desk.get_by_test_id("result-card")
    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    expect(result).to_contain_text(f"{code[:3]} {code[3:]}")
    expect(desk.get_by_role("button", name="Innemen")).to_be_visible()
    expect(desk.get_by_test_id("camera-dialog")).to_be_hidden()
    desk.wait_for_function(IS_CAMERA_STOPPED)
    expect(desk.get_by_label("Vouchercode")).to_have_value("")
    assert _hosts(requested) == {"127.0.0.1"}, f"the desk loaded from other hosts: {_hosts(requested)}"
    # Chromium on Linux has no native BarcodeDetector, so the bundled reader and its .wasm did the reading.
    assert desk.evaluate("'BarcodeDetector' in window") is False
    assert any(url.endswith("/zxing_reader.wasm") for url in requested), requested


def test_camera_scan_ignores_other_qr(camera_browser, browser_context_args, mailbox, tmp_path, artifact_folder):
    video = write_qr_video(tmp_path / "other.y4m", "Bibliotheek Maastricht, Grote Looiersstraat")
    browser = camera_browser([*FAKE_CAMERA_FLAGS, f"--use-file-for-fake-video-capture={video}"])
    desk, _requested = _desk_page(browser, browser_context_args, TABLET_PORTRAIT, mailbox)

    desk.get_by_role("button", name="QR-code scannen").tap()

    status = desk.get_by_test_id("camera-status")
    expect(status).to_have_text("Deze QR-code bevat geen vouchercode. Houd de QR-code op de voucher voor de camera.")
    expect(desk.get_by_test_id("camera-video")).to_be_visible()
    expect(desk.get_by_test_id("result-card")).to_have_count(0)
    assert desk.evaluate(IS_CAMERA_RUNNING) is True
    desk.screenshot(path=artifact_folder / "desk-camera-768x1024.png")
    desk.get_by_role("button", name="Sluiten").tap()
    expect(desk.get_by_test_id("camera-dialog")).to_be_hidden()
    desk.wait_for_function(IS_CAMERA_STOPPED)
    expect(desk.get_by_label("Vouchercode")).to_be_focused()


def test_camera_refused_explained(camera_browser, browser_context_args, mailbox, tmp_path):
    # Without --use-fake-ui-for-media-stream the camera prompt stays unanswered, and Chromium under
    # Playwright rejects getUserMedia with NotAllowedError.
    browser = camera_browser(["--use-fake-device-for-media-stream"])
    desk, _requested = _desk_page(browser, browser_context_args, TABLET_PORTRAIT, mailbox)

    desk.get_by_role("button", name="QR-code scannen").tap()

    expect(desk.get_by_test_id("camera-status")).to_have_text(
        "De browser geeft geen toegang tot de camera. "
        "Sta de camera toe voor deze site in de instellingen van de browser, of typ de code."
    )
    expect(desk.get_by_test_id("camera-video")).to_be_hidden()
    assert desk.evaluate(IS_CAMERA_RUNNING) is False


def test_no_camera_explained(camera_browser, browser_context_args, mailbox):
    # The prompt is accepted, and the fake capture device factory offers no cameras at all.
    browser = camera_browser(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=device-count=0"])
    desk, _requested = _desk_page(browser, browser_context_args, TABLET_PORTRAIT, mailbox)

    desk.get_by_role("button", name="QR-code scannen").tap()

    expect(desk.get_by_test_id("camera-status")).to_have_text("Geen camera gevonden op dit apparaat. Typ de code.")
    expect(desk.get_by_test_id("camera-video")).to_be_hidden()
    assert desk.evaluate(IS_CAMERA_RUNNING) is False
