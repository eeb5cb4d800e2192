"""Pages in the user's language: the stored choice, Quasar's language, and no Dutch left in English."""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from nicegui import ui
from nicegui.testing import User
from sqlmodel import func, select

from models import User as Account
from models import Voucher
from services.clock import local_today
from services.db import read_session
from services.preferences import choose_locale
from services.reimbursement import ReimbursementFilter, preview_reimbursement
from tests.ui.conftest import log_in, table_rows

ROOT = Path(__file__).resolve().parent.parent.parent
ADMINISTRATOR = "beheerder@demo.test"
# Pages an administrator reaches from the header and the administration page.
ADMIN_PAGES = [
    "/",
    "/check",
    "/dashboard",
    "/admin/reimbursement",
    "/admin",
    "/admin/organisations",
    "/admin/users",
    "/admin/invitations",
    "/admin/mail",
    "/admin/privacy",
    "/admin/code-of-conduct",
    "/code-of-conduct",
    "/account",
]
# A Dutch text of one word or shorter than this is only reported when an element shows exactly
# that text, because single words also occur inside names in the demo data ("Ingrid Intermediair").
SUBSTRING_LENGTH = 12


def _account_id(email: str) -> int:
    with read_session() as session:
        return session.exec(select(Account.id).where(Account.email == email)).one() or 0


def _stored_locale(email: str) -> str | None:
    with read_session() as session:
        return session.exec(select(Account.locale).where(Account.email == email)).one()


def _catalogue(locale: str) -> dict[str, str]:
    with (ROOT / "locale" / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale=locale)
    texts = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.update(zip(ids, strings, strict=False))
    return texts


def dutch_only_fragments() -> set[str]:
    """Return the Dutch texts (or their literal parts around placeholders) that differ from the English."""
    dutch, english = _catalogue("nl"), _catalogue("en")
    fragments = set()
    for message_id, text in dutch.items():
        if not text or text == english.get(message_id):
            continue
        parts = [part.strip() for part in re.split(r"\{\w+\}", text) if part.strip()]
        fragments.update(part for part in parts if len(parts) == 1 or _is_phrase(part))
    return fragments


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def page_texts(user: User) -> list[str]:
    """Return every text the current page shows: element texts, props (labels, table cells) and the title."""
    client = user._client
    texts = [client.title or ""]
    for element in client.elements.values():
        texts.append(getattr(element, "text", "") or "")
        texts.append(getattr(element, "content", "") or "")
        texts.extend(_strings(element.props))
    return [text for text in texts if isinstance(text, str) and text]


def dutch_on_page(user: User, fragments: set[str]) -> list[str]:
    found = set()
    for text in page_texts(user):
        for fragment in fragments:
            if text == fragment or (_is_phrase(fragment) and fragment in text):
                found.add(fragment)
    return sorted(found)


def _is_phrase(fragment: str) -> bool:
    return " " in fragment and len(fragment) >= SUBSTRING_LENGTH


async def test_stored_english_chosen_at_login(user: User):
    choose_locale(actor_id=_account_id(ADMINISTRATOR), locale="en")

    await log_in(user, ADMINISTRATOR, heading="Voucher overview")

    await user.should_see("Check voucher code")


async def test_header_switch_stores_choice(user: User):
    await log_in(user, ADMINISTRATOR)

    user.find("English").click()

    await user.should_see("Voucher overview")
    assert _stored_locale(ADMINISTRATOR) == "en"


async def test_switch_before_login_stores_nothing(user: User):
    await user.open("/language/en?next=/login")

    await user.should_see("Log in")
    assert _stored_locale(ADMINISTRATOR) is None


async def test_account_page_language_choice(user: User):
    await log_in(user, ADMINISTRATOR, path="/account", heading="Account")
    await user.should_see("Taal")

    user.find(marker="language-choice").elements.pop().set_value("en")

    await user.should_see("Pages and e-mails to you use this language.")
    assert _stored_locale(ADMINISTRATOR) == "en"


async def test_unknown_language_stores_dutch(user: User):
    choose_locale(actor_id=_account_id(ADMINISTRATOR), locale="en")
    await log_in(user, ADMINISTRATOR, heading="Voucher overview")

    await user.open("/language/xx?next=/account")

    await user.should_see("Taal")
    assert _stored_locale(ADMINISTRATOR) == "nl"


async def test_html_lang_and_quasar_language_follow_choice(user: User):
    dutch = await user.http_client.get("/login")
    assert '<html lang="nl"' in dutch.text
    assert "/static/lang/nl.umd.prod.js" in dutch.text
    assert "Verbinding verbroken." in dutch.text

    await user.http_client.get("/language/en?next=/login")
    english = await user.http_client.get("/login")

    assert '<html lang="en-US"' in english.text
    assert "/static/lang/en-US.umd.prod.js" in english.text
    assert "Connection lost." in english.text


async def test_not_found_page_follows_language(user: User):
    await user.http_client.get("/language/en?next=/login")

    response = await user.http_client.get("/no-such-page")

    assert response.status_code == 404
    assert '<html lang="en-US"' in response.text
    assert "Page not found" in response.text


async def test_catalogue_has_dutch_only_texts():
    fragments = dutch_only_fragments()

    assert "Voucheroverzicht" in fragments
    assert "Wachtwoord vergeten?" in fragments


async def test_english_pages_show_no_dutch(user: User):
    choose_locale(actor_id=_account_id(ADMINISTRATOR), locale="en")
    await log_in(user, ADMINISTRATOR, heading="Voucher overview")
    fragments = dutch_only_fragments()
    with read_session() as session:
        voucher_id = session.exec(select(Voucher.id).order_by(Voucher.id)).first()

    found = {}
    for path in [*ADMIN_PAGES, f"/vouchers/{voucher_id}"]:
        await user.open(path)
        dutch = dutch_on_page(user, fragments)
        if dutch:
            found[path] = dutch

    assert not found, f"Dutch text on English pages: {found}"


async def test_english_public_pages_show_no_dutch(user: User):
    fragments = dutch_only_fragments()
    await user.http_client.get("/language/en?next=/login")

    found = {}
    for path in ["/login", "/forgot-password"]:
        await user.open(path)
        dutch = dutch_on_page(user, fragments)
        if dutch:
            found[path] = dutch

    assert not found, f"Dutch text on English pages: {found}"


async def test_dutch_page_check_finds_dutch(user: User):
    # The check above must be able to fail: the same scan finds the Dutch texts of a Dutch page.
    await user.open("/login")

    assert "Wachtwoord vergeten?" in dutch_on_page(user, dutch_only_fragments())


def _grouped(number: int | Decimal, locale: str, decimals: int = 0) -> str:
    """Write a number the way each language does, independently of Babel."""
    english = f"{number:,.{decimals}f}"
    return english if locale == "en" else english.translate(str.maketrans(",.", ".,"))


def _waiting_total() -> tuple[int, Decimal]:
    selection = ReimbursementFilter(period_from=date(2025, 1, 1), period_to=local_today(), library_id=None)
    preview = preview_reimbursement(actor_id=_account_id(ADMINISTRATOR), selection=selection)
    return preview.statement.voucher_count, preview.statement.total


@pytest.mark.parametrize(
    ("locale", "labels", "total_prefix"),
    [
        ("nl", ("Ingenomen vanaf", "Ingenomen tot en met", "Vergoeding"), "€\xa0"),
        ("en", ("Redeemed from", "Redeemed until", "Reimbursement"), "€"),
    ],
)
async def test_reimbursement_amounts_per_language(user: User, locale, labels, total_prefix):
    choose_locale(actor_id=_account_id(ADMINISTRATOR), locale=locale)
    count, total = _waiting_total()
    first_label, last_label, heading = labels
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading=heading)

    user.find(kind=ui.input, content=first_label).clear().type("01-01-2025")
    user.find(kind=ui.input, content=last_label).clear().type(local_today().strftime("%d-%m-%Y"))
    user.find(marker="reimbursement-show").click()
    await user.should_see(marker="preview-table")

    rows = table_rows(user, "preview-table")
    assert rows[-1]["count"] == count
    assert rows[-1]["total"] == total_prefix + _grouped(total, locale, decimals=2)


@pytest.mark.parametrize(
    ("locale", "heading", "summary"),
    [
        ("nl", "Dashboard", "Vouchers aangemaakt (alle statussen): {count}"),
        ("en", "Dashboard", "Vouchers created (all statuses): {count}"),
    ],
)
async def test_dashboard_count_per_language(user: User, locale, heading, summary):
    choose_locale(actor_id=_account_id(ADMINISTRATOR), locale=locale)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Voucher)).one()
    await log_in(user, ADMINISTRATOR, path="/dashboard", heading=heading)

    await user.should_see(summary.format(count=_grouped(total, locale)))


@pytest.mark.parametrize(("locale", "heading"), [("nl", "Geschiedenis"), ("en", "History")])
async def test_voucher_dates_per_language(user: User, locale, heading):
    choose_locale(actor_id=_account_id(ADMINISTRATOR), locale=locale)
    with read_session() as session:
        voucher = session.exec(select(Voucher).where(Voucher.expires_on.is_not(None))).first()
    assert voucher is not None and voucher.expires_on is not None
    await log_in(user, ADMINISTRATOR, path=f"/vouchers/{voucher.id}", heading=heading)

    day = voucher.expires_on
    english = f"{day.day} {day:%b} {day.year}"
    await user.should_see(english if locale == "en" else f"{day:%d-%m-%Y}")
