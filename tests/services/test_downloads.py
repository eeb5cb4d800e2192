"""The voucher PDF read back: text through pypdf, QR codes through pypdfium2 and zxing-cpp."""

import io
import re
from collections import Counter

import pypdf
import pypdfium2
import pytest
import zxingcpp
from sqlmodel import select

from models import AuditEvent, OrganisationKind, Role, Voucher
from services.codes import format_code
from services.db import read_session
from services.downloads import MAX_VOUCHERS_PER_PDF, PDF_ACTION, download_vouchers_pdf
from services.errors import NothingSelected, TooManySelected, VouchersNotPrintable, VouchersNotVisible
from services.vouchers import HolderInput, issue_vouchers, withdraw_voucher
from tests.factories import make_organisation, make_user

# Every letter the printed names must keep, with particles, apostrophes and hyphens.
HOLDERS = [
    HolderInput("Łukasz", "Wójcik", "07-03-1985"),
    HolderInput("Ayşe", "Yılmaz-Kaya", "1-2-1990"),
    HolderInput("Ștefan", "Popescu", "15/11/1972"),
    HolderInput("Ödön", "Erdős", "30-06-1960"),
    HolderInput("Ñico", "Núñez García", "02-02-2002"),
    HolderInput("François", "van der Meer", "12-12-1999"),
    HolderInput("Siobhán", "O'Brien-Murphy", "24-08-1981"),
]
PRINTED_BIRTH_DATES = ["07-03-1985", "01-02-1990", "15-11-1972", "30-06-1960", "02-02-2002", "12-12-1999", "24-08-1981"]
GROUPED_CODE = re.compile(r"(?<!\d)\d{3} \d{3}(?!\d)")


def _codes(voucher_ids):
    with read_session() as session:
        return {
            voucher.id: voucher.code for voucher in session.exec(select(Voucher).where(Voucher.id.in_(voucher_ids)))
        }


def _page_texts(content):
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def _flat_text(content):
    """Return the text of every page with each run of whitespace as one space, as labels and values are drawn apart."""
    return " ".join(" ".join(_page_texts(content)).split())


def _decoded_qr_codes(content):
    document = pypdfium2.PdfDocument(content)
    decoded = []
    for page in document:
        image = page.render(scale=2).to_pil()
        decoded += [result.text for result in zxingcpp.read_barcodes(image)]
    document.close()
    return decoded


def _line_segments(content):
    """Count the stroked straight lines on every page: cut lines and lines to write on."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return sum(len(re.findall(rb" l\s+S", page.get_contents().get_data())) for page in reader.pages)


def test_pdf_contains_exactly_selected_codes(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=10)
    selected = voucher_ids[:9]
    codes = _codes(voucher_ids)

    file = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=selected, locale="nl")

    pages = _page_texts(file.content)
    assert len(pages) == 2
    printed = Counter(match for text in pages for match in GROUPED_CODE.findall(text))
    assert printed == Counter(format_code(codes[voucher_id]) for voucher_id in selected)
    assert format_code(codes[voucher_ids[9]]) not in printed


def test_pdf_names_keep_every_letter(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=len(HOLDERS), holders=HOLDERS)

    file = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=voucher_ids, locale="nl")

    text = "\n".join(_page_texts(file.content))
    for holder, birth_date in zip(HOLDERS, PRINTED_BIRTH_DATES, strict=True):
        assert f"{holder.first_name} {holder.last_name}" in text
        assert birth_date in text


def test_pdf_shows_issuer_and_dutch_instruction(intermediary, intermediary_organisation):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=1)

    file = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=voucher_ids, locale="nl")

    text = _flat_text(file.content)
    assert "Gratis lidmaatschap voor Limburgers met een kleine beurs" in text
    assert f"Uitgegeven door: {intermediary_organisation.name}" in text
    assert "Neem deze voucher en een identiteitsbewijs mee naar de bibliotheek." in text
    assert "Naam:" in text
    assert "Geboortedatum:" in text
    assert file.media_type == "application/pdf"
    assert re.fullmatch(r"vouchers-\d{4}-\d{2}-\d{2}\.pdf", file.filename)


def test_pdf_follows_english_locale(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=1)

    text = _flat_text(download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=voucher_ids, locale="en").content)

    assert "Take this voucher and an identity document to the library." in text
    assert "Name:" in text
    assert "Naam:" not in text


def test_pdf_unknown_holder_gets_lines(intermediary):
    (known,) = issue_vouchers(actor_id=intermediary.id, count=1, holders=HOLDERS[:1])
    (unknown,) = issue_vouchers(actor_id=intermediary.id, count=1)

    with_holder = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=[known], locale="nl").content
    without_holder = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=[unknown], locale="nl").content

    # The same page layout, plus one line for the name and one for the date of birth.
    assert _line_segments(without_holder) == _line_segments(with_holder) + 2
    text = _flat_text(without_holder)
    assert "Naam: Geboortedatum: Neem deze voucher" in text
    assert len(re.findall(r"\d{2}-\d{2}-\d{4}", text)) == 1  # only the issue date


def test_pdf_qr_codes_decode_to_selected_codes(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=10, holders=HOLDERS)
    selected = voucher_ids[1:]
    codes = _codes(voucher_ids)

    file = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=selected, locale="nl")

    assert sorted(_decoded_qr_codes(file.content)) == sorted(codes[voucher_id] for voucher_id in selected)


def test_pdf_repeated_id_printed_once(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=2)
    codes = _codes(voucher_ids)

    file = download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=voucher_ids + voucher_ids[:1], locale="nl")

    printed = Counter(GROUPED_CODE.findall("\n".join(_page_texts(file.content))))
    assert printed == Counter(format_code(code) for code in codes.values())


def test_pdf_download_recorded_in_audit(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=3)

    download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=voucher_ids, locale="nl")

    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == PDF_ACTION)).all()
    assert len(events) == 1
    assert events[0].actor_id == intermediary.id
    assert events[0].after == {"format": "pdf", "count": 3, "voucher_ids": voucher_ids}


def test_pdf_other_organisation_voucher_rejected(intermediary):
    other_organisation = make_organisation(OrganisationKind.INTERMEDIARY)
    other = make_user(Role.INTERMEDIARY, other_organisation)
    own_ids = issue_vouchers(actor_id=intermediary.id, count=1)
    foreign_ids = issue_vouchers(actor_id=other.id, count=2)

    with pytest.raises(VouchersNotVisible) as raised:
        download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=own_ids + foreign_ids, locale="nl")

    assert raised.value.params == {"count": 2}
    with read_session() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == PDF_ACTION)).all() == []


def test_pdf_unknown_id_rejected(intermediary):
    with pytest.raises(VouchersNotVisible):
        download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=[999_999], locale="nl")


def test_pdf_library_staff_prints_own_organisation(desk_staff):
    voucher_ids = issue_vouchers(actor_id=desk_staff.id, count=1)

    file = download_vouchers_pdf(actor_id=desk_staff.id, voucher_ids=voucher_ids, locale="nl")

    assert file.content.startswith(b"%PDF-")


def test_pdf_administrator_prints_any_organisation(administrator, intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=1)

    file = download_vouchers_pdf(actor_id=administrator.id, voucher_ids=voucher_ids, locale="nl")

    assert len(_decoded_qr_codes(file.content)) == 1


def test_pdf_withdrawn_voucher_rejected(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=2)
    withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher_ids[0], reason="Dubbel aangemaakt")

    with pytest.raises(VouchersNotPrintable) as raised:
        download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=voucher_ids, locale="nl")

    assert raised.value.params == {"count": 1}


def test_pdf_empty_selection_rejected(intermediary):
    with pytest.raises(NothingSelected) as raised:
        download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=[], locale="nl")

    assert raised.value.render("nl").startswith("Er zijn geen vouchers geselecteerd.")


def test_pdf_selection_over_maximum_rejected(intermediary):
    too_many = list(range(1, MAX_VOUCHERS_PER_PDF + 2))

    with pytest.raises(TooManySelected) as raised:
        download_vouchers_pdf(actor_id=intermediary.id, voucher_ids=too_many, locale="nl")

    assert raised.value.params == {"count": MAX_VOUCHERS_PER_PDF + 1, "maximum": MAX_VOUCHERS_PER_PDF}
