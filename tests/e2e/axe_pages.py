"""Steps the axe-core tests share: choosing the language and waiting until a page has rendered."""

from urllib.parse import quote

from playwright.sync_api import Page, expect

LOCALES = ["nl", "en"]


def open_in_language(page: Page, path: str, locale: str) -> None:
    """Open `path` in `locale` through the header's language route, which sets the language cookie."""
    page.goto(f"/language/{locale}?next={quote(path, safe='')}")
    wait_for_page(page)


def open_page(page: Page, path: str) -> None:
    """Open `path` and wait until its main heading has rendered."""
    page.goto(path)
    wait_for_page(page)


def wait_for_page(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
