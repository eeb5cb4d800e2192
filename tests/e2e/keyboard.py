"""Moving through a page with the keyboard alone, and reading where the focus is."""

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from services.demo import DEMO_PASSWORD
from tests.e2e.conftest import mailed_code
from tests.mail_server import MailCatcher

# More Tab presses than any of the app's pages has focusable elements before the one sought.
MAX_TABS = 40


def focused_test_id(page: Page) -> str | None:
    """Return the data-testid of the focused element or of its nearest ancestor that has one."""
    return page.evaluate("document.activeElement?.closest('[data-testid]')?.dataset.testid ?? null")


def expect_focus_on(page: Page, test_id: str, timeout_ms: float = 5000) -> None:
    """Wait until the element with `test_id` (or an element inside it) has the focus."""
    try:
        page.wait_for_function(
            "testId => document.activeElement?.closest(`[data-testid=${testId}]`) != null",
            arg=test_id,
            timeout=timeout_ms,
        )
    except PlaywrightTimeoutError:
        described = page.evaluate("document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'")
        raise AssertionError(f"focus never reached data-testid={test_id}; it is on {described}") from None


def focus_is_inside(page: Page, selector: str) -> bool:
    return page.evaluate("selector => !!document.activeElement?.closest(selector)", selector)


def focus_is_on_body(page: Page) -> bool:
    return page.evaluate("document.activeElement === document.body")


def tab_to(page: Page, test_id: str) -> None:
    """Press Tab until the element with `test_id` (or an element inside it) has the focus."""
    for _ in range(MAX_TABS):
        if focused_test_id(page) == test_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{MAX_TABS} Tab presses never reached data-testid={test_id}; last: {focused_test_id(page)}")


def log_in_by_keyboard(page: Page, mailbox: MailCatcher, email: str, path: str = "/") -> None:
    """Log in with typing, Tab and Enter only; the e-mail field has the focus when the page opens."""
    page.goto(f"/login?redirect_to={path}")
    page.wait_for_function("document.activeElement?.type === 'email'")
    before = mailbox.count()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect_focus_on(page, "login-code")
    page.keyboard.type(mailed_code(mailbox, email, before))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url and "/auth/" not in url)
    if "/code-of-conduct" in page.url:
        page.get_by_test_id("conduct-accept").wait_for()
        tab_to(page, "conduct-accept")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/code-of-conduct" not in url)
