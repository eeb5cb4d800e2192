"""axe-core on the pages for visitors who are not logged in, with their error states, in Dutch and English."""

import pytest
from playwright.sync_api import Page, expect

from services.demo import DEMO_PASSWORD
from tests.e2e.axe import AxeReport
from tests.e2e.axe_pages import LOCALES, expect_error_shown, open_in_language, open_page
from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL

# A code of the right form that the login-code mail never contains, because mailed codes are random.
WRONG_CODE = "000000"


def _check_login_steps(page: Page, report: AxeReport) -> None:
    report.check(page, "/login")

    page.get_by_test_id("login-submit").click()
    expect_error_shown(page)
    report.check(page, "/login without e-mail address")

    page.locator("input[type=email]").fill(INTERMEDIARY_EMAIL)
    page.locator("input[type=password]").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("code-sent")).to_be_visible()
    report.check(page, "/login code step")

    page.get_by_test_id("login-code").fill(WRONG_CODE)
    page.get_by_test_id("code-submit").click()
    expect_error_shown(page)
    report.check(page, "/login wrong code")


@pytest.mark.parametrize("locale", LOCALES)
def test_public_pages_pass_axe(new_context, locale: str):
    page = new_context(**DESKTOP).new_page()
    open_in_language(page, "/login", locale)
    report = AxeReport()

    _check_login_steps(page, report)

    open_page(page, "/forgot-password")
    report.check(page, "/forgot-password")
    page.get_by_test_id("forgot-submit").click()
    expect_error_shown(page)
    report.check(page, "/forgot-password without e-mail address")

    for path in ["/register", "/reset-password", "/login?expired=1", "/does-not-exist"]:
        open_page(page, path)
        report.check(page, path)

    assert report.lines == [], report.text()


@pytest.mark.parametrize(("locale", "lang"), [("nl", "nl"), ("en", "en-US")])
def test_page_lang_follows_language(new_context, locale: str, lang: str):
    page = new_context(**DESKTOP).new_page()

    open_in_language(page, "/login", locale)

    assert page.evaluate("document.documentElement.lang") == lang
