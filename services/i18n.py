"""Translation catalogue (gettext through Babel) and locale-aware formatting.

Message ids are English; Dutch is the default locale. The `.po` files are compiled in
memory at first use, so no build step is needed.
"""

import io
import logging
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as babel_format_percent
from babel.support import NullTranslations, Translations

from services.clock import LOCAL_ZONE

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LOCALE = "nl"
LOCALES = ("nl", "en")


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    """Mark `message` for extraction without translating it now."""
    return message


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> NullTranslations:
    """Return the compiled catalogue of `locale`, or an identity catalogue if it has none."""
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    logger.info("loaded catalogue locale=%s messages=%d", locale, len(catalog))
    return Translations(buffer)


def normalise_locale(locale: str | None) -> str:
    """Return `locale` if supported, otherwise the default (Dutch)."""
    return locale if locale in LOCALES else DEFAULT_LOCALE


def translate(locale: str, message: str, /, **params: object) -> str:
    """Translate `message` into `locale` and fill in `params`, formatted for that locale."""
    text = translations(normalise_locale(locale)).gettext(message)
    if not params:
        return text
    return text.format(**{name: format_value(locale, value) for name, value in params.items()})


def translate_plural(locale: str, singular: str, plural: str, count: int, /, **params: object) -> str:
    """Translate a message whose form depends on `count`; `{count}` is filled in too, with separators."""
    text = translations(normalise_locale(locale)).ngettext(singular, plural, count)
    values = {name: format_value(locale, value) for name, value in params.items()}
    return text.format(count=format_number(locale, count), **values)


def format_value(locale: str, value: object) -> str:
    """Format a message parameter: dates and times the local way, the rest with str()."""
    if isinstance(value, datetime):
        return format_datetime(value.astimezone(LOCAL_ZONE), "d MMMM y, HH:mm", locale=normalise_locale(locale))
    if isinstance(value, date):
        return format_date(value, "d MMMM y", locale=normalise_locale(locale))
    return str(value)


def format_short_date(locale: str, value: date | datetime | None) -> str:
    """Format a date as dd-mm-yyyy (Dutch) or the English short form; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_ZONE).date()
    pattern = "dd-MM-yyyy" if normalise_locale(locale) == "nl" else "d MMM y"
    return format_date(value, pattern, locale=normalise_locale(locale))


def format_short_datetime(locale: str, value: datetime | None) -> str:
    """Format a moment in Europe/Amsterdam as date and time; empty for None."""
    if value is None:
        return ""
    pattern = "dd-MM-yyyy HH:mm" if normalise_locale(locale) == "nl" else "d MMM y, HH:mm"
    return format_datetime(value.astimezone(LOCAL_ZONE), pattern, locale=normalise_locale(locale))


def format_number(locale: str, value: int | Decimal) -> str:
    """Format a count or number with the locale's separators: "1.234" in Dutch, "1,234" in English."""
    return format_decimal(value, locale=normalise_locale(locale))


def format_percent(locale: str, percent: int | float) -> str:
    """Format a percentage given as 0-100, rounded to whole percents: "45%" in both locales."""
    return babel_format_percent(percent / 100, locale=normalise_locale(locale))


def format_money(locale: str, amount: Decimal) -> str:
    """Format an amount in euros: "€ 1.234,50" in Dutch, "€1,234.50" in English."""
    return format_currency(amount, "EUR", locale=normalise_locale(locale))


def format_amount(locale: str, amount: Decimal) -> str:
    """Format an amount as a plain number with 2 decimals: "1.234,50" in Dutch, "1,234.50" in English."""
    return format_decimal(amount, "#,##0.00", locale=normalise_locale(locale))


def format_month(locale: str, month: date) -> str:
    """Format a calendar month in short form: "mrt 2026" in Dutch, "Mar 2026" in English."""
    return format_date(month, "MMM y", locale=normalise_locale(locale))
