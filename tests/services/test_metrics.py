"""Counters of issued, redeemed and undone vouchers and of failed mail, counted by the services."""

import uuid

from prometheus_client import REGISTRY

from models import Voucher
from services.db import read_session, write_session
from services.mail import MailTemplate, deliver_due, queue_mail
from services.redemption import redeem_voucher, undo_redemption
from services.settings import get_settings
from services.vouchers import issue_vouchers
from tests.app_server import free_port


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_issue_redeem_undo_counted(intermediary, desk_staff):
    issued_before = _value("biebvoucher_vouchers_issued_total")
    redeemed_before = _value("biebvoucher_vouchers_redeemed_total")
    undone_before = _value("biebvoucher_redemptions_undone_total")

    first, _second = issue_vouchers(actor_id=intermediary.id, count=2)
    with read_session() as session:
        code = session.get(Voucher, first).code
    key = uuid.uuid4().hex
    redeem_voucher(actor_id=desk_staff.id, raw_code=code, request_key=key)
    redeem_voucher(actor_id=desk_staff.id, raw_code=code, request_key=key)  # a repeated tap counts once
    undo_redemption(actor_id=desk_staff.id, voucher_id=first, reason="verkeerde voucher")

    assert _value("biebvoucher_vouchers_issued_total") == issued_before + 2
    assert _value("biebvoucher_vouchers_redeemed_total") == redeemed_before + 1
    assert _value("biebvoucher_redemptions_undone_total") == undone_before + 1


async def test_mail_failure_counted(database, monkeypatch):
    # An SMTP host on a port that was free a moment ago refuses the connection.
    monkeypatch.setenv("BIEBVOUCHER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BIEBVOUCHER_SMTP_PORT", str(free_port()))
    get_settings.cache_clear()
    with write_session() as session:
        queue_mail(session, to="someone@example.test", template=MailTemplate("test", "Subject", ("Body",)))
    before = _value("biebvoucher_mail_failures_total", kind="temporary")

    delivered = await deliver_due()

    assert delivered == 0
    assert _value("biebvoucher_mail_failures_total", kind="temporary") == before + 1
