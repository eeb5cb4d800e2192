"""Live updates between app processes through PostgreSQL LISTEN/NOTIFY.

`publish` sends each event with `pg_notify` on one channel after the change has committed.
A background thread in every process keeps one connection that has run LISTEN and hands
each notification to the local subscribers through an `InProcessEventBus`. A process also
receives its own notifications, so `publish` never delivers locally.

When the listening connection is lost, the thread reconnects with growing delays and then
publishes a `RESYNC_ACTION` event locally, because notifications sent while it was away
are gone for good.
"""

import json
import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy import make_url, text

from services import db
from services.events import RESYNC_ACTION, EventBus, Handler, InProcessEventBus, VoucherEvent

logger = logging.getLogger(__name__)

CHANNEL = "biebvoucher_events"
# PostgreSQL's NOTIFY documentation: in the default configuration a payload must be shorter than 8000 bytes.
MAX_PAYLOAD_BYTES = 7900
RECONNECT_DELAYS_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
# How often the listener thread stops waiting for notifications to check whether it must stop.
POLL_SECONDS = 1.0
LISTENER_APPLICATION_NAME = "biebvoucher-listener"


def encode_payloads(event: VoucherEvent) -> list[str]:
    """Encode `event` as JSON payloads below MAX_PAYLOAD_BYTES, splitting its voucher ids if needed."""
    payload = json.dumps(
        {"action": event.action, "vouchers": list(event.voucher_ids), "organisations": list(event.organisation_ids)},
        separators=(",", ":"),
    )
    if len(payload.encode()) < MAX_PAYLOAD_BYTES:
        return [payload]
    if len(event.voucher_ids) < 2:
        raise ValueError(f"event {event.action} does not fit in one notification even with one voucher id")
    half = len(event.voucher_ids) // 2
    first = VoucherEvent(event.action, event.voucher_ids[:half], event.organisation_ids)
    second = VoucherEvent(event.action, event.voucher_ids[half:], event.organisation_ids)
    return encode_payloads(first) + encode_payloads(second)


def decode_payload(payload: str) -> VoucherEvent:
    """Turn a notification payload back into an event, or raise ValueError when it is malformed."""
    try:
        data = json.loads(payload)
        return VoucherEvent(
            action=str(data["action"]),
            voucher_ids=tuple(int(voucher_id) for voucher_id in data["vouchers"]),
            organisation_ids=tuple(int(organisation_id) for organisation_id in data["organisations"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"malformed event payload: {error}") from error


class PostgresEventBus:
    """Carries events between every process that uses the same PostgreSQL database."""

    def __init__(self, database_url: str) -> None:
        self._conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._local = InProcessEventBus()
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self._backend_pid: int | None = None

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Register `handler` for events from every process and return the function that unsubscribes it."""
        return self._local.subscribe(handler)

    def publish(self, event: VoucherEvent) -> None:
        """Send `event` to every listening process, this one included. Call it after the commit."""
        statement = text("SELECT pg_notify(:channel, :payload)")
        with db.get_engine().begin() as connection:
            for payload in encode_payloads(event):
                connection.execute(statement, {"channel": CHANNEL, "payload": payload})

    def start(self) -> None:
        """Start the listener thread. Later calls change nothing."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._listen_until_stopped, name="pg-event-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the listener thread and wait for it, which takes up to POLL_SECONDS."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=POLL_SECONDS * 5)
            self._thread = None

    def wait_until_listening(self, timeout: float) -> bool:
        """Wait until the listener has run LISTEN, and return False when `timeout` seconds pass first."""
        return self._listening.wait(timeout)

    @property
    def listener_backend_pid(self) -> int | None:
        """Process id of the listening connection's server backend, or None while disconnected."""
        return self._backend_pid

    @property
    def subscriber_count(self) -> int:
        return self._local.subscriber_count

    def _listen_until_stopped(self) -> None:
        logger.info("event listener started channel=%s", CHANNEL)
        failures = 0
        while not self._stopping.is_set():
            try:
                self._listen_once(resync=failures > 0)
                failures = 0
            except Exception as error:
                delay = RECONNECT_DELAYS_SECONDS[min(failures, len(RECONNECT_DELAYS_SECONDS) - 1)]
                failures += 1
                if isinstance(error, psycopg.Error):
                    first_line = (str(error).strip().splitlines() or [""])[0]
                    logger.warning(
                        "event listener lost its connection attempt=%d retry_in=%.1fs error=%s: %s",
                        failures,
                        delay,
                        type(error).__name__,
                        first_line,
                    )
                else:
                    logger.exception("event listener failed attempt=%d retry_in=%.1fs", failures, delay)
                self._stopping.wait(delay)
            finally:
                self._listening.clear()
                self._backend_pid = None
        logger.info("event listener stopped")

    def _listen_once(self, *, resync: bool) -> None:
        with psycopg.connect(
            self._conninfo,
            autocommit=True,
            application_name=LISTENER_APPLICATION_NAME,
            connect_timeout=db.POSTGRES_CONNECT_TIMEOUT_SECONDS,
        ) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self._backend_pid = connection.info.backend_pid
            self._listening.set()
            if resync:
                logger.info("event listener reconnected, asking open pages to reload")
                self._local.publish(VoucherEvent(action=RESYNC_ACTION, voucher_ids=(), organisation_ids=()))
            while not self._stopping.is_set():
                for notification in connection.notifies(timeout=POLL_SECONDS):
                    self._deliver(notification.payload)

    def _deliver(self, payload: str) -> None:
        try:
            event = decode_payload(payload)
        except ValueError as error:
            logger.warning("event listener ignored a notification: %s", error)
            return
        self._local.publish(event)


def bus_for_database(url: str) -> EventBus:
    """Return the bus for the database at `url`: LISTEN/NOTIFY on PostgreSQL, in-process otherwise."""
    if db.is_postgres(url):
        return PostgresEventBus(url)
    return InProcessEventBus()
