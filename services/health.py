"""Health of this instance for /healthz: the database responds and the mail queue moves.

The report contains states and counts only, never addresses or other personal data.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, func, select, text

from models.mail import MailStatus, OutboxMail
from services.clock import utc_now
from services.db import read_session
from services.errors import DatabaseUnavailable

logger = logging.getLogger(__name__)

# A queued mail this long past its delivery time means delivery has stopped, because the
# delivery loop in services.mail takes a due mail within seconds.
STUCK_MAIL_AGE = timedelta(minutes=15)


@dataclass(frozen=True)
class HealthReport:
    """Result of the health checks; `stuck_mails` is None when the database could not be asked."""

    database_reachable: bool
    stuck_mails: int | None

    @property
    def healthy(self) -> bool:
        return self.database_reachable and self.stuck_mails == 0

    def as_json(self) -> dict[str, object]:
        """Return the report as the JSON body of /healthz."""
        if self.stuck_mails is None:
            mail_queue = "unknown"
        else:
            mail_queue = "ok" if self.stuck_mails == 0 else "stuck"
        return {
            "status": "ok" if self.healthy else "fail",
            "database": "ok" if self.database_reachable else "unreachable",
            "mail_queue": mail_queue,
            "stuck_mails": self.stuck_mails,
        }


def check_health(now: datetime | None = None) -> HealthReport:
    """Check that the database responds and that no queued mail is more than STUCK_MAIL_AGE overdue."""
    overdue_before = (now or utc_now()) - STUCK_MAIL_AGE
    try:
        with read_session() as session:
            session.exec(select(text("1"))).one()
            stuck = session.exec(
                select(func.count()).where(
                    col(OutboxMail.status) == MailStatus.QUEUED, col(OutboxMail.next_attempt_at) < overdue_before
                )
            ).one()
    except DatabaseUnavailable:
        return HealthReport(database_reachable=False, stuck_mails=None)
    if stuck:
        logger.warning("health check: mail queue stuck mails=%d", stuck)
    return HealthReport(database_reachable=True, stuck_mails=stuck)
