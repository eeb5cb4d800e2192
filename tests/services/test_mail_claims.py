"""Processes that deliver mail side by side send each mail once."""

import asyncio
import threading

from services.db import write_session
from services.mail import MailTemplate, deliver_due, queue_mail
from services.settings import get_settings

MAIL_COUNT = 30


def _deliver_in_thread(results: list[int], start: threading.Barrier) -> None:
    # Each thread runs its own event loop, as each app process would.
    start.wait()
    results.append(asyncio.run(deliver_due()))


def test_parallel_delivery_sends_each_mail_once(database):
    with write_session() as session:
        for number in range(MAIL_COUNT):
            queue_mail(session, to=f"person{number}@example.test", template=MailTemplate("test", "Subject", ("Body",)))
    results: list[int] = []
    start = threading.Barrier(3)
    threads = [threading.Thread(target=_deliver_in_thread, args=(results, start)) for _ in range(3)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Mail taken by no thread (none should be left) is delivered here, so the total is complete.
    leftover = asyncio.run(deliver_due())

    written = sorted((get_settings().data_dir / "outbox").glob("*.eml"))
    assert len(written) == MAIL_COUNT
    assert leftover == 0
    assert sum(results) == MAIL_COUNT
