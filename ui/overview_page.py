"""Voucheroverzicht: the paged, filtered list of vouchers, updated live."""

import logging
import re
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role, VoucherStatus
from services.accounts import SessionUser
from services.dates import parse_filter_date
from services.errors import DomainError, InvalidPeriod
from services.events import RESYNC_ACTION, VoucherEvent
from services.voucher_queries import (
    SortField,
    VoucherPage,
    VoucherQuery,
    code_space_used_percent,
    list_vouchers,
)
from services.voucher_views import VoucherView
from ui.create_dialog import open_create_dialog
from ui.field_errors import mark_field_error
from ui.frame import page_frame
from ui.i18n import _, error_text, ngettext, rejection_text
from ui.labels import STATUS_LABELS
from ui.live_updates import live_pages
from ui.session import call_as_user, page_user, session_user
from ui.table_selection import name_selection_checkboxes
from ui.voucher_downloads import DownloadControls
from ui.voucher_rows import to_row

logger = logging.getLogger(__name__)

ROWS_PER_PAGE = 25
MAX_CHANGE_NOTICES = 3
COMPLETE_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")
STATUS_SLOT = """
<q-td :props="props">
  <span :class="'inline-block rounded-full px-3 py-1 text-sm font-medium ' + props.row.status_classes"
        data-testid="status-chip">{{ props.row.status_label }}</span>
</q-td>
"""
CODE_SLOT = """
<q-td :props="props">
  <a :href="'/vouchers/' + props.row.id" :aria-label="props.row.code"
     class="inline-block py-2 pr-2 font-mono text-base font-semibold text-blue-900 whitespace-nowrap"
     data-testid="voucher-link"><span class="underline">{{ props.row.code.slice(0, 3) }}</span> <span
     class="underline">{{ props.row.code.slice(4) }}</span></a>
</q-td>
"""


def overview_page(request: Request) -> RedirectResponse | None:
    """Show the vouchers of the user's organisation, newest first."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Voucher overview")):
        VoucherOverview(user).build()
    return None


def _column(name: str, label: str, *, sortable: bool = True, nowrap: bool = False, wide_only: bool = False) -> dict:
    """Return a table column; `wide_only` columns are hidden below 1024 px, so a portrait tablet fits."""
    classes = " ".join(part for part in ("whitespace-nowrap" if nowrap else "", "gt-sm" if wide_only else "") if part)
    return {
        "name": name,
        "label": label,
        "field": name,
        "sortable": sortable,
        "align": "left",
        "classes": classes,
        "headerClasses": "gt-sm" if wide_only else "",
    }


class VoucherOverview:
    """The table, its filters and its live-update subscription for one browser tab."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user
        self.query = VoucherQuery(per_page=ROWS_PER_PAGE)
        self.table: ui.table
        self.filter_error: ui.label
        self._generation = 0
        # Ids to select as soon as a page of results shows them: the vouchers just created.
        self._select_when_shown: set[int] = set()
        self.client = ui.context.client

    def build(self) -> None:
        percent = code_space_used_percent(actor_id=self.user.id)
        if percent is not None:
            ui.label(
                _("{percent}% of all voucher codes are used. Plan a longer code before they run out.", percent=percent)
            ).classes("w-full bg-amber-100 text-amber-900 p-3 rounded").props("role=status").mark("code-space-warning")
        self._build_toolbar()
        self._build_table()
        # The first page is part of the initial HTML, so the table's paging starts out right.
        self._show_page(list_vouchers(actor_id=self.user.id, query=self.query))
        ui.context.client.on_delete(live_pages.watch(self))

    def _build_toolbar(self) -> None:
        with ui.row().classes("w-full items-end gap-3"):
            ui.button(_("Create vouchers"), icon="add", on_click=self._create).props(
                "unelevated no-caps size=lg data-testid=create-vouchers"
            ).mark("create-vouchers")
            self.downloads = DownloadControls(self.user, self._selected_ids, lambda: self.query)
            self.downloads.build()
        # Two filters per line on a portrait tablet, all four on one line from 1024 px.
        with ui.element("div").classes("w-full grid grid-cols-2 lg:grid-cols-4 gap-3"):
            self.search = (
                ui.input(_("Search by code or holder"))
                .props("outlined dense clearable debounce=300 maxlength=100 data-testid=voucher-search")
                .on_value_change(lambda _event: self._apply_filters())
            )
            options: dict[str, str] = {"": _("All statuses")}
            options.update({status.value: _(label) for status, label in STATUS_LABELS.items()})
            self.status = ui.select(options, value="", label=_("Status"), on_change=self._apply_filters).props(
                "outlined dense"
            )
            self.created_from = self._date_filter(_("Created from"))
            self.created_to = self._date_filter(_("Created until"))
        self.filter_error = (
            ui.label().classes("text-red-800").props("role=alert data-testid=filter-error").mark("filter-error")
        )

    def _date_filter(self, label: str) -> ui.input:
        field = (
            ui.input(label, placeholder=_("dd-mm-yyyy"))
            .props("outlined dense clearable maxlength=10")
            .on("blur", self._apply_filters)
            .on("keydown.enter", self._apply_filters)
        )
        # Tab moves to the clear button inside the field, so a complete date applies as it is typed.
        field.on_value_change(lambda event: self._apply_complete_date(event.value))
        return field

    async def _apply_complete_date(self, value: str | None) -> None:
        if not value or COMPLETE_DATE.fullmatch(value.strip()):
            await self._apply_filters()

    def _build_table(self) -> None:
        columns = [
            _column("code", _("Code")),
            _column("created_at", _("Created"), nowrap=True),
            _column("status", _("Status")),
            _column("holder", _("Holder")),
        ]
        if self.user.role != Role.INTERMEDIARY:
            columns.append(_column("organisation", _("Organisation"), wide_only=True))
        columns += [
            _column("redeemed", _("Redeemed (when, where, by)")),
            _column("reimbursed_at", _("Reimbursed"), sortable=False, nowrap=True, wide_only=True),
        ]

        pagination = {
            "page": 1,
            "rowsPerPage": ROWS_PER_PAGE,
            "sortBy": "created_at",
            "descending": True,
            "rowsNumber": 0,
        }
        self.table = (
            ui.table(columns=columns, rows=[], row_key="id", selection="multiple", pagination=pagination)
            .classes("w-full")
            .props("flat bordered wrap-cells hide-selected-banner data-testid=voucher-table")
            .props(":rows-per-page-options=[10,25,50,100]")
            .mark("voucher-table")
        )

        # Set as values, not inside the props string, so the words reach the translation catalogue.
        self.table.props["no-data-label"] = _("No vouchers found")
        self.table.props["rows-per-page-label"] = _("Rows per page")

        self.table.add_slot("body-cell-status", STATUS_SLOT)
        self.table.add_slot("body-cell-code", CODE_SLOT)
        name_selection_checkboxes(self.table, row_name_field="code")
        self.table.on("request", self._on_request)

        self.selection_label = (
            ui.label().classes("text-sm").props("data-testid=selection-count").mark("selection-count")
        )
        self.table.on_select(lambda _event: self._show_selection())

    def _selected_ids(self) -> list[int]:
        return [row["id"] for row in self.table.selected]

    def _show_selection(self) -> None:
        count = len(self.table.selected)
        self.downloads.show_selection_count(count)
        self.selection_label.text = (
            ngettext("{count} voucher selected", "{count} vouchers selected", count) if count else ""
        )

    async def _on_request(self, event: Any) -> None:
        pagination = event.args["pagination"]
        sort_by = pagination.get("sortBy") or "created_at"
        sort = SortField(sort_by) if sort_by in SortField._value2member_map_ else SortField.CREATED_AT
        if sort_by == "redeemed":
            sort = SortField.REDEEMED_AT
        self.query = VoucherQuery(
            **{
                **self.query.__dict__,
                "page": pagination["page"],
                "per_page": pagination["rowsPerPage"] or ROWS_PER_PAGE,
                "sort": sort,
                "descending": bool(pagination.get("descending")),
            }
        )
        self.table.pagination = {**pagination}
        await self.refresh_async()

    async def _apply_filters(self) -> None:
        self._clear_filter_errors()
        try:
            created_from = self._parse_date_field(self.created_from)
            created_to = self._parse_date_field(self.created_to)
        except DomainError:
            return
        status = VoucherStatus(self.status.value) if self.status.value else None
        self.query = VoucherQuery(
            **{
                **self.query.__dict__,
                "page": 1,
                "status": status,
                "search": self.search.value or "",
                "created_from": created_from,
                "created_to": created_to,
            }
        )
        await self.refresh_async()

    async def refresh_async(self) -> None:
        # Only the newest request may fill the table, so a slow earlier one cannot overwrite it.
        self._generation += 1
        generation = self._generation
        try:
            page = await call_as_user(list_vouchers, client=self.client, query=self.query)
        except DomainError as error:
            message = rejection_text(error, action="overview filter", user_id=self.user.id)
            self._show_filter_error(self.created_to if isinstance(error, InvalidPeriod) else None, message)
            return
        if generation != self._generation or page is None:
            return
        self._show_page(page)

    def _parse_date_field(self, field: ui.input) -> date | None:
        try:
            return parse_filter_date(field.value)
        except DomainError as error:
            self._show_filter_error(field, error_text(error))
            raise

    def _show_filter_error(self, field: ui.input | None, message: str) -> None:
        # Rows of the previous filter would look like results of the new one, so they are removed.
        self._generation += 1
        if field is None:
            self.filter_error.text = message
        else:
            mark_field_error(field, message)
        self.table.rows = []
        self.table.pagination = {**self.table.pagination, "page": 1, "rowsNumber": 0}
        self.table.update()

    def _clear_filter_errors(self) -> None:
        self.filter_error.text = ""
        for field in (self.created_from, self.created_to):
            if field.props.get("error"):
                field.props["error"] = False
                field.update()

    def _show_page(self, page: VoucherPage) -> None:
        self.table.rows = [to_row(view) for view in page.rows]
        self.table.pagination = {**self.table.pagination, "page": self.query.page, "rowsNumber": page.total}
        self._keep_selection()
        self.table.update()

    def _keep_selection(self) -> None:
        rows_by_id = {row["id"]: row for row in self.table.rows}
        selected = [rows_by_id.get(row["id"], row) for row in self.table.selected]
        newly_shown = [row for row in self.table.rows if row["id"] in self._select_when_shown]
        self._select_when_shown.difference_update(row["id"] for row in newly_shown)
        self.table.selected[:] = selected + newly_shown
        self._show_selection()

    def wants(self, event: VoucherEvent) -> bool:
        """Return whether `event` may change what this page shows; ui.live_updates calls this."""
        if self.table.is_deleted:
            return False
        if (
            event.action == RESYNC_ACTION
            or self.user.role == Role.ADMINISTRATOR
            or self.user.organisation_id in event.organisation_ids
        ):
            return True
        return bool({row["id"] for row in self.table.rows}.intersection(event.voucher_ids))

    async def reload(self) -> None:
        await self.refresh_async()

    async def apply_views(self, views: list[VoucherView]) -> None:
        """Show the changed vouchers in place, or ask for the page again when the filter may drop them."""
        if self.table.is_deleted:
            return
        changed = {view.id: to_row(view) for view in views}
        if not changed.keys() & {row["id"] for row in self.table.rows}:
            return
        if self.query.status is not None:
            # The new status can move a voucher out of the status filter, so the page is asked again.
            await self.refresh_async()
        else:
            self.table.rows = [changed.get(row["id"], row) for row in self.table.rows]
            self._keep_selection()
            self.table.update()
        shown_ids = {row["id"] for row in self.table.rows}
        # A reimbursement batch changes hundreds of vouchers at once: only a few rows on screen get a notice.
        noticed = [row for row in changed.values() if row["id"] in shown_ids][:MAX_CHANGE_NOTICES]
        with self.table:
            for row in noticed:
                ui.notify(
                    _("Voucher {code} is now: {status}", code=row["code"], status=row["status_label"]),
                    position="bottom-right",
                    type="info",
                    timeout=3000,
                )

    async def _create(self) -> None:
        try:
            await session_user()
        except DomainError:
            return
        created = await open_create_dialog(self.user)
        if created:
            # The live update of this creation may refresh the table before this handler does,
            # and only the newest refresh fills it, so the selection is applied by whichever shows them.
            self.table.selected[:] = []
            self._select_when_shown = set(created)
            self.query = VoucherQuery(
                **{**self.query.__dict__, "page": 1, "sort": SortField.CREATED_AT, "descending": True}
            )
            await self.refresh_async()
