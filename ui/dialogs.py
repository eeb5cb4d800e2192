"""Waiting for a dialog's result without losing the keyboard focus when it closes."""

from typing import Any

from nicegui import ui


async def dialog_result(dialog: ui.dialog) -> Any:
    """Open `dialog`, wait until it closes and return its result; the dialog is removed afterwards.

    While it hides a dialog, Quasar gives the focus back to the element that opened it. Deleting
    the dialog as soon as it closes removes it before that step, and the focus falls to the page
    body, so a keyboard user starts again at the top of the page. So the dialog is emptied at
    once and deleted when Quasar reports it hidden.
    """
    dialog.on("hide", dialog.delete)
    result = await dialog
    if not dialog.is_deleted:  # the tab may have closed while the dialog was open
        dialog.clear()
    return result
