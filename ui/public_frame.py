"""The layout of pages for visitors who are not logged in, and the field errors of their forms."""

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from services.errors import DomainError
from ui.field_errors import mark_field_error
from ui.frame import HEADER_COLOUR, apply_theme, demo_banner, language_switch
from ui.help_menu import public_help_link


@contextmanager
def public_frame(title: str, width: str = "max-w-md") -> Iterator[None]:
    """Lay out a logged-out page as a centred card under the header; content goes in the `with` block.

    `width` is the card's Tailwind max-width class: wider for reading text such as the manual.
    """
    ui.page_title(f"{title} · biebvoucher")
    apply_theme()
    with ui.header().classes("items-center justify-between px-4 py-2").style(f"background:{HEADER_COLOUR}"):
        ui.link("biebvoucher", "/login").classes("text-white text-xl font-bold no-underline")
        with ui.row().classes("items-center gap-2"):
            public_help_link()
            language_switch()
    demo_banner()
    with ui.card().classes(f"w-full {width} mx-auto mt-10 p-6 gap-4"):
        ui.label(title).classes("text-2xl font-bold").props("role=heading aria-level=1")
        yield


class FormErrors:
    """Shows a domain error once: below the field it names, or in the form's alert line when it names no field."""

    def __init__(self, fields: dict[str, ui.element], alert: ui.label) -> None:
        self.fields = fields
        self.alert = alert

    def show(self, error: DomainError, text: str) -> None:
        self.clear()
        element = self.fields.get(error.field or "")
        if element is None:
            self.alert.text = text
            return
        mark_field_error(element, text)

    def clear(self) -> None:
        self.alert.text = ""
        for element in self.fields.values():
            element.props["error"] = False
            element.update()
