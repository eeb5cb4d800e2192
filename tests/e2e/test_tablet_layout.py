"""Every page except the desk at both tablet sizes, logged out and per role: no sideways page scroll, a one-line header,
touch targets for the main actions and field text large enough that iOS does not zoom in."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    DESK_EMAIL,
    INTERMEDIARY_EMAIL,
    TABLET_LANDSCAPE,
    TABLET_PORTRAIT,
    log_in,
)
from tests.mail_server import MailCatcher

ADMIN_EMAIL = "beheerder@demo.test"

# Height of a header whose items sit on one line: 48 px touch targets plus 8 px padding above
# and below. A header that wraps to a second line is at least about 90 px high.
MAX_HEADER_HEIGHT = 64
# Apple's and WCAG 2.5.5's minimum touch target, in CSS pixels.
MIN_TOUCH_TARGET = 44
# iOS Safari zooms into a focused field whose text is smaller than this, in CSS pixels.
MIN_FIELD_FONT_SIZE = 16

ROLE_EMAILS = {"intermediary": INTERMEDIARY_EMAIL, "library": DESK_EMAIL, "administrator": ADMIN_EMAIL}
# A reason as long as people write them, so the history table gets a long cell.
WITHDRAWAL_REASON = (
    "De houder is verhuisd naar een gemeente buiten Limburg en heeft de voucher bij het spreekuur "
    "teruggegeven, daarom trekken we hem in en maken we zo nodig later een nieuwe aan."
)
SIZES = {"portrait": TABLET_PORTRAIT, "landscape": TABLET_LANDSCAPE}

# Returns the measurements the checks below need, in CSS pixels. Main actions are the filled
# (unelevated) buttons, the header's buttons and the buttons in dialogs' action rows.
MEASURE_SCRIPT = """
() => {
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
  };
  const describe = (element) => {
    const box = element.getBoundingClientRect();
    const text = (element.getAttribute('aria-label') || element.innerText || '').trim().slice(0, 40);
    return {text, width: Math.round(box.width), height: Math.round(box.height)};
  };
  const header = document.querySelector('header');
  const actions = [...document.querySelectorAll(
    'header .q-btn, .q-btn--unelevated, .q-dialog .q-card__actions .q-btn'
  )].filter(visible);
  const fields = [...document.querySelectorAll('input:not([type=checkbox]):not([type=radio]), textarea')]
    .filter(visible)
    .map((element) => ({
      label: (element.getAttribute('aria-label') || element.closest('label')?.innerText || element.name || '')
        .trim().split('\\n')[0].slice(0, 40),
      fontSize: parseFloat(getComputedStyle(element).fontSize),
    }));
  const auditTable = document.querySelector('[data-testid=audit-table] .q-table__middle');
  return {
    auditTableOverflow: auditTable ? auditTable.scrollWidth - auditTable.clientWidth : 0,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    headerHeight: header ? Math.round(header.getBoundingClientRect().height) : 0,
    actions: actions.map(describe),
    fields,
  };
}
"""


@dataclass
class LayoutCheck:
    """Visits pages in one browser tab and collects every layout problem, so one run lists them all."""

    page: Page
    folder: Path
    prefix: str
    problems: list[str] = field(default_factory=list)

    def check(self, name: str) -> None:
        """Measure the page as it is now, save a screenshot as `<prefix>-<name>.png` and note problems."""
        # Quasar's dialogs and menus scale in, and a button measured mid-transition is too small.
        self.page.wait_for_function("() => !document.querySelector('[class*=\"-enter-active\"]')")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.page.screenshot(path=self.folder / f"{self.prefix}-{name}.png", full_page=True)
        measured: dict[str, Any] = self.page.evaluate(MEASURE_SCRIPT)
        where = f"{self.prefix} {name}"
        if measured["scrollWidth"] > measured["innerWidth"]:
            self.problems.append(
                f"{where}: page scrolls sideways ({measured['scrollWidth']} px wide in {measured['innerWidth']})"
            )
        if measured["auditTableOverflow"] > 0:
            self.problems.append(f"{where}: history table is cut off by {measured['auditTableOverflow']} px")
        if measured["headerHeight"] > MAX_HEADER_HEIGHT:
            self.problems.append(f"{where}: header is {measured['headerHeight']} px high, so it wraps")
        for action in measured["actions"]:
            if action["width"] < MIN_TOUCH_TARGET or action["height"] < MIN_TOUCH_TARGET:
                self.problems.append(
                    f"{where}: button {action['text']!r} is {action['width']}×{action['height']} px, "
                    f"below {MIN_TOUCH_TARGET}×{MIN_TOUCH_TARGET}"
                )
        for field_font in measured["fields"]:
            if field_font["fontSize"] < MIN_FIELD_FONT_SIZE:
                self.problems.append(
                    f"{where}: field {field_font['label']!r} has {field_font['fontSize']} px text, "
                    f"below {MIN_FIELD_FONT_SIZE}"
                )

    def visit(self, path: str, heading: str, name: str) -> None:
        """Open `path`, wait for its heading and check it."""
        self.page.goto(path)
        expect(self.page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        self.check(name)

    def check_create_dialog(self) -> None:
        """Open the create dialog from the overview with the holder fields shown, check it and close it."""
        self.page.goto("/")
        self.page.get_by_test_id("create-vouchers").tap()
        dialog = self.page.get_by_test_id("create-dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_role("checkbox", name="Gegevens van de houder nu invullen (niet verplicht)").click()
        expect(dialog.get_by_label("Voornaam")).to_be_visible()
        self.check("create-dialog")
        dialog.get_by_role("button", name="Annuleren").tap()
        expect(dialog).to_be_hidden()

    def check_first_voucher(self) -> None:
        """Open the voucher page of the first voucher in the overview and check it."""
        self.page.goto("/")
        link = self.page.get_by_test_id("voucher-link").first
        expect(link).to_be_visible()
        self.page.goto(link.get_attribute("href") or "/")
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Voucher")
        self.check("voucher")

    def check_withdrawal(self) -> None:
        """Withdraw the first issued voucher in the overview with a long reason, checking the dialog and the
        voucher page, whose history then has a long row."""
        self.page.goto("/")
        row = self.page.get_by_role("row").filter(has=self.page.get_by_test_id("status-chip").get_by_text("Uitgegeven"))
        href = row.first.get_by_test_id("voucher-link").get_attribute("href")
        self.page.goto(href or "/")
        self.page.get_by_test_id("withdraw-button").tap()
        dialog = self.page.get_by_test_id("reason-dialog")
        dialog.get_by_test_id("reason-input").fill(WITHDRAWAL_REASON)
        self.check("withdraw-dialog")
        dialog.get_by_test_id("reason-confirm").tap()
        expect(dialog).to_be_hidden()
        expect(self.page.get_by_test_id("detail-status")).to_have_text("Ingetrokken")
        self.check("voucher-withdrawn")

    def check_navigation(self, names: list[str], *, behind_menu: bool) -> None:
        """Tap each of the header's navigation buttons, through the menu button when `behind_menu`."""
        menu_button = self.page.get_by_test_id("nav-menu")
        for name in names:
            self.page.goto("/account")
            target = self.page.get_by_test_id(name)
            if behind_menu:
                expect(target).to_be_hidden()
                menu_button.tap()
                expect(menu_button).to_have_attribute("aria-expanded", "true")
            else:
                expect(menu_button).to_be_hidden()
            expect(target).to_be_visible()
            if name == names[0]:
                self.check("navigation")
            target.tap()
            self.page.wait_for_url(lambda url: not url.endswith("/account"))


def _layout_check(new_context: Any, mailbox: MailCatcher, folder: Path, size: str, role: str) -> LayoutCheck:
    page = new_context(**SIZES[size]).new_page()
    log_in(page, mailbox, ROLE_EMAILS[role])
    return LayoutCheck(page, folder, f"{size}-{role}")


@pytest.fixture
def tablet_folder(artifact_folder: Path) -> Path:
    """Create test-artifacts/e2e/tablet for this module's screenshots."""
    folder = artifact_folder / "tablet"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.mark.parametrize("size", SIZES)
def test_intermediary_pages_fit_tablet(new_context, mailbox, tablet_folder, size):
    layout = _layout_check(new_context, mailbox, tablet_folder, size, "intermediary")

    layout.check("overview")
    layout.check_create_dialog()
    layout.check_withdrawal()
    layout.visit("/dashboard", "Dashboard", "dashboard")
    layout.visit("/account", "Account", "account")
    layout.check_navigation(["nav-dashboard"], behind_menu=size == "portrait")

    assert layout.problems == [], "\n".join(layout.problems)


@pytest.mark.parametrize("size", SIZES)
def test_library_staff_pages_fit_tablet(new_context, mailbox, tablet_folder, size):
    layout = _layout_check(new_context, mailbox, tablet_folder, size, "library")

    layout.check("overview")
    layout.check_first_voucher()
    layout.visit("/dashboard", "Dashboard", "dashboard")
    layout.check_navigation(["nav-check", "nav-dashboard"], behind_menu=size == "portrait")

    assert layout.problems == [], "\n".join(layout.problems)


@pytest.mark.parametrize("size", SIZES)
def test_administrator_pages_fit_tablet(new_context, mailbox, tablet_folder, size):
    layout = _layout_check(new_context, mailbox, tablet_folder, size, "administrator")

    layout.check("overview")
    layout.check_create_dialog()
    layout.check_first_voucher()
    layout.visit("/dashboard", "Dashboard", "dashboard")
    layout.visit("/account", "Account", "account")
    layout.visit("/admin", "Beheer", "admin")
    layout.visit("/admin/organisations", "Organisaties", "admin-organisations")
    layout.visit("/admin/users", "Gebruikers", "admin-users")
    layout.page.get_by_role("button", name="Rol wijzigen").first.tap()
    expect(layout.page.get_by_role("dialog")).to_be_visible()
    layout.check("admin-users-role-dialog")
    layout.visit("/admin/invitations", "Uitnodigingen", "admin-invitations")
    layout.visit("/admin/mail", "Niet afgeleverde e-mail", "admin-mail")
    layout.visit("/admin/privacy", "Privacy", "admin-privacy")
    layout.visit("/admin/code-of-conduct", "Gedragscode", "admin-conduct")
    layout.visit("/admin/reimbursement", "Vergoeding", "admin-reimbursement")
    layout.check_navigation(
        ["nav-check", "nav-dashboard", "nav-reimbursement", "nav-admin"], behind_menu=size == "portrait"
    )

    assert layout.problems == [], "\n".join(layout.problems)


@pytest.mark.parametrize("size", SIZES)
def test_logged_out_pages_fit_tablet(new_context, tablet_folder, size):
    layout = LayoutCheck(new_context(**SIZES[size]).new_page(), tablet_folder, f"{size}-visitor")

    layout.visit("/login", "Inloggen", "login")
    layout.visit("/forgot-password", "Wachtwoord vergeten?", "forgot-password")

    assert layout.problems == [], "\n".join(layout.problems)


def test_navigation_menu_closes_outside_portrait(new_context, mailbox):
    page = new_context(**TABLET_PORTRAIT).new_page()
    log_in(page, mailbox, DESK_EMAIL)
    page.goto("/check")
    menu_button = page.get_by_test_id("nav-menu")
    panel = page.locator("#main-nav")

    menu_button.tap()
    expect(panel).to_be_visible()
    # A tap near the bottom of the page, well below the open list.
    page.touchscreen.tap(TABLET_PORTRAIT["viewport"]["width"] // 2, TABLET_PORTRAIT["viewport"]["height"] - 40)
    expect(panel).to_be_hidden()
    expect(menu_button).to_have_attribute("aria-expanded", "false")

    menu_button.tap()
    expect(panel).to_be_visible()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label("Vouchercode")).to_be_visible()
