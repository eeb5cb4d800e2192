"""Scanning a voucher's QR code with the tablet's camera, for the desk screen.

The browser side is ui/static/camera_scan.js. It uses the browser's own BarcodeDetector when
that reads QR codes, and otherwise barcode-detector's zxing-wasm reader, which this server
serves from node_modules (installed by `npm ci`), so nothing is loaded from another host.
"""

import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from nicegui import app, ui
from nicegui.events import GenericEventArguments

from services.qr import code_from_qr_text
from ui.i18n import _

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCRIPT_FILE = Path(__file__).resolve().parent / "static" / "camera_scan.js"
# The IIFE build that defines window.BarcodeDetectionAPI and leaves a native BarcodeDetector alone.
READER_PACKAGE = PROJECT_ROOT / "node_modules" / "barcode-detector"
READER_FILE = READER_PACKAGE / "dist" / "iife" / "ponyfill.js"
WASM_PACKAGE = PROJECT_ROOT / "node_modules" / "zxing-wasm"
WASM_FILE = WASM_PACKAGE / "dist" / "reader" / "zxing_reader.wasm"


class CameraFiles:
    """Addresses of the scanner's browser files, set by `register_camera_files`."""

    script_url = ""
    reader_url = ""
    wasm_url = ""


def _failure_messages() -> dict[str, str]:
    # Keys are the failure kinds that camera_scan.js reports.
    return {
        "insecure": _(
            "The camera only works over a secure connection (https). "
            "Ask the administrator to serve the app over https, or type the code."
        ),
        "no-camera": _("No camera found on this device. Type the code instead."),
        "permission": _(
            "The browser does not allow the camera. "
            "Allow the camera for this site in the browser settings, or type the code."
        ),
        "busy": _(
            "The camera is in use by another app or could not start. Close that app and try again, or type the code."
        ),
        "reader": _("The QR reader could not be loaded. Reload the page and try again, or type the code."),
        "other": _("The camera could not be started. Try again, or type the code."),
    }


def _package_version(package: Path) -> str:
    return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])


def camera_file_addresses() -> dict[str, tuple[Path, str]]:
    """Return the scanner's browser files as name: (local file, address on this server).

    A new package version or script gets a new address, so the hour that browsers cache
    these files never mixes two versions.
    """
    script_hash = hashlib.sha256(SCRIPT_FILE.read_bytes()).hexdigest()[:12]
    reader_version = _package_version(READER_PACKAGE)
    wasm_version = _package_version(WASM_PACKAGE)
    return {
        "script": (SCRIPT_FILE, f"/static/desk/camera_scan-{script_hash}.js"),
        "reader": (READER_FILE, f"/static/barcode-detector-{reader_version}/ponyfill.js"),
        "wasm": (WASM_FILE, f"/static/zxing-wasm-{wasm_version}/zxing_reader.wasm"),
    }


def register_camera_files() -> None:
    """Serve camera_scan.js, the QR reader and its .wasm from this server.

    Raises RuntimeError when `npm ci` has not installed the reader, because the desk's
    camera would otherwise fail only when someone taps the scan button.
    """
    for required in (READER_FILE, WASM_FILE):
        if not required.is_file():
            raise RuntimeError(f"QR reader file missing: {required}. Run `make install` (npm ci) to install it.")
    addresses = camera_file_addresses()
    CameraFiles.script_url = app.add_static_file(local_file=addresses["script"][0], url_path=addresses["script"][1])
    CameraFiles.reader_url = app.add_static_file(local_file=addresses["reader"][0], url_path=addresses["reader"][1])
    CameraFiles.wasm_url = app.add_static_file(local_file=addresses["wasm"][0], url_path=addresses["wasm"][1])


class CameraScanner:
    """The scan button and the camera dialog. A QR code that contains a voucher code goes to `on_code`."""

    def __init__(self, user_id: int, on_code: Callable[[str], Awaitable[None]], on_close: Callable[[], None]) -> None:
        self.user_id = user_id
        self.on_code = on_code
        self.on_close = on_close

    def build(self) -> None:
        ui.add_head_html(f'<script src="{CameraFiles.script_url}"></script>')
        ui.button(_("Scan QR code"), icon="qr_code_scanner", on_click=self.open).props(
            "outline no-caps size=lg data-testid=scan-button"
        ).mark("scan-button").classes("min-h-12")
        with (
            ui.dialog().mark("camera-dialog") as self.dialog,
            ui.card().classes("w-full max-w-2xl gap-3").props("data-testid=camera-dialog"),
        ):
            ui.label(_("Scan the QR code on the voucher")).classes("text-xl font-bold").props(
                "role=heading aria-level=2"
            )
            self.video = (
                ui.element("video")
                .classes("w-full rounded bg-black")
                .style("max-height: 60vh")
                .props("muted playsinline data-testid=camera-video")
                .mark("camera-video")
            )
            self.status = (
                ui.label().classes("text-lg").props("role=status data-testid=camera-status").mark("camera-status")
            )
            with ui.row().classes("w-full justify-end"):
                ui.button(_("Close"), on_click=self.dialog.close).props(
                    "unelevated no-caps size=lg data-testid=camera-close"
                ).mark("camera-close")
        self.video.on("qr-decoded", self._handle_decoded, args=["detail"])
        self.video.on("camera-started", self._handle_started)
        self.video.on("camera-failed", self._handle_failed, args=["detail"])
        self.dialog.on_value_change(self._handle_dialog_change)

    def open(self) -> None:
        self._show_video(False)
        self._set_status(_("Starting the camera…"))
        self.dialog.open()
        ui.run_javascript(
            f"window.biebvoucherCamera.start({json.dumps(self.video.html_id)}, "
            f"{json.dumps(CameraFiles.reader_url)}, {json.dumps(CameraFiles.wasm_url)})"
        )

    def _handle_dialog_change(self) -> None:
        if not self.dialog.value:
            # Closed by the button, Escape, a tap beside the dialog or a scanned code.
            ui.run_javascript("window.biebvoucherCamera && window.biebvoucherCamera.stop()")
            self.on_close()

    def _handle_started(self) -> None:
        logger.info("desk camera started user=%d", self.user_id)
        self._show_video(True)
        self._set_status(_("Hold the QR code on the voucher in front of the camera."))

    async def _handle_decoded(self, event: GenericEventArguments) -> None:
        text = str(_detail(event).get("text", ""))
        code = code_from_qr_text(text)
        if code is None:
            logger.info("desk camera read a QR code without a voucher code user=%d", self.user_id)
            self._set_status(
                _("This QR code contains no voucher code. Hold the QR code on the voucher in front of the camera."),
                alert=True,
            )
            return
        self.dialog.close()
        await self.on_code(code)

    def _handle_failed(self, event: GenericEventArguments) -> None:
        detail = _detail(event)
        messages = _failure_messages()
        kind = str(detail.get("kind", ""))
        kind = kind if kind in messages else "other"
        # The browser's error name (e.g. NotAllowedError) is logged only when it looks like one.
        name = str(detail.get("name", ""))
        name = name if re.fullmatch(r"[A-Za-z]{1,40}", name) else "-"
        logger.warning("desk camera failed kind=%s error=%s user=%d", kind, name, self.user_id)
        self._show_video(False)
        self._set_status(messages[kind], alert=True)

    def _show_video(self, visible: bool) -> None:
        # A video without a stream is an empty black box, so it shows only while the camera runs.
        # The `hidden` class hides it as set_visibility does, but the element's `visible` stays
        # true, so NiceGUI's element filters (and the `user` test fixture) still find it.
        if visible:
            self.video.classes(remove="hidden")
        else:
            self.video.classes(add="hidden")

    def _set_status(self, text: str, *, alert: bool = False) -> None:
        self.status.text = text
        self.status.props(f"role={'alert' if alert else 'status'}")
        self.status.classes(replace=f"text-lg {'text-red-800 font-semibold' if alert else ''}")


def _detail(event: GenericEventArguments) -> dict[str, object]:
    detail = event.args.get("detail") if isinstance(event.args, dict) else None
    return detail if isinstance(detail, dict) else {}
