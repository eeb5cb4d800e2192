import asyncio
import threading

import pytest

from services.errors import InvalidCount
from services.events import InProcessEventBus, VoucherEvent, get_bus
from services.vouchers import issue_vouchers


def test_issue_publishes_ids_after_commit(intermediary):
    received = []
    unsubscribe = get_bus().subscribe(received.append)
    try:
        ids = issue_vouchers(actor_id=intermediary.id, count=2)
    finally:
        unsubscribe()

    assert len(received) == 1
    assert received[0].action == "voucher.issued"
    assert received[0].voucher_ids == tuple(ids)
    assert received[0].organisation_ids == (intermediary.organisation_id,)


def test_failed_change_publishes_nothing(intermediary):
    received = []
    unsubscribe = get_bus().subscribe(received.append)
    try:
        with pytest.raises(InvalidCount):
            issue_vouchers(actor_id=intermediary.id, count=0)
    finally:
        unsubscribe()

    assert received == []


def test_event_delivered_on_subscriber_loop():
    bus = InProcessEventBus()
    event = VoucherEvent(action="voucher.redeemed", voucher_ids=(1,), organisation_ids=(2,))

    async def subscribe_and_wait():
        delivered = asyncio.Event()
        threads = []

        def handler(received):
            threads.append(threading.get_ident())
            delivered.set()

        bus.subscribe(handler)
        publisher = threading.Thread(target=bus.publish, args=(event,))
        publisher.start()
        await asyncio.wait_for(delivered.wait(), timeout=2)
        publisher.join()
        return threads, threading.get_ident()

    threads, loop_thread = asyncio.run(subscribe_and_wait())

    assert threads == [loop_thread]


def test_failing_handler_does_not_stop_others(caplog):
    bus = InProcessEventBus()
    received = []

    def broken(_event):
        raise RuntimeError("page gone")

    bus.subscribe(broken)
    bus.subscribe(received.append)
    bus.publish(VoucherEvent(action="voucher.issued", voucher_ids=(1,), organisation_ids=(1,)))

    assert len(received) == 1
    assert "event handler failed" in caplog.text


def test_unsubscribe_stops_delivery():
    bus = InProcessEventBus()
    received = []
    unsubscribe = bus.subscribe(received.append)

    unsubscribe()
    bus.publish(VoucherEvent(action="voucher.issued", voucher_ids=(1,), organisation_ids=(1,)))

    assert received == []
    assert bus.subscriber_count == 0
