"""Database tables and their enums. Every table is imported here so Alembic finds it in the metadata."""

from models.audit import AuditEvent
from models.auth import AuthSession, LoginAttempt, LoginThrottle, SentLoginCode
from models.conduct import ConductAcceptance, ConductVersion
from models.mail import MailStatus, OutboxMail
from models.organisation import Organisation, OrganisationKind
from models.signup import Invitation, PasswordReset
from models.user import Role, User
from models.voucher import BatchStatus, ReimbursementBatch, Voucher, VoucherStatus

__all__ = [
    "AuditEvent",
    "AuthSession",
    "BatchStatus",
    "ConductAcceptance",
    "ConductVersion",
    "Invitation",
    "LoginAttempt",
    "LoginThrottle",
    "MailStatus",
    "Organisation",
    "OrganisationKind",
    "OutboxMail",
    "PasswordReset",
    "ReimbursementBatch",
    "Role",
    "SentLoginCode",
    "User",
    "Voucher",
    "VoucherStatus",
]
