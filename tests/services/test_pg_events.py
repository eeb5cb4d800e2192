"""The PostgreSQL LISTEN/NOTIFY bus: delivery between bus objects, payload limits, reconnects."""

import json
import queue
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import make_url

from services import db
from services.events import RESYNC_ACTION, InProcessEventBus, VoucherEvent
from services.pg_events import (
    MAX_PAYLOAD_BYTES,
    PostgresEventBus,
    bus_for_database,
    decode_payload,
    encode_payloads,
)
from tests.app_server import free_port
from tests.conftest import empty_postgres

# Upper bounds for waiting. The tests wait for an event and do not time it.
DELIVERY_TIMEOUT_SECONDS = 10
LISTEN_TIMEOUT_SECONDS = 10


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    yield empty_postgres(postgres_database)
    db.get_engine().dispose()


@pytest.fixture
def two_buses(postgres_url: str) -> Iterator[tuple[PostgresEventBus, PostgresEventBus]]:
    """Two started buses on one database, as two app processes would have."""
    buses = (PostgresEventBus(postgres_url), PostgresEventBus(postgres_url))
    for bus in buses:
        bus.start()
    for bus in buses:
        assert bus.wait_until_listening(LISTEN_TIMEOUT_SECONDS), "listener did not connect"
    yield buses
    for bus in buses:
        bus.stop()


def _receiver(bus: PostgresEventBus) -> "queue.Queue[VoucherEvent]":
    received: queue.Queue[VoucherEvent] = queue.Queue()
    bus.subscribe(received.put)
    return received


def test_event_reaches_other_bus(two_buses):
    sender, listener = two_buses
    received = _receiver(listener)
    event = VoucherEvent(action="voucher.redeemed", voucher_ids=(7,), organisation_ids=(2, 3))

    sender.publish(event)

    assert received.get(timeout=DELIVERY_TIMEOUT_SECONDS) == event


def test_sender_receives_own_event_once(two_buses):
    sender, _listener = two_buses
    received = _receiver(sender)
    first = VoucherEvent(action="voucher.issued", voucher_ids=(1,), organisation_ids=(1,))
    second = VoucherEvent(action="voucher.withdrawn", voucher_ids=(1,), organisation_ids=(1,))

    sender.publish(first)
    sender.publish(second)

    assert received.get(timeout=DELIVERY_TIMEOUT_SECONDS) == first
    assert received.get(timeout=DELIVERY_TIMEOUT_SECONDS) == second
    assert received.empty()


def test_large_event_arrives_in_parts(two_buses):
    sender, listener = two_buses
    received = _receiver(listener)
    voucher_ids = tuple(range(1_000_000_000, 1_000_002_000))

    sender.publish(VoucherEvent(action="voucher.issued", voucher_ids=voucher_ids, organisation_ids=(4,)))

    parts = []
    while sum(len(part.voucher_ids) for part in parts) < len(voucher_ids):
        parts.append(received.get(timeout=DELIVERY_TIMEOUT_SECONDS))
    assert len(parts) > 1
    assert tuple(voucher_id for part in parts for voucher_id in part.voucher_ids) == voucher_ids
    assert {part.organisation_ids for part in parts} == {(4,)}


def test_listener_reconnects_after_backend_terminated(two_buses, postgres_url, caplog):
    sender, listener = two_buses
    received = _receiver(listener)
    old_pid = listener.listener_backend_pid
    admin_dsn = make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)

    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        terminated = admin.execute("SELECT pg_terminate_backend(%s)", (old_pid,)).fetchone()
    assert terminated == (True,)

    resync = received.get(timeout=DELIVERY_TIMEOUT_SECONDS)
    assert resync.action == RESYNC_ACTION
    assert listener.listener_backend_pid not in (None, old_pid)
    assert "event listener lost its connection" in caplog.text

    event = VoucherEvent(action="voucher.redeemed", voucher_ids=(9,), organisation_ids=(1,))
    sender.publish(event)
    assert received.get(timeout=DELIVERY_TIMEOUT_SECONDS) == event


def test_listener_waits_for_unreachable_database(postgres_url, caplog):
    # Starting against a closed port must not raise, because the thread retries until stopped.
    closed = make_url(postgres_url).set(port=free_port()).render_as_string(hide_password=False)
    bus = PostgresEventBus(closed)
    bus.start()
    try:
        assert not bus.wait_until_listening(2)
    finally:
        bus.stop()
    assert "event listener lost its connection attempt=1" in caplog.text


def test_malformed_notification_is_ignored(two_buses, postgres_url, caplog):
    _sender, listener = two_buses
    received = _receiver(listener)
    admin_dsn = make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    event = VoucherEvent(action="voucher.redeemed", voucher_ids=(5,), organisation_ids=(1,))

    with psycopg.connect(admin_dsn, autocommit=True) as other_program:
        other_program.execute("SELECT pg_notify('biebvoucher_events', 'not json')")
        other_program.execute("SELECT pg_notify('biebvoucher_events', %s)", (encode_payloads(event)[0],))

    assert received.get(timeout=DELIVERY_TIMEOUT_SECONDS) == event
    assert "event listener ignored a notification" in caplog.text


def test_payload_holds_ids_only():
    event = VoucherEvent(action="voucher.redeemed", voucher_ids=(12, 13), organisation_ids=(3,))

    (payload,) = encode_payloads(event)

    assert json.loads(payload) == {"action": "voucher.redeemed", "vouchers": [12, 13], "organisations": [3]}
    assert decode_payload(payload) == event


def test_split_payloads_stay_below_limit():
    voucher_ids = tuple(range(10**12, 10**12 + 5000))
    event = VoucherEvent(action="voucher.issued", voucher_ids=voucher_ids, organisation_ids=(1,))

    payloads = encode_payloads(event)

    assert len(payloads) > 1
    assert all(len(payload.encode()) < MAX_PAYLOAD_BYTES for payload in payloads)


@pytest.mark.parametrize(
    "payload",
    ['{"action": "x"}', "[1, 2]", '{"action": "x", "vouchers": ["a"], "organisations": []}', "{"],
)
def test_decode_rejects_malformed_payload(payload):
    with pytest.raises(ValueError, match="malformed event payload"):
        decode_payload(payload)


def test_bus_chosen_by_database_url(postgres_url, tmp_path):
    assert isinstance(bus_for_database(postgres_url), PostgresEventBus)
    assert isinstance(bus_for_database(f"sqlite:///{tmp_path / 'x.sqlite3'}"), InProcessEventBus)
