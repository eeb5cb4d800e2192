"""Handleiding: the user manual from docs/handleiding, shown inside the app with its screenshots.

The manual is Dutch Markdown written to be read on a code host too, so its links are relative
(`img/x.png`, `beheerder.md`). The page rewrites them to the app's routes before it renders.
"""

import logging
import re
from contextlib import AbstractContextManager
from pathlib import Path

from fastapi import Request
from nicegui import app, ui

from services.accounts import SessionUser
from ui.frame import page_frame
from ui.help_menu import HELP_PATH, ROLE_PAGES
from ui.i18n import _, current_locale
from ui.public_frame import public_frame
from ui.session import current_user

logger = logging.getLogger(__name__)

MANUAL_DIR = Path(__file__).resolve().parent.parent / "docs" / "handleiding"
IMAGE_PATH = f"{HELP_PATH}/img"
INDEX_FILE = "README.md"
PAGE_NAMES = frozenset(ROLE_PAGES.values())

# A Markdown link or image target that is relative: no scheme, no leading slash, no bare anchor.
_RELATIVE_TARGET = re.compile(r"\]\((?![a-z]+:|/|#)([^)\s]+)\)")

# Screenshots are as wide as a desktop window, so on a smaller screen they shrink to the text column.
HELP_MARKDOWN_CSS = """
.nicegui-markdown.help-markdown img {
  max-width: 100%; height: auto; border: 1px solid #cbd5e1; margin: 0.5rem 0;
}
.nicegui-markdown.help-markdown h2 {
  font-size: 1.25rem; line-height: 1.75rem; font-weight: 700; margin: 1.25rem 0 0.5rem;
}
.nicegui-markdown.help-markdown h3 {
  font-size: 1.125rem; line-height: 1.75rem; font-weight: 600; margin: 1rem 0 0.25rem;
}
"""


def register_help_routes() -> None:
    """Add the manual's pages and serve its screenshots."""
    app.add_static_files(IMAGE_PATH, MANUAL_DIR / "img")
    ui.page(HELP_PATH)(help_index_page)
    ui.page(f"{HELP_PATH}/{{page}}")(help_page)


def help_index_page(request: Request) -> None:
    """Show the manual's first page: what the app is and what every user needs."""
    _show(request, INDEX_FILE)


def help_page(request: Request, page: str) -> None:
    """Show the manual page of one role. An unknown name gets a short notice with a link to the first page."""
    if page not in PAGE_NAMES:
        logger.info("manual page not found page=%r", page[:40])
        with _frame(current_user(request), _("Page not found")):
            ui.link(_("Manual: for everyone"), HELP_PATH).classes("text-blue-900 underline")
        return
    _show(request, f"{page}.md")


def _show(request: Request, file_name: str) -> None:
    title, body = split_title(read_manual(file_name))
    with _frame(current_user(request), title):
        ui.add_css(HELP_MARKDOWN_CSS)
        if current_locale() != "nl":
            ui.label(_("The manual is written in Dutch only. The button names in it are the Dutch ones.")).classes(
                "w-full rounded bg-amber-100 text-amber-950 px-4 py-2"
            ).props("role=note data-testid=manual-language-note").mark("manual-language-note")
        ui.markdown(app_links(body)).classes("help-markdown w-full").mark("help-text")


def _frame(user: SessionUser | None, title: str) -> AbstractContextManager[None]:
    if user is None:
        return public_frame(title, width="max-w-4xl")
    return page_frame(user, title)


def read_manual(file_name: str) -> str:
    """Return the text of one Markdown file of the manual."""
    return (MANUAL_DIR / file_name).read_text(encoding="utf-8")


def split_title(text: str) -> tuple[str, str]:
    """Split a page into its first-level heading, used as the page title, and the rest."""
    first, _newline, rest = text.partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest
    return _("Manual"), text


def app_links(text: str) -> str:
    """Rewrite the manual's relative links to the app's routes: images to IMAGE_PATH, pages to HELP_PATH."""

    def rewrite(match: re.Match[str]) -> str:
        target = match.group(1)
        if target.startswith("img/"):
            return f"]({IMAGE_PATH}/{target.removeprefix('img/')})"
        name, _hash, _anchor = target.partition("#")
        if name == INDEX_FILE:
            return f"]({HELP_PATH})"
        if name.endswith(".md"):
            return f"]({HELP_PATH}/{name.removesuffix('.md')})"
        return match.group(0)

    return _RELATIVE_TARGET.sub(rewrite, text)
