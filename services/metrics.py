"""Prometheus metrics of this process, served at /metrics by ui/operations.py.

Each process counts what it did itself, so Prometheus adds up the instances. Counting from
the event bus instead would count every event once per process on PostgreSQL, where every
process receives every event.
"""

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

VOUCHERS_ISSUED = Counter("biebvoucher_vouchers_issued", "Vouchers issued by this process.")
VOUCHERS_REDEEMED = Counter("biebvoucher_vouchers_redeemed", "Vouchers redeemed by this process.")
REDEMPTIONS_UNDONE = Counter("biebvoucher_redemptions_undone", "Redemptions undone by this process.")
MAIL_FAILURES = Counter(
    "biebvoucher_mail_failures",
    "Failed mail delivery attempts: 'permanent' for a 5xx refusal, 'temporary' for other errors.",
    ["kind"],
)
REQUEST_SECONDS = Histogram(
    "biebvoucher_http_request_duration_seconds",
    "Time from receiving an HTTP request to sending the end of its response.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LIVE_UPDATE_SECONDS = Histogram(
    "biebvoucher_live_update_seconds",
    "Time from a voucher change reaching this process until every open overview that shows it was updated.",
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5),
)
OPEN_CLIENTS = Gauge("biebvoucher_open_clients", "NiceGUI clients (browser tabs with a page) in this process.")


def render_metrics() -> tuple[bytes, str]:
    """Return every metric in Prometheus' text format, with its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST
