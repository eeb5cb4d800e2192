"""Health checks: the database responds and no queued mail is long overdue."""

from datetime import timedelta

from models import MailStatus
from services import db
from services.clock import utc_now
from services.health import STUCK_MAIL_AGE, check_health
from tests.factories import make_outbox_mail


def test_empty_queue_is_healthy(database):
    report = check_health()

    assert report.healthy
    assert report.as_json() == {"status": "ok", "database": "ok", "mail_queue": "ok", "stuck_mails": 0}


def test_overdue_queued_mail_is_stuck(database):
    now = utc_now()
    make_outbox_mail(now - STUCK_MAIL_AGE - timedelta(seconds=1))
    make_outbox_mail(now - STUCK_MAIL_AGE + timedelta(seconds=30))
    make_outbox_mail(now - timedelta(days=1), status=MailStatus.FAILED)
    make_outbox_mail(now - timedelta(days=1), status=MailStatus.SENT)

    report = check_health(now)

    assert not report.healthy
    assert report.stuck_mails == 1
    assert report.as_json()["mail_queue"] == "stuck"


def test_unreachable_database_is_unhealthy(database, tmp_path):
    db.configure(f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}")

    report = check_health()

    assert not report.healthy
    assert report.as_json() == {
        "status": "fail",
        "database": "unreachable",
        "mail_queue": "unknown",
        "stuck_mails": None,
    }
