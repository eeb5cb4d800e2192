"""A plain HTML table for the administration lists.

The lists use table elements instead of `ui.table`, because their rows hold buttons, and
NiceGUI's `user` fixture can find and click elements only outside `ui.table` rows.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

CELL_CLASSES = "px-3 py-2 align-top"


@contextmanager
def admin_table(headers: list[str], marker: str) -> Iterator[None]:
    """Build a table with `headers`; rows built inside the `with` block go into its body."""
    with ui.element("div").classes("w-full overflow-x-auto"):
        with ui.element("table").classes("w-full text-left border-collapse bg-white shadow-sm").mark(marker):
            with ui.element("thead").classes("bg-slate-100"), ui.element("tr"):
                for header in headers:
                    with ui.element("th").classes(CELL_CLASSES + " font-semibold").props("scope=col"):
                        ui.label(header)
            with ui.element("tbody"):
                yield


@contextmanager
def table_row(marker: str) -> Iterator[None]:
    """Build one row; build its cells with `table_cell` inside the `with` block."""
    with ui.element("tr").classes("border-t border-slate-200").mark(marker):
        yield


@contextmanager
def table_cell() -> Iterator[None]:
    with ui.element("td").classes(CELL_CLASSES):
        yield


def text_cell(text: str) -> None:
    with table_cell():
        ui.label(text)
