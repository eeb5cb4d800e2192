"""Dialog that requests a reason, runs an action with it and stays open on an error."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from services.errors import DomainError
from ui.dialogs import dialog_result
from ui.field_errors import clear_field_error, mark_field_error
from ui.i18n import _, error_text


async def run_with_reason(
    title: str, prompt: str, action: Callable[[str], Awaitable[object]], *, explanation: str = ""
) -> bool:
    """Ask for a reason and call `action` with it; returns whether the action succeeded.

    `explanation`, when given, is a line under the title, e.g. what the action applies to or that it is final.
    """
    with (
        ui.dialog() as dialog,
        ui.card().classes("w-full max-w-lg gap-3").props("data-testid=reason-dialog").mark("reason-dialog"),
    ):
        ui.label(title).classes("text-xl font-bold").props("role=heading aria-level=2")
        if explanation:
            ui.label(explanation).classes("text-lg").props("data-testid=reason-explanation").mark("reason-explanation")
        reason = (
            ui.textarea(prompt)
            .props("outlined autofocus maxlength=500 data-testid=reason-input")
            .mark("reason-input")
            .classes("w-full")
        )
        message = ui.label().classes("text-red-800").props("role=alert data-testid=reason-error").mark("reason-error")

        async def confirm() -> None:
            message.text = ""
            clear_field_error(reason)
            try:
                await action(reason.value or "")
            except DomainError as error:
                # An error about the reason goes below the field, any other in the dialog's alert line.
                if error.field == "reason":
                    mark_field_error(reason, error_text(error))
                else:
                    message.text = error_text(error)
                return
            dialog.submit(True)

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(_("Cancel"), on_click=lambda: dialog.submit(False)).props("flat no-caps size=lg")
            ui.button(_("Confirm"), on_click=confirm).props(
                "unelevated no-caps size=lg color=red-9 data-testid=reason-confirm"
            ).mark("reason-confirm")
    succeeded = bool(await dialog_result(dialog))
    return succeeded
