"""Make the screenshots of the user manual (docs/handleiding/img) from the demo, as `make docs` does.

Starts the demo server through scripts/docs_server.py (stopped clock, seeded codes) with a new
data folder on a free port of 127.0.0.1, logs in as each demo role with the login code from the
outbox folder, and saves PNG files. Office screens are taken at desktop size, the desk screens
at tablet size. Run it from the project root: `.venv/bin/python scripts/make_screenshots.py`.
"""

import io
import logging
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from services.demo import DEMO_PASSWORD  # noqa: E402
from tests.app_server import CHROMIUM_ARGS, CHROMIUM_PATH, AppServer, running_app_server  # noqa: E402
from tests.login_mail import outbox_files, wait_for_outbox_code  # noqa: E402

logger = logging.getLogger("make_screenshots")

IMAGE_DIR = PROJECT_ROOT / "docs" / "handleiding" / "img"
INTERMEDIARY_EMAIL = "intermediair@demo.test"
DESK_EMAIL = "bibliotheek@demo.test"
ADMINISTRATOR_EMAIL = "beheerder@demo.test"

DESKTOP = {"width": 1280, "height": 800}
# The desk screens are made for a tablet held upright.
TABLET = {"width": 768, "height": 1024}
# ECharts animates its bars for about one second (animationDuration is 1000 ms by default in the
# ECharts that NiceGUI 3.18 bundles), so the dashboard is taken after that.
CHART_ANIMATION_SECONDS = 1.5
# Time for what a click sets off after the awaited element shows: a dialog's autofocus, a button
# that is disabled while its request runs. Without it two runs differ in these details.
SETTLE_MILLISECONDS = 400
# Pixel differences that `looks_same` ignores: up to 20 pixels that differ by at most 4 of 255 grey levels.
NOISE_PIXELS = 20
NOISE_SHADES = 4
# A code whose check digit is wrong, for the desk's "not valid" card.
MISTYPED_CODE = "123 457"


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    IMAGE_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="biebvoucher-docs-") as data_dir:
        # Voucher creation picks codes from a set of strings, whose order follows the hash seed.
        environment = {"PYTHONHASHSEED": "0"}
        with running_app_server(Path(data_dir), environment, script="scripts/docs_server.py") as server:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
                try:
                    code = shoot_intermediary(browser, server)
                    shoot_desk(browser, server, code)
                    shoot_administrator(browser, server)
                finally:
                    browser.close()
            errors = server.error_lines()
    if errors:
        raise SystemExit("the server logged errors while the screenshots were made:\n" + "\n".join(errors))
    logger.info("screenshots written to %s in %.0f s", IMAGE_DIR, time.monotonic() - started)


def new_page(browser: Browser, server: AppServer, viewport: dict[str, int]) -> Page:
    """Open a page in a new browser context with the Dutch locale and time zone of a Limburg office."""
    context = browser.new_context(
        base_url=server.url,
        viewport=viewport,  # type: ignore[arg-type]
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        has_touch=viewport == TABLET,
    )
    return context.new_page()


def save(target: Page | Locator, name: str) -> None:
    """Save a screenshot of a page's viewport or of one element as img/NAME.png."""
    write_unless_same(IMAGE_DIR / f"{name}.png", target.screenshot(animations="disabled", caret="hide"))


def save_top(page: Page, name: str, height: int) -> None:
    """Save the top `height` pixels of the page, for screens whose lower part is empty."""
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    save_clip(page, name, {"x": 0, "y": 0, "width": width, "height": height})


def save_down_to(page: Page, name: str, bottom: Locator) -> None:
    """Save the page from its top down to just below the element `bottom`, to leave out empty space."""
    box = bottom.bounding_box()
    if box is None:
        raise RuntimeError(f"cannot crop {name}: the element to crop below is not visible")
    save_top(page, name, int(box["y"] + box["height"]) + 24)


def save_clip(page: Page, name: str, clip: dict[str, int]) -> None:
    """Save one rectangle of the page, in CSS pixels from its top left corner."""
    picture = page.screenshot(animations="disabled", caret="hide", clip=clip)  # type: ignore[arg-type]
    write_unless_same(IMAGE_DIR / f"{name}.png", picture)


def write_unless_same(path: Path, picture: bytes) -> None:
    """Write the PNG `picture` to `path`, but keep the file there when it looks the same.

    Chromium draws the anti-aliased corners of a few input fields one shade lighter or darker from
    run to run. Keeping the old file then leaves git with only the screenshots whose screen changed.
    """
    if path.exists() and looks_same(path.read_bytes(), picture):
        logger.info("unchanged %s", path.relative_to(PROJECT_ROOT))
        return
    path.write_bytes(picture)
    logger.info("saved %s", path.relative_to(PROJECT_ROOT))


def looks_same(old: bytes, new: bytes) -> bool:
    """Return whether two PNGs have the same size and differ in at most a few pixels by a shade or two."""
    before = Image.open(io.BytesIO(old)).convert("RGB")
    after = Image.open(io.BytesIO(new)).convert("RGB")
    if before.size != after.size:
        return False
    difference = ImageChops.difference(before, after).convert("L")
    changed = sum(count for shade, count in enumerate(difference.histogram()) if shade > 0)
    largest = max((shade for shade, count in enumerate(difference.histogram()) if count), default=0)
    return changed <= NOISE_PIXELS and largest <= NOISE_SHADES


def rest_pointer(page: Page) -> None:
    """Let the screen settle, then move the pointer to a corner and take the focus off the element
    that has it, so no hover or focus highlight shows in the next screenshot."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(SETTLE_MILLISECONDS)
    page.evaluate("document.activeElement && document.activeElement.blur()")


def log_in(page: Page, server: AppServer, email: str, path: str = "/", shots: bool = False) -> None:
    """Log in with the demo password and the code from the outbox. With `shots`, save the login screens."""
    outbox = server.data_dir / "outbox"
    page.goto(f"/login?redirect_to={path}")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    if shots:
        rest_pointer(page)
        save_top(page, "inloggen", 560)
    seen = outbox_files(outbox)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Verificatiecode", level=1)).to_be_visible()
    code = wait_for_outbox_code(outbox, email, seen)
    if shots:
        # Before the code is typed, because the login code differs in every run.
        rest_pointer(page)
        save_top(page, "verificatiecode", 640)
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Code bevestigen").click()
    page.wait_for_url(lambda url: "/login" not in url and "/auth/" not in url)
    if "/code-of-conduct" in page.url:
        if shots:
            expect(page.get_by_test_id("conduct-accept")).to_be_visible()
            rest_pointer(page)
            save(page, "gedragscode")
        page.get_by_role("button", name="Ik accepteer de gedragscode").click()
    page.wait_for_url(lambda url: "/code-of-conduct" not in url)


def shoot_intermediary(browser: Browser, server: AppServer) -> str:
    """Take the login, overview, create, download and withdraw screens, and return a new voucher's code."""
    page = new_page(browser, server, DESKTOP)
    log_in(page, server, INTERMEDIARY_EMAIL, shots=True)
    expect(page.get_by_role("heading", name="Voucheroverzicht", level=1)).to_be_visible()
    rest_pointer(page)
    save(page, "intermediair-overzicht")
    page.get_by_test_id("help-button").click()
    expect(page.get_by_test_id("help-manual")).to_be_visible()
    page.mouse.move(0, 0)
    page.wait_for_timeout(SETTLE_MILLISECONDS)
    save_clip(page, "helpmenu", {"x": 880, "y": 0, "width": 400, "height": 200})
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("help-manual")).to_be_hidden()

    page.get_by_test_id("create-vouchers").click()
    dialog = page.get_by_test_id("create-dialog")
    dialog.get_by_label("Aantal vouchers").fill("2")
    dialog.get_by_text("Gegevens van de houder nu invullen (niet verplicht)").click()
    dialog.get_by_label("Voornaam").first.fill("Sanne")
    dialog.get_by_label("Achternaam").first.fill("Vromen")
    dialog.get_by_label("Geboortedatum").first.fill("14-05-1979")
    rest_pointer(page)
    save(dialog, "intermediair-aanmaken")
    dialog.get_by_test_id("create-submit").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("download-vouchers")).to_be_enabled()
    rest_pointer(page)
    save_top(page, "intermediair-downloaden", 420)

    page.get_by_role("row").filter(has_text="Vromen").get_by_test_id("voucher-link").click()
    expect(page.get_by_test_id("detail-code")).to_be_visible()
    code = page.get_by_test_id("detail-code").inner_text().replace(" ", "")
    rest_pointer(page)
    save(page, "intermediair-voucher")
    page.get_by_test_id("withdraw-button").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("Dubbel aangemaakt")
    rest_pointer(page)
    save(reason, "intermediair-intrekken")
    reason.get_by_role("button", name="Annuleren").click()
    page.context.close()
    return code


def shoot_desk(browser: Browser, server: AppServer, code: str) -> None:
    """Take the desk screens at tablet size: a valid code, the redeemed card, undo, and a mistyped code."""
    page = new_page(browser, server, TABLET)
    log_in(page, server, DESK_EMAIL, path="/check")
    field = page.get_by_test_id("code-input")
    expect(field).to_be_focused()
    field.fill(code)
    expect(page.get_by_test_id("redeem-button")).to_be_visible()
    rest_pointer(page)
    save_down_to(page, "balie-geldig", page.get_by_test_id("check-result"))

    page.get_by_test_id("redeem-button").click()
    expect(page.get_by_test_id("redeemed-code")).to_be_visible()
    rest_pointer(page)
    save_down_to(page, "balie-ingenomen", page.get_by_test_id("check-result"))

    page.get_by_role("button", name="Deze inname ongedaan maken").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("Verkeerde voucher gepakt")
    rest_pointer(page)
    save(reason, "balie-ongedaan-maken")
    reason.get_by_role("button", name="Annuleren").click()
    expect(reason).to_be_hidden()

    field.fill(MISTYPED_CODE)
    expect(page.get_by_test_id("check-result")).to_contain_text("Niet geldig")
    rest_pointer(page)
    save_down_to(page, "balie-niet-geldig", page.get_by_test_id("check-result"))
    page.context.close()


def shoot_administrator(browser: Browser, server: AppServer) -> None:
    """Take the dashboard, reimbursement, administration, users and invitations screens."""
    page = new_page(browser, server, DESKTOP)
    log_in(page, server, ADMINISTRATOR_EMAIL, path="/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.wait_for_timeout(CHART_ANIMATION_SECONDS * 1000)
    rest_pointer(page)
    save(page, "beheerder-dashboard")

    page.get_by_test_id("nav-reimbursement").click()
    page.get_by_test_id("reimbursement-show").click()
    expect(page.get_by_test_id("mark-reimbursed")).to_be_visible()
    rest_pointer(page)
    save(page, "beheerder-vergoeding")

    page.get_by_test_id("nav-admin").click()
    expect(page.get_by_role("heading", name="Beheer", level=1)).to_be_visible()
    rest_pointer(page)
    save(page, "beheerder-beheer")

    page.goto("/admin/users")
    expect(page.get_by_role("heading", name="Gebruikers", level=1)).to_be_visible()
    rest_pointer(page)
    save(page, "beheerder-gebruikers")

    page.goto("/admin/invitations")
    expect(page.get_by_role("heading", name="Uitnodigingen", level=1)).to_be_visible()
    page.get_by_label("E-mailadres").fill("nieuw@demo.test")
    page.get_by_label("Rol").click()
    page.get_by_role("option", name="Intermediair", exact=True).click()
    page.get_by_label("Organisatie").click()
    page.get_by_role("option", name="Sociaal Wijkteam Venlo").click()
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_text("Uitnodiging verstuurd naar nieuw@demo.test.")).to_be_visible()
    rest_pointer(page)
    save_top(page, "beheerder-uitnodigingen", 640)
    page.context.close()


if __name__ == "__main__":
    main()
