"""Requests of one resident about their personal data: find their vouchers, export and erase.

Only administrators may do this. Each export and each erasure adds an audit event per
voucher; those events store no names (see services.audit).
"""

import csv
import io
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import and_, update
from sqlmodel import Session, col, select

from models import AuditEvent, Voucher
from models.text import fold_for_search
from services.audit import record_event, voucher_events
from services.clock import local_today, to_local, utc_now
from services.dates import parse_birth_date
from services.db import read_session, write_session
from services.errors import (
    NameInReason,
    NoVouchersSelected,
    ResidentNameInvalid,
    ResidentNameRequired,
    ResidentNameTooLong,
)
from services.events import VoucherEvent, publish
from services.i18n import N_, translate
from services.names import clean_name
from services.permissions import Action, Actor, load_actor, require
from services.retention import PERSONAL_COLUMNS
from services.voucher_labels import action_text, describe_change, status_text
from services.voucher_views import VoucherView, to_view, voucher_view_query
from services.vouchers import clean_reason

logger = logging.getLogger(__name__)

MAX_RESULTS = 100
# Name particles (tussenvoegsels and their like in other languages), folded.
NAME_PARTICLES = frozenset(
    "van de der den het te ten ter in op aan bij t s d l la le les du da das di del della dos von zu zum al el".split()
)
ExportFormat = Literal["json", "csv"]

EXPORT_COLUMNS = (
    ("code", N_("Code")),
    ("status", N_("Status")),
    ("organisation", N_("Issued by")),
    ("created_at", N_("Created")),
    ("holder_first_name", N_("First name")),
    ("holder_last_name", N_("Last name")),
    ("holder_birth_date", N_("Date of birth")),
    ("expires_on", N_("Valid until")),
    ("redeemed_at", N_("Redeemed")),
    ("redeemed_library", N_("Library")),
    ("library_card_number", N_("Library card number")),
    ("reimbursed_at", N_("Reimbursed")),
    ("withdrawn_at", N_("Withdrawn")),
    ("withdrawal_reason", N_("Reason for withdrawal")),
    ("personal_data_removed_at", N_("Personal data removed")),
    ("event_at", N_("Event time")),
    ("event", N_("Event")),
    ("event_change", N_("Change")),
    ("event_reason", N_("Event reason")),
)
# The voucher fields of the JSON export: the CSV columns without the repeated history event.
VOUCHER_FIELDS = tuple((key, label) for key, label in EXPORT_COLUMNS if not key.startswith("event"))
HISTORY_FIELDS = (
    ("at", N_("Event time")),
    ("action", N_("Event")),
    ("change", N_("Change")),
    ("reason", N_("Event reason")),
)


@dataclass(frozen=True)
class ResidentSearch:
    """Vouchers whose holder matches a name and, when given, a date of birth."""

    vouchers: list[VoucherView]
    truncated: bool


@dataclass(frozen=True)
class ExportFile:
    """A download: its file name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


def find_resident_vouchers(*, actor_id: int, name: str, birth_date: str = "") -> ResidentSearch:
    """Return the vouchers whose holder name contains every typed word, oldest first."""
    words = _search_words(name)
    born = parse_birth_date(birth_date, today=local_today())
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_PERSONAL_DATA)
        conditions = [col(Voucher.holder_search).contains(word, autoescape=True) for word in words]
        if born is not None:
            conditions.append(col(Voucher.holder_birth_date) == born)
        statement = (
            voucher_view_query().where(and_(*conditions)).order_by(col(Voucher.created_at)).limit(MAX_RESULTS + 1)
        )
        views = [to_view(row, today=local_today()) for row in session.exec(statement)]  # type: ignore[call-overload]
    logger.info("resident search actor=%d found=%d with_birth_date=%s", actor_id, len(views), born is not None)
    return ResidentSearch(vouchers=views[:MAX_RESULTS], truncated=len(views) > MAX_RESULTS)


def _search_words(name: str) -> list[str]:
    cleaned = clean_name(name, too_long=ResidentNameTooLong, invalid=ResidentNameInvalid)
    if cleaned is None:
        raise ResidentNameRequired()
    return fold_for_search(cleaned).split()


def export_resident_data(
    *, actor_id: int, voucher_ids: list[int], export_format: ExportFormat, locale: str = "nl"
) -> ExportFile:
    """Return the selected vouchers with their history as JSON or CSV, and audit the export."""
    if not voucher_ids:
        raise NoVouchersSelected()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_PERSONAL_DATA)
        records = _export_records(session, voucher_ids, locale)
        for record in records:
            _record(session, actor, "voucher.personal_data_exported", record["id"], after={"format": export_format})
    logger.info("resident data exported actor=%d vouchers=%d format=%s", actor_id, len(records), export_format)

    stamp = f"{to_local(utc_now()):%Y%m%d-%H%M}"
    if export_format == "json":
        content = json.dumps(_json_document(records, locale), ensure_ascii=False, indent=2)
        return ExportFile(f"persoonsgegevens-{stamp}.json", "application/json", content.encode("utf-8"))
    return ExportFile(f"persoonsgegevens-{stamp}.csv", "text/csv; charset=utf-8", _csv_bytes(records, locale))


def _export_records(session: Session, voucher_ids: list[int], locale: str) -> list[dict[str, Any]]:
    # Statuses and events are named in `locale`, because the file is handed to the resident.
    today = local_today()
    statement = voucher_view_query().where(col(Voucher.id).in_(voucher_ids)).order_by(col(Voucher.created_at))
    records = []
    for row in session.exec(statement):  # type: ignore[call-overload]
        view = to_view(row, today=today)
        voucher: Voucher = row[0]
        records.append(
            {
                "id": view.id,
                "code": view.code,
                "status": status_text(locale, view.status),
                "organisation": view.organisation_name,
                "created_at": _moment(view.created_at),
                "holder_first_name": view.holder_first_name,
                "holder_last_name": view.holder_last_name,
                "holder_birth_date": _day(view.holder_birth_date),
                "expires_on": _day(view.expires_on),
                "redeemed_at": _moment(view.redeemed_at),
                "redeemed_library": view.redeemed_library_name,
                "library_card_number": view.library_card_number,
                "reimbursed_at": _moment(view.reimbursed_at),
                "withdrawn_at": _moment(view.withdrawn_at),
                "withdrawal_reason": view.withdrawal_reason,
                "personal_data_removed_at": _moment(voucher.personal_data_removed_at),
                "history": [_history_entry(event, locale) for event in voucher_events(session, view.id)],
            }
        )
    return records


def _history_entry(event: AuditEvent, locale: str) -> dict[str, Any]:
    # Who acted is left out: staff names are the staff's personal data, not the resident's.
    return {
        "at": _moment(event.occurred_at),
        "action": action_text(locale, event.action),
        "change": describe_change(locale, event.before, event.after),
        "reason": event.reason,
    }


def _json_document(records: list[dict[str, Any]], locale: str) -> dict[str, Any]:
    # Keys are the column names in `locale`, so the resident can read the file. The internal
    # voucher id is left out because the code identifies the voucher.
    def labelled(values: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        return {translate(locale, label): values[key] for key, label in fields}

    vouchers = [
        {
            **labelled(record, VOUCHER_FIELDS),
            translate(locale, N_("History")): [labelled(event, HISTORY_FIELDS) for event in record["history"]],
        }
        for record in records
    ]
    return {translate(locale, N_("Exported at")): _moment(utc_now()), translate(locale, N_("Vouchers")): vouchers}


def _csv_bytes(records: list[dict[str, Any]], locale: str) -> bytes:
    # One row per history event, with the voucher's fields repeated, so a spreadsheet can filter it.
    # UTF-8 with a byte-order mark and ";" separators, so Dutch Excel opens it with accents intact.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([translate(locale, label) for _key, label in EXPORT_COLUMNS])
    for record in records:
        for event in record["history"]:
            values = {
                **record,
                "event_at": event["at"],
                "event": event["action"],
                "event_change": event["change"],
                "event_reason": event["reason"],
            }
            writer.writerow(["" if values.get(key) is None else values[key] for key, _label in EXPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def erase_resident_data(*, actor_id: int, voucher_ids: list[int], reason: str) -> int:
    """Remove the holder's details from the selected vouchers; returns how many had any."""
    if not voucher_ids:
        raise NoVouchersSelected()
    cleaned_reason = clean_reason(reason)
    now = utc_now()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_PERSONAL_DATA)
        vouchers = [voucher for voucher in _vouchers(session, voucher_ids) if _personal_values(voucher)]
        for voucher in vouchers:
            _reject_name_in_reason(cleaned_reason, voucher)
        # Read before the UPDATE, which also clears these objects in the session.
        removed_values = {voucher.id: _personal_values(voucher) for voucher in vouchers}
        erased_ids = [voucher.id for voucher in vouchers if voucher.id is not None]
        if erased_ids:
            session.exec(
                update(Voucher)
                .where(col(Voucher.id).in_(erased_ids))
                .values(**dict.fromkeys(PERSONAL_COLUMNS), personal_data_removed_at=now)
            )
        for voucher in vouchers:
            before = removed_values[voucher.id]
            _record(
                session,
                actor,
                "voucher.personal_data_erased",
                voucher.id or 0,
                before=before,
                after=dict.fromkeys(before),
                reason=cleaned_reason,
            )
        organisation_ids = tuple({voucher.organisation_id for voucher in vouchers})

    logger.info("resident data erased actor=%d vouchers=%d", actor_id, len(erased_ids))
    if erased_ids:
        publish(
            VoucherEvent(
                action="voucher.personal_data_erased", voucher_ids=tuple(erased_ids), organisation_ids=organisation_ids
            )
        )
    return len(erased_ids)


def _vouchers(session: Session, voucher_ids: list[int]) -> list[Voucher]:
    return list(session.exec(select(Voucher).where(col(Voucher.id).in_(voucher_ids)).order_by(col(Voucher.id))))


def _personal_values(voucher: Voucher) -> dict[str, Any]:
    return {name: getattr(voucher, name) for name in PERSONAL_COLUMNS if getattr(voucher, name) is not None}


def _reject_name_in_reason(reason: str, voucher: Voucher) -> None:
    # The reason is kept in the audit trail, so it must not bring back the name being erased.
    # Particles such as "van der" are common words in a Dutch reason, so only the other name words count.
    reason_words = set(_words(reason))
    for name in (voucher.holder_first_name, voucher.holder_last_name):
        name_words = {word for word in _words(name or "") if word not in NAME_PARTICLES and len(word) > 1}
        if name_words & reason_words:
            raise NameInReason()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold_for_search(text))


def _record(session: Session, actor: Actor, action: str, voucher_id: int, **values: Any) -> None:
    record_event(
        session,
        actor_id=actor.id,
        action=action,
        subject_type="voucher",
        subject_id=voucher_id,
        voucher_id=voucher_id,
        **values,
    )


def _moment(value: datetime | None) -> str | None:
    return to_local(value).isoformat(timespec="seconds") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None
