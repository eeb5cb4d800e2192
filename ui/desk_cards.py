"""The result cards of the desk screen: refused input, a checked voucher, a redemption."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from models import VoucherStatus
from services.codes import format_code
from services.i18n import format_short_date
from services.redemption import MAX_CARD_NUMBER_LENGTH, CheckResult, RedemptionResult
from ui.i18n import _, current_locale, error_text
from ui.labels import STATUS_COLOURS, status_label

# Any card that must stop the desk is red, whatever the voucher's status colour is.
STOP_COLOURS = "bg-red-50 text-red-900 border-red-700"
# Material icons beside the status word, so the result does not rest on colour alone.
GO_ICON = "check_circle"
STOP_ICON = "block"
REJECTED_ICON = "error"
REDEEMED_ICON = "task_alt"


def _card(colours: str) -> ui.card:
    return ui.card().classes(f"w-full border-2 {colours}").props("data-testid=result-card").mark("result-card")


def _status(text: str, icon: str, test_id: str = "result-status") -> None:
    with ui.row().classes("items-center gap-2 no-wrap"):
        ui.icon(icon, size="2rem").props("aria-hidden=true data-testid=result-icon").mark("result-icon")
        ui.label(text).classes("text-2xl font-bold").props(f"data-testid={test_id}").mark(test_id)


def _message(text: str, classes: str = "text-lg font-semibold") -> None:
    ui.label(text).classes(classes).props("data-testid=result-message").mark("result-message")


def show_rejection(heading: str, message: str, typed: str) -> None:
    """Show why typed input was not accepted, with what was typed."""
    with _card(STOP_COLOURS):
        _status(heading, REJECTED_ICON, test_id="result-heading")
        if typed.strip():
            ui.label(_("You typed: {typed}", typed=typed.strip())).classes("font-mono text-lg")
        _message(message, "text-lg")


def show_check(result: CheckResult, on_redeem: Callable[[str], Awaitable[None]]) -> None:
    """Show a checked voucher: details to compare with an ID, then either "Innemen" or why not.

    `on_redeem` gets the library card number typed on the card, which may be empty.
    """
    voucher = result.voucher
    with _card(STATUS_COLOURS[voucher.status] if result.redeemable else STOP_COLOURS):
        with ui.row().classes("w-full items-center justify-between"):
            ui.label(format_code(voucher.code)).classes("text-3xl font-mono font-bold")
            _status(status_label(voucher.status), GO_ICON if result.redeemable else STOP_ICON)
        if result.problem is not None:
            ui.label(_("Do not redeem")).classes("text-xl font-bold")
            _message(error_text(result.problem))
        _details(result)
        if result.redeemable:
            if voucher.holder_name or voucher.holder_birth_date:
                ui.label(_("Compare name and date of birth with an ID, then redeem.")).classes("text-base")
            else:
                ui.label(
                    _("No holder details on this voucher. Check the resident's ID as usual, then redeem.")
                ).classes("text-base font-semibold")
            card_number = (
                ui.input(_("Library card number (optional)"))
                .props(f"outlined inputmode=numeric maxlength={MAX_CARD_NUMBER_LENGTH} data-testid=card-number")
                .mark("card-number")
                .classes("w-full")
            )
            ui.button(_("Redeem"), icon="check", on_click=lambda: on_redeem(card_number.value or "")).props(
                "unelevated no-caps size=xl color=green-9 data-testid=redeem-button"
            ).mark("redeem-button").classes("w-full h-16")


def _details(result: CheckResult) -> None:
    voucher = result.voucher
    locale = current_locale()
    rows = [
        (_("Issued by"), voucher.organisation_name),
        (_("Created"), format_short_date(locale, voucher.created_at)),
        (_("Holder"), voucher.holder_name or _("not filled in")),
        (_("Date of birth"), format_short_date(locale, voucher.holder_birth_date) or _("not filled in")),
    ]
    with ui.grid(columns=2).classes("w-full gap-x-4 gap-y-1 text-lg"):
        for label, value in rows:
            ui.label(label).classes("font-semibold")
            ui.label(value)


def show_redeemed(
    outcome: RedemptionResult, on_copy: Callable[[str], None], on_undo: Callable[[int], Awaitable[None]]
) -> None:
    """Show a successful redemption and the code to note in the library system."""
    voucher = outcome.voucher
    with _card(STATUS_COLOURS[VoucherStatus.REDEEMED]):
        _status(_("Redeemed"), REDEEMED_ICON)
        ui.label(_("Note this code in the library system:")).classes("text-lg")
        with ui.row().classes("items-center gap-3"):
            ui.label(format_code(voucher.code)).classes("text-4xl font-mono font-bold").props(
                "data-testid=redeemed-code"
            ).mark("redeemed-code")
            ui.button(_("Copy"), icon="content_copy", on_click=lambda: on_copy(voucher.code)).props(
                "outline no-caps size=lg data-testid=copy-button"
            ).mark("copy-button")
        ui.button(_("Undo this redemption"), on_click=lambda: on_undo(voucher.id)).props(
            "outline no-caps size=lg color=red-9 data-testid=undo-redemption"
        ).classes("min-h-12").mark("undo-redemption")
