"""Accessible names for the selection checkboxes of a table with `selection="multiple"`."""

from html import escape

from nicegui import ui

from ui.i18n import _


def name_selection_checkboxes(table: ui.table, *, row_name_field: str) -> None:
    """Name each row's checkbox by the row's `row_name_field` value and the header's by "select all".

    Quasar's own checkboxes have no name, so a screen reader announces only "checkbox".
    """
    select_all = escape(_("Select all rows on this page"), quote=True)
    table.add_slot(
        "header-selection",
        f'<q-checkbox v-model="props.selected" aria-label="{select_all}" />',
    )
    table.add_slot(
        "body-selection",
        f'<q-checkbox v-model="props.selected" :aria-label="props.row.{row_name_field}" />',
    )
