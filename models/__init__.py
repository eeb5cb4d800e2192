"""Database tables and their enums. Every table is imported here so Alembic finds it in the metadata."""

from models.audit import AuditEvent
from models.auth import AuthSession, LoginAttempt
from models.organisation import Organisation, OrganisationKind
from models.user import Role, User
from models.voucher import ReimbursementBatch, Voucher, VoucherStatus

__all__ = [
    "AuditEvent",
    "AuthSession",
    "LoginAttempt",
    "Organisation",
    "OrganisationKind",
    "ReimbursementBatch",
    "Role",
    "User",
    "Voucher",
    "VoucherStatus",
]
