"""Translation for pages: the locale is kept per browser in NiceGUI's user storage."""

from nicegui import app

from services.errors import DomainError
from services.i18n import DEFAULT_LOCALE, normalise_locale, translate, translate_plural

LOCALE_KEY = "locale"


def current_locale() -> str:
    """Return the locale of the current browser, Dutch unless English was chosen."""
    try:
        return normalise_locale(app.storage.user.get(LOCALE_KEY, DEFAULT_LOCALE))
    except RuntimeError:
        return DEFAULT_LOCALE


def _(message: str, **params: object) -> str:
    """Translate `message` into the current locale."""
    return translate(current_locale(), message, **params)


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    """Translate a message whose form depends on `count`."""
    return translate_plural(current_locale(), singular, plural, count, **params)


def error_text(error: DomainError) -> str:
    """Return the message of a domain error in the current locale."""
    return error.render(current_locale())
