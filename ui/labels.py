"""Display names and colours of statuses and roles."""

from models import OrganisationKind, Role, VoucherStatus
from services.i18n import N_
from services.voucher_labels import ROLE_LABELS, STATUS_LABELS
from ui.i18n import _

# Tailwind background and text colours with a contrast of at least 4.5:1.
STATUS_COLOURS = {
    VoucherStatus.ISSUED: "bg-blue-100 text-blue-900",
    VoucherStatus.REDEEMED: "bg-green-100 text-green-900",
    VoucherStatus.REIMBURSED: "bg-purple-100 text-purple-900",
    VoucherStatus.WITHDRAWN: "bg-gray-200 text-gray-900",
    VoucherStatus.EXPIRED: "bg-orange-100 text-orange-900",
}

ORGANISATION_KIND_LABELS = {
    OrganisationKind.LIBRARY: N_("Library"),
    OrganisationKind.INTERMEDIARY: N_("Intermediary organisation"),
}


def status_label(status: VoucherStatus) -> str:
    return _(STATUS_LABELS[status])


def role_label(role: Role) -> str:
    return _(ROLE_LABELS[role])


def organisation_kind_label(kind: OrganisationKind) -> str:
    return _(ORGANISATION_KIND_LABELS[kind])
