"""Database tables and their enums. Every table is imported here so Alembic finds it in the metadata."""

from models.audit import AuditEvent
from models.auth import AuthSession, LoginAttempt, LoginThrottle, SentLoginCode
from models.conduct import ConductAcceptance, ConductVersion
from models.mail import MailStatus, OutboxMail
from models.organisation import Organisation, OrganisationKind
from models.user import Role, User
from models.voucher import ReimbursementBatch, Voucher, VoucherStatus

__all__ = [
    "AuditEvent",
    "AuthSession",
    "ConductAcceptance",
    "ConductVersion",
    "LoginAttempt",
    "LoginThrottle",
    "MailStatus",
    "Organisation",
    "OrganisationKind",
    "OutboxMail",
    "ReimbursementBatch",
    "Role",
    "SentLoginCode",
    "User",
    "Voucher",
    "VoucherStatus",
]
