"""Database tables and their enums. Every table is imported here so Alembic finds it in the metadata."""

from models.audit import AuditEvent
from models.auth import AuthSession, LoginAttempt
from models.mail import MailStatus, OutboxMail
from models.organisation import Organisation, OrganisationKind
from models.signup import Invitation, PasswordReset
from models.user import Role, User
from models.voucher import BatchStatus, ReimbursementBatch, Voucher, VoucherStatus

__all__ = [
    "AuditEvent",
    "AuthSession",
    "BatchStatus",
    "Invitation",
    "LoginAttempt",
    "MailStatus",
    "Organisation",
    "OrganisationKind",
    "OutboxMail",
    "PasswordReset",
    "ReimbursementBatch",
    "Role",
    "User",
    "Voucher",
    "VoucherStatus",
]
