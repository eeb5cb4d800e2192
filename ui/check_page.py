"""Vouchercode checken: the desk screen, built for a tablet.

The page has one large numeric field. The sixth digit or Enter checks the code. The field
clears after each result, and the result stays on screen until the next code.
"""

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from models import Role
from services.accounts import SessionUser
from services.codes import CODE_LENGTH, format_code
from services.errors import DomainError, EmptyCode, LibraryRequired
from services.redemption import (
    CheckResult,
    check_code,
    list_libraries,
    redeem_voucher,
    undo_redemption,
)
from ui.camera_scan import CameraScanner
from ui.desk_cards import show_check, show_redeemed, show_rejection
from ui.frame import page_frame
from ui.i18n import _, error_text, rejection_text
from ui.reason_dialog import run_with_reason
from ui.session import call_as_user, page_user

# Per browser, so an administrator at a desk chooses the library once.
LIBRARY_KEY = "desk_library_id"
# Per browser tab: the code typed so far, restored when the page loads again in the same tab,
# for example after a connection loss longer than the page's reconnect window.
CODE_DRAFT_KEY = "desk_code_draft"
# Query parameter with which the voucher page reports an undone redemption of a voucher the
# user can no longer open.
UNDONE_PARAMETER = "undone"


def check_page(request: Request) -> RedirectResponse | None:
    """Show the desk screen to library staff and administrators."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Check voucher code")):
        if not (user.organisation_is_library or user.role == Role.ADMINISTRATOR):
            ui.label(_("Only library staff can check and redeem voucher codes.")).classes("text-lg")
            return None
        if request.query_params.get(UNDONE_PARAMETER):
            ui.label(_("Redemption undone; the voucher is issued again.")).classes(
                "w-full max-w-xl rounded bg-green-100 text-green-900 px-4 py-3 text-base"
            ).props("role=status data-testid=undone-notice").mark("undone-notice")
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
        self.rejected_code = ""

    def build(self) -> None:
        if self.user.role == Role.ADMINISTRATOR and not self.user.organisation_is_library:
            self._build_library_choice()
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
            self.code.props["hint"] = _(
                "The 6 digits on the voucher. The code is checked as soon as you type the sixth."
            )
            ui.button(_("Check"), on_click=self.check).props(
                "unelevated no-caps size=xl data-testid=check-button"
            ).mark("check-button").classes("h-16 px-8")
        CameraScanner(self.user.id, on_code=self._use_scanned_code, on_close=self._focus_code).build()
        self.code.on("keydown.enter", self.check)
        self.code.on_value_change(self._save_draft)
        self.code.on_value_change(self._check_when_complete)
        ui.context.client.on_connect(self._restore_draft)
        self.result = (
            ui.column()
            .classes("w-full max-w-xl gap-3 mt-2")
            .props("aria-live=polite data-testid=check-result")
            .mark("check-result")
        )

    def _build_library_choice(self) -> None:
        libraries = dict(list_libraries())
        remembered = app.storage.user.get(LIBRARY_KEY)
        self.library = (
            ui.select(
                libraries,
                label=_("Library where the voucher is redeemed"),
                value=remembered if remembered in libraries else None,
            )
            .props("outlined data-testid=library-select")
            .mark("library-select")
            .classes("w-full max-w-xl")
        )
        self.library.on_value_change(self._remember_library)

    def _remember_library(self) -> None:
        if self.library is not None:
            app.storage.user[LIBRARY_KEY] = self.library.value
            self.library.props(remove="error")

    def _save_draft(self) -> None:
        app.storage.tab[CODE_DRAFT_KEY] = self.code.value or ""

    def _restore_draft(self) -> None:
        draft = app.storage.tab.get(CODE_DRAFT_KEY, "")
        if draft and not self.code.value:
            self.code.value = draft

    async def _use_scanned_code(self, code: str) -> None:
        # Setting the value runs the same change handlers as typing, so the sixth digit checks it.
        self.code.value = code

    def _focus_code(self) -> None:
        self.code.run_method("focus")

    async def _check_when_complete(self) -> None:
        value = self.code.value or ""
        if value == self.rejected_code:
            # The field shows the rejected code again for correction, and checks it only once it changes.
            return
        self.rejected_code = ""
        digits = "".join(character for character in value if character.isdigit())
        if len(digits) == CODE_LENGTH and len(value) <= CODE_LENGTH + 2:
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
            self.checked = await call_as_user(check_code, raw_code=typed)
        except DomainError as error:
            self.checked = None
            heading = _("No code typed") if isinstance(error, EmptyCode) else _("Not valid")
            self._show(show_rejection, heading, rejection_text(error, action="code check", user_id=self.user.id), typed)
            self._keep_for_correction(typed)
            return
        finally:
            self.checking = False
        if self.checked is not None:
            self.request_key = uuid.uuid4().hex
            self._show(show_check, self.checked, self.redeem)

    async def redeem(self, card_number: str = "") -> None:
        if self.checked is None:
            return
        try:
            outcome = await call_as_user(
                redeem_voucher,
                raw_code=self.checked.voucher.code,
                request_key=self.request_key,
                library_id=self.library.value if self.library is not None else None,
                library_card_number=card_number,
            )
        except LibraryRequired as error:
            self._mark_library_missing(error)
            return
        except DomainError as error:
            message = rejection_text(error, action="redemption", user_id=self.user.id, voucher=self.checked.voucher.id)
            self._show(show_rejection, _("Not redeemed"), message, format_code(self.checked.voucher.code))
            return
        if outcome is not None:
            self.checked = None
            self._show(
                show_redeemed,
                outcome,
                self._copy,
                lambda voucher_id: self._undo(voucher_id, outcome.voucher.code),
            )

    def _mark_library_missing(self, error: DomainError) -> None:
        # The voucher card stays, so the desk only has to choose the library and tap again.
        if self.library is not None:
            self.library.props["error"] = True
            self.library.props["error-message"] = error_text(error)
            self.library.update()
            self.library.run_method("focus")

    def _keep_for_correction(self, typed: str) -> None:
        # A mistyped code stays in the field, selected: the desk corrects one digit, or the next
        # scan or typed code replaces it.
        self.rejected_code = typed
        self.code.value = typed
        self.code.run_method("select")

    def _show(self, render: Callable[..., None], *args: Any) -> None:
        self.result.clear()
        with self.result:
            render(*args)
        self.code.run_method("focus")

    def _copy(self, code: str) -> None:
        ui.clipboard.write(code)
        ui.notify(_("Code copied"))

    async def _undo(self, voucher_id: int, code: str) -> None:
        async def undo(reason: str) -> None:
            await call_as_user(undo_redemption, voucher_id=voucher_id, reason=reason)

        explanation = _("Voucher code: {code}").format(code=format_code(code))
        if not await run_with_reason(
            _("Undo redemption"), _("Why is this redemption undone?"), undo, explanation=explanation
        ):
            return
        # Notify first: clearing the result deletes the button this handler runs from.
        ui.notify(_("Redemption undone; the voucher is issued again."), type="positive")
        self.result.clear()
        self.code.run_method("focus")
