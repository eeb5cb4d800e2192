"""Dashboard: voucher figures per status, month and organisation, each as a chart with a table beside it.

The tables hold the same numbers as the charts, so screen readers and keyboard users get every
figure without the canvas.
"""

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role, VoucherStatus
from services.accounts import SessionUser
from services.dashboard import DashboardFigures, dashboard_figures
from services.errors import DomainError
from services.i18n import format_month, format_number, format_percent
from ui.frame import page_frame
from ui.i18n import _, current_locale, rejection_text
from ui.labels import status_label
from ui.session import page_user

# Colours of the chart series, in the same hues as the status chips.
SERIES_COLOURS = {"issued": "#1e40af", "redeemed": "#15803d", "reimbursed": "#7e22ce", "open": "#c2410c"}


def dashboard_page(request: Request) -> RedirectResponse | None:
    """Show the voucher figures the user may see."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Dashboard")):
        try:
            figures = dashboard_figures(actor_id=user.id)
        except DomainError as error:
            ui.label(rejection_text(error, action="dashboard", user_id=user.id)).classes("text-lg")
            return None
        Dashboard(user, figures).build()
    return None


def _column(name: str, label: str, align: str = "right") -> dict[str, str]:
    return {"name": name, "label": label, "field": name, "align": align}


def _bar_chart(
    categories: list[str], series: dict[str, list[int]], names: dict[str, str], title: str, slanted: bool = False
) -> None:
    """Add a bar chart; `slanted` turns the category labels 45 degrees, for many short labels such as months."""
    # Every category label is shown instead of ECharts skipping labels that would overlap. Long
    # labels wrap at 90 px; twelve month labels do not fit side by side on a tablet (768 px), so
    # those are slanted instead.
    axis_label: dict[str, Any] = {"interval": 0}
    axis_label.update({"rotate": 45} if slanted else {"width": 90, "overflow": "break"})
    options: dict[str, Any] = {
        "aria": {"enabled": True},
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 40, "right": 16, "top": 40, "bottom": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": categories, "axisLabel": axis_label},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": names[key], "type": "bar", "data": values, "itemStyle": {"color": SERIES_COLOURS.get(key)}}
            for key, values in series.items()
        ],
    }
    chart = ui.echart(options).classes("w-full h-72")
    chart.props["role"] = "img"
    chart.props["aria-label"] = title


class Dashboard:
    """The sections of the dashboard for one set of figures."""

    def __init__(self, user: SessionUser, figures: DashboardFigures) -> None:
        self.user = user
        self.figures = figures

    def build(self) -> None:
        if self.user.role != Role.ADMINISTRATOR:
            ui.label(_("Figures of {organisation}", organisation=self.user.organisation_name)).classes("text-lg")
        self._summary()
        self._per_status()
        self._per_month()
        self._per_organisation()
        self._open_per_intermediary()

    def _section(self, title: str) -> ui.element:
        ui.label(title).classes("text-xl font-bold mt-4").props("role=heading aria-level=2")
        return ui.element("div").classes("w-full grid grid-cols-1 lg:grid-cols-2 gap-4 items-start")

    def _summary(self) -> None:
        figures = self.figures
        locale = current_locale()
        conversion = "-" if figures.conversion_percent is None else format_percent(locale, figures.conversion_percent)
        with ui.row().classes("gap-8 text-lg"):
            # "Issued" and "Redeemed" are also status names in the table below, so these totals
            # over several statuses get other words.
            issued = format_number(locale, figures.issued)
            redeemed = format_number(locale, figures.redeemed)
            ui.label(_("Vouchers created (all statuses): {count}", count=issued)).mark("dashboard-issued")
            ui.label(_("Redeemed or reimbursed: {count}", count=redeemed)).mark("dashboard-redeemed")
            ui.label(_("Share of created vouchers that were redeemed: {percent}", percent=conversion)).mark(
                "dashboard-conversion"
            )

    def _per_status(self) -> None:
        statuses = list(VoucherStatus)
        counts = [self.figures.per_status[status] for status in statuses]
        labels = [status_label(status) for status in statuses]
        with self._section(_("Vouchers per status")):
            _bar_chart(labels, {"issued": counts}, {"issued": _("Vouchers")}, _("Vouchers per status"))
            rows = [{"status": label, "count": count} for label, count in zip(labels, counts, strict=True)]
            ui.table(
                columns=[_column("status", _("Status"), "left"), _column("count", _("Vouchers"))],
                rows=rows,
                row_key="status",
            ).classes("w-full").props("flat bordered dense").mark("status-table")

    def _per_month(self) -> None:
        locale = current_locale()
        months = [format_month(locale, row.month) for row in self.figures.per_month]
        series = {
            "issued": [row.issued for row in self.figures.per_month],
            "redeemed": [row.redeemed for row in self.figures.per_month],
            "reimbursed": [row.reimbursed for row in self.figures.per_month],
        }
        names = {"issued": _("Created"), "redeemed": _("Redeemed"), "reimbursed": _("Reimbursed")}
        with self._section(_("Vouchers per month")):
            _bar_chart(months, series, names, _("Vouchers per month"), slanted=True)
            rows = [
                {"month": month, "issued": row.issued, "redeemed": row.redeemed, "reimbursed": row.reimbursed}
                for month, row in zip(months, self.figures.per_month, strict=True)
            ]
            columns = [_column("month", _("Month"), "left")] + [_column(key, label) for key, label in names.items()]
            ui.table(columns=columns, rows=rows, row_key="month").classes("w-full").props("flat bordered dense").mark(
                "month-table"
            )

    def _per_organisation(self) -> None:
        locale = current_locale()
        rows = [
            {
                "organisation": row.name,
                "issued": row.issued,
                "redeemed": row.redeemed,
                "reimbursed": row.reimbursed,
                "open": row.open,
                "conversion": format_percent(locale, 100 * row.redeemed / row.issued) if row.issued else "-",
            }
            for row in self.figures.per_organisation
        ]
        names = {"issued": _("Created"), "redeemed": _("Redeemed"), "reimbursed": _("Reimbursed")}
        with self._section(_("Vouchers per organisation")):
            organisations = self.figures.per_organisation
            series = {
                "issued": [row.issued for row in organisations],
                "redeemed": [row.redeemed for row in organisations],
                "reimbursed": [row.reimbursed for row in organisations],
            }
            _bar_chart([row.name for row in organisations], series, names, _("Vouchers per organisation"))
            columns = [_column("organisation", _("Organisation"), "left")]
            columns += [_column(key, label) for key, label in names.items()]
            columns += [_column("open", _("Open")), _column("conversion", _("Conversion"))]
            ui.table(columns=columns, rows=rows, row_key="organisation").classes("w-full").props(
                "flat bordered dense"
            ).mark("organisation-table")

    def _open_per_intermediary(self) -> None:
        rows = [{"organisation": row.name, "open": row.open} for row in self.figures.open_per_intermediary]
        with self._section(_("Open vouchers per intermediary organisation")):
            intermediaries = self.figures.open_per_intermediary
            _bar_chart(
                [row.name for row in intermediaries],
                {"open": [row.open for row in intermediaries]},
                {"open": _("Open")},
                _("Open vouchers per intermediary organisation"),
            )
            ui.table(
                columns=[_column("organisation", _("Organisation"), "left"), _column("open", _("Open"))],
                rows=rows,
                row_key="organisation",
            ).classes("w-full").props("flat bordered dense").mark("open-table")
