"""The overview's "Downloaden" button and "Exporteren" menu: files built in a worker thread, then downloaded."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from services.accounts import SessionUser
from services.downloads import DownloadFile, download_vouchers_pdf, export_vouchers
from services.errors import DomainError
from services.voucher_exports import ExportFormat
from services.voucher_pdf import VOUCHER_LOCALE
from services.voucher_queries import VoucherQuery
from ui.i18n import _, current_locale, rejection_text
from ui.session import call_as_user

logger = logging.getLogger(__name__)


class DownloadControls:
    """The download button, enabled only while rows are selected, and the export menu of one overview."""

    def __init__(
        self,
        user: SessionUser,
        selected_ids: Callable[[], list[int]],
        current_query: Callable[[], VoucherQuery],
    ) -> None:
        self.user = user
        self.selected_ids = selected_ids
        self.current_query = current_query
        self.download_button: ui.button
        self.download_hint: ui.tooltip
        self.export_button: ui.dropdown_button

    def build(self) -> None:
        with (
            ui.button(_("Download"), icon="picture_as_pdf", on_click=self.download_pdf)
            .props("outline no-caps size=lg data-testid=download-vouchers")
            .mark("download-vouchers") as self.download_button
        ):
            self.download_hint = ui.tooltip("")
        with (
            ui.dropdown_button(_("Export"), icon="table_view", auto_close=True)
            .props("outline no-caps size=lg data-testid=export-menu")
            .mark("export-menu") as self.export_button
        ):
            ui.item(_("CSV (Excel, semicolons)"), on_click=lambda: self.export(ExportFormat.CSV)).props(
                "data-testid=export-csv"
            ).mark("export-csv")
            ui.item(_("Excel workbook (XLSX)"), on_click=lambda: self.export(ExportFormat.XLSX)).props(
                "data-testid=export-xlsx"
            ).mark("export-xlsx")
        self.show_selection_count(0)

    def show_selection_count(self, count: int) -> None:
        """Enable the download button while rows are selected, otherwise explain in its tooltip why it is disabled."""
        self.download_button.set_enabled(count > 0)
        self.download_hint.text = (
            _("Download the selected vouchers as a PDF to print.")
            if count
            else _("Select vouchers in the table to download them.")
        )

    async def download_pdf(self) -> None:
        voucher_ids = self.selected_ids()
        await self._send(
            self.download_button,
            "pdf download",
            lambda: call_as_user(download_vouchers_pdf, voucher_ids=voucher_ids, locale=VOUCHER_LOCALE),
            count=len(voucher_ids),
        )

    async def export(self, file_format: ExportFormat) -> None:
        query = self.current_query()
        locale = current_locale()
        await self._send(
            self.export_button,
            "export",
            lambda: call_as_user(export_vouchers, query=query, file_format=file_format, locale=locale),
            format=file_format.value,
        )

    async def _send(self, button: ui.element, action: str, build: Callable[[], Awaitable[Any]], **ids: object) -> None:
        """Build the file off the event loop, then hand it to the browser or show why it was rejected."""
        button.props(add="loading")
        try:
            file: DownloadFile | None = await build()
        except DomainError as error:
            ui.notify(
                rejection_text(error, action=action, user_id=self.user.id, **ids), type="negative", multi_line=True
            )
            return
        finally:
            button.props(remove="loading")
        if file is None:
            # run.io_bound returns None when the app is shutting down.
            return
        ui.download.content(file.content, file.filename, file.media_type)
