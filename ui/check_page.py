"""Vouchercode checken: the desk screen, built for a tablet.

The page has one large numeric field. The sixth digit or Enter checks the code. The field
clears after each result, and the result stays on screen until the next code.
"""

import uuid

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role, VoucherStatus
from services.accounts import SessionUser
from services.codes import CODE_LENGTH, format_code
from services.errors import DomainError
from services.i18n import format_short_date
from services.redemption import (
    CheckResult,
    RedemptionResult,
    check_code,
    list_libraries,
    redeem_voucher,
    undo_redemption,
)
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text, rejection_text
from ui.labels import STATUS_COLOURS, status_label
from ui.reason_dialog import run_with_reason
from ui.session import current_user, login_redirect


def check_page(request: Request) -> RedirectResponse | None:
    """Show the desk screen to library staff and administrators."""
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    with page_frame(user, _("Check voucher code")):
        if not (user.organisation_is_library or user.role == Role.ADMINISTRATOR):
            ui.label(_("Only library staff can check and redeem voucher codes.")).classes("text-lg")
            return None
        DeskScreen(user).build()
    return None


class DeskScreen:
    """The code field, the result card and the redeem button of one desk tab."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user
        self.checked: CheckResult | None = None
        self.request_key = ""
        self.library: ui.select | None = None
        self.checking = False

    def build(self) -> None:
        if self.user.role == Role.ADMINISTRATOR and not self.user.organisation_is_library:
            libraries = dict(list_libraries())
            self.library = (
                ui.select(libraries, label=_("Library where the voucher is redeemed"))
                .props("outlined data-testid=library-select")
                .mark("library-select")
                .classes("w-full max-w-xl")
            )
        with ui.row().classes("w-full max-w-xl items-start gap-3 flex-nowrap"):
            self.code = (
                ui.input(_("Voucher code"))
                .props(
                    "outlined autofocus inputmode=numeric autocomplete=off maxlength=20 "
                    'input-class="text-4xl tracking-widest font-mono" data-testid=code-input'
                )
                .classes("flex-1 text-3xl")
                .mark("code-input")
            )
            self.code.props["hint"] = _("The 6 digits on the voucher. Spaces and dashes are allowed.")
            ui.button(_("Check"), on_click=self.check).props(
                "unelevated no-caps size=xl data-testid=check-button"
            ).mark("check-button").classes("h-16 px-8")
        self.code.on("keydown.enter", self.check)
        self.code.on_value_change(self._check_when_complete)
        self.result = (
            ui.column()
            .classes("w-full max-w-xl gap-3")
            .props("aria-live=polite data-testid=check-result")
            .mark("check-result")
        )

    async def _check_when_complete(self) -> None:
        digits = "".join(character for character in self.code.value or "" if character.isdigit())
        if len(digits) == CODE_LENGTH and len(self.code.value or "") <= CODE_LENGTH + 2:
            await self.check()

    async def check(self) -> None:
        typed = self.code.value or ""
        if not typed.strip() and (self.checking or self.result.default_slot.children):
            # The sixth digit already checked the code; a scanner's trailing Enter must not
            # replace that result (or the check still running) with "empty code".
            self.code.run_method("focus")
            return
        self.code.value = ""
        self.checking = True
        try:
            self.checked = await run.io_bound(check_code, actor_id=self.user.id, raw_code=typed)
        except DomainError as error:
            self.checked = None
            self._show_error(rejection_text(error, action="code check", user_id=self.user.id), typed)
            return
        finally:
            self.checking = False
        self.request_key = uuid.uuid4().hex
        self._show_check(self.checked)

    def _show_error(self, message: str, typed: str) -> None:
        self.result.clear()
        with (
            self.result,
            ui.card()
            .classes("w-full bg-red-50 border-2 border-red-700")
            .props("data-testid=result-card")
            .mark("result-card"),
        ):
            ui.label(_("Not valid")).classes("text-2xl font-bold text-red-900")
            if typed.strip():
                ui.label(_("You typed: {typed}", typed=typed.strip())).classes("font-mono text-lg")
            ui.label(message).classes("text-lg text-red-900").props("data-testid=result-message").mark("result-message")
        self.code.run_method("focus")

    def _show_check(self, result: CheckResult) -> None:
        voucher = result.voucher
        colours = STATUS_COLOURS[voucher.status]
        self.result.clear()
        with (
            self.result,
            ui.card().classes(f"w-full border-2 {colours}").props("data-testid=result-card").mark("result-card"),
        ):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(format_code(voucher.code)).classes("text-3xl font-mono font-bold")
                ui.label(status_label(voucher.status)).classes("text-2xl font-bold").props(
                    "data-testid=result-status"
                ).mark("result-status")
            self._details(result)
            if result.problem is not None:
                ui.label(error_text(result.problem)).classes("text-lg font-semibold").props(
                    "data-testid=result-message"
                ).mark("result-message")
            else:
                ui.label(_("Compare name and date of birth with an ID, then redeem.")).classes("text-base")
                ui.button(_("Redeem"), icon="check", on_click=self.redeem).props(
                    "unelevated no-caps size=xl color=green-9 data-testid=redeem-button"
                ).mark("redeem-button").classes("w-full h-16")
        self.code.run_method("focus")

    def _details(self, result: CheckResult) -> None:
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

    async def redeem(self) -> None:
        if self.checked is None:
            return
        library_id = self.library.value if self.library is not None else None
        try:
            outcome = await run.io_bound(
                redeem_voucher,
                actor_id=self.user.id,
                raw_code=self.checked.voucher.code,
                request_key=self.request_key,
                library_id=library_id,
            )
        except DomainError as error:
            message = rejection_text(error, action="redemption", user_id=self.user.id, voucher=self.checked.voucher.id)
            self._show_error(message, format_code(self.checked.voucher.code))
            return
        self._show_redeemed(outcome)

    def _show_redeemed(self, outcome: RedemptionResult) -> None:
        voucher = outcome.voucher
        code = format_code(voucher.code)
        self.result.clear()
        with (
            self.result,
            ui.card()
            .classes(f"w-full border-2 {STATUS_COLOURS[VoucherStatus.REDEEMED]}")
            .props("data-testid=result-card")
            .mark("result-card"),
        ):
            ui.label(_("Redeemed")).classes("text-2xl font-bold").props("data-testid=result-status").mark(
                "result-status"
            )
            ui.label(_("Note this code in the library system:")).classes("text-lg")
            with ui.row().classes("items-center gap-3"):
                ui.label(code).classes("text-4xl font-mono font-bold").props("data-testid=redeemed-code").mark(
                    "redeemed-code"
                )
                ui.button(_("Copy"), icon="content_copy", on_click=lambda: self._copy(voucher.code)).props(
                    "outline no-caps size=lg"
                )
            ui.button(_("Undo this redemption"), on_click=lambda: self._undo(voucher.id)).props(
                "flat no-caps color=red-9"
            )
        self.checked = None
        self.code.run_method("focus")

    def _copy(self, code: str) -> None:
        ui.clipboard.write(code)
        ui.notify(_("Code copied"))

    async def _undo(self, voucher_id: int) -> None:
        async def undo(reason: str) -> None:
            await run.io_bound(undo_redemption, actor_id=self.user.id, voucher_id=voucher_id, reason=reason)

        if not await run_with_reason(_("Undo redemption"), _("Why is this redemption undone?"), undo):
            return
        # Notify first: clearing the result deletes the button this handler runs from.
        ui.notify(_("Redemption undone; the voucher is issued again."), type="positive")
        self.result.clear()
        self.code.run_method("focus")
