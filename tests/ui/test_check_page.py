from nicegui import app
from nicegui.testing import User
from sqlmodel import select

from models import User as Account
from models import Voucher, VoucherStatus
from services import codes, db
from services.codes import format_code
from services.db import read_session
from tests.ui.conftest import log_in, wait_for
from ui.check_page import CODE_DRAFT_KEY


def _issued_voucher():
    with read_session() as session:
        return session.exec(
            select(Voucher).where(Voucher.status == VoucherStatus.ISSUED, Voucher.expires_on.is_(None))
        ).first()


def _voucher_with(status):
    with read_session() as session:
        return session.exec(select(Voucher).where(Voucher.status == status)).first()


async def _open_desk(user: User):
    await log_in(user, "bibliotheek@demo.test", path="/check", heading="Vouchercode checken")


async def test_check_and_redeem_issued_code(user: User):
    voucher = _issued_voucher()
    await _open_desk(user)

    user.find(marker="code-input").type(format_code(voucher.code)).trigger("keydown.enter")

    await user.should_see("Uitgegeven")
    await user.should_see(voucher.holder_name or "niet ingevuld")
    assert user.find(marker="code-input").elements.pop().value == ""
    user.find(marker="redeem-button").click()
    await user.should_see("Noteer deze code in het bibliotheeksysteem:")
    await user.should_see(format_code(voucher.code))
    with read_session() as session:
        assert session.get(Voucher, voucher.id).status == VoucherStatus.REDEEMED


async def test_undo_dialog_names_code(user: User):
    voucher = _issued_voucher()
    await _open_desk(user)
    user.find(marker="code-input").type(voucher.code)
    await user.should_see(marker="redeem-button")
    user.find(marker="redeem-button").click()
    await user.should_see("Noteer deze code in het bibliotheeksysteem:")

    user.find(marker="undo-redemption").click()

    await user.should_see(marker="reason-input")
    explanation = user.find(marker="reason-explanation").elements.pop().text
    assert explanation == f"Vouchercode: {format_code(voucher.code)}"


async def test_card_number_saved_with_redemption(user: User):
    voucher = _issued_voucher()
    await _open_desk(user)

    user.find(marker="code-input").type(voucher.code)
    await user.should_see(marker="redeem-button")
    user.find(marker="card-number").type(" 2001 2345 6789 ")
    user.find(marker="redeem-button").click()

    await user.should_see("Noteer deze code in het bibliotheeksysteem:")
    with read_session() as session:
        assert session.get(Voucher, voucher.id).library_card_number == "2001 2345 6789"


async def test_sixth_digit_checks_at_once(user: User):
    voucher = _issued_voucher()
    await _open_desk(user)

    user.find(marker="code-input").type(voucher.code)

    await user.should_see(marker="redeem-button")


async def test_typo_reports_invalid_code(user: User):
    voucher = _issued_voucher()
    typo = (
        voucher.code[1] + voucher.code[0] + voucher.code[2:]
        if voucher.code[0] != voucher.code[1]
        else (voucher.code[:5] + str((int(voucher.code[5]) + 1) % 10))
    )
    await _open_desk(user)

    user.find(marker="code-input").type(typo).trigger("keydown.enter")

    await user.should_see("Niet geldig")
    await user.should_see(
        "Ongeldige code: het controlecijfer klopt niet, dus waarschijnlijk is een cijfer verkeerd "
        "getypt. Vergelijk de code met de voucher."
    )
    await user.should_not_see(marker="redeem-button")


async def test_mistyped_code_kept_for_correction(user: User):
    voucher = _issued_voucher()
    typo = voucher.code[:5] + str((int(voucher.code[5]) + 1) % 10)
    await _open_desk(user)
    field = user.find(marker="code-input")
    code_input = next(iter(field.elements))

    field.type(typo)
    await user.should_see("Niet geldig")
    await wait_for(lambda: code_input.value == typo)

    code_input.value = voucher.code
    await user.should_see(marker="redeem-button")
    await wait_for(lambda: code_input.value == "")


async def test_one_digit_code_explained(user: User):
    await _open_desk(user)

    user.find(marker="code-input").type("1").trigger("keydown.enter")

    await user.should_see("De vouchercode moet 6 cijfers hebben, niet 1. Controleer de code op de voucher.")
    await user.should_not_see(marker="redeem-button")


async def test_unknown_code_explained(user: User):
    with read_session() as session:
        used = set(session.exec(select(Voucher.code)))
    code = next(
        payload + codes.damm_check_digit(payload)
        for payload in (f"{number:05d}" for number in range(100_000))
        if payload + codes.damm_check_digit(payload) not in used
    )
    await _open_desk(user)

    user.find(marker="code-input").type(code).trigger("keydown.enter")

    await user.should_see(f"Code {format_code(code)} is geen bekende voucher. Vergelijk de code met de voucher.")


async def test_blank_code_explained(user: User):
    await _open_desk(user)

    user.find(marker="code-input").type("   ").trigger("keydown.enter")

    await user.should_see("Vouchercode is leeg. Typ de 6 cijfers van de voucher.")
    await user.should_see("Geen code getypt")
    await user.should_not_see("Niet geldig")


async def test_letters_in_code_explained(user: User):
    await _open_desk(user)

    user.find(marker="code-input").type("12a456").trigger("keydown.enter")

    await user.should_see("Vouchercode mag alleen cijfers bevatten. Typ de 6 cijfers van de voucher.")
    await user.should_see("U typte: 12a456")


async def test_redeemed_code_says_when_where_who(user: User):
    voucher = _voucher_with(VoucherStatus.REDEEMED)
    with read_session() as session:
        staff_name = session.get(Account, voucher.redeemed_by_id).name
    await _open_desk(user)

    user.find(marker="code-input").type(voucher.code).trigger("keydown.enter")

    await user.should_see("Ingenomen")
    await user.should_see("Niet innemen")
    card = user.find(marker="result-card").elements.pop()
    assert "bg-red-50" in card.classes
    message = user.find(marker="result-message").elements.pop().text
    assert message.startswith("Al ingenomen op ")
    assert staff_name in message
    await user.should_not_see(marker="redeem-button")


async def test_withdrawn_code_gives_reason(user: User):
    voucher = _voucher_with(VoucherStatus.WITHDRAWN)
    await _open_desk(user)

    user.find(marker="code-input").type(voucher.code).trigger("keydown.enter")

    message = await _result_message(user)
    assert message.startswith("Deze voucher is ingetrokken op ")
    assert voucher.withdrawal_reason in message


async def test_expired_code_explained(user: User):
    with read_session() as session:
        voucher = session.exec(
            select(Voucher).where(Voucher.expires_on.is_not(None), Voucher.status == VoucherStatus.ISSUED)
        ).first()
    await _open_desk(user)

    user.find(marker="code-input").type(voucher.code).trigger("keydown.enter")

    await user.should_see("Verlopen")
    assert (await _result_message(user)).startswith("Deze voucher is verlopen na ")


async def test_intermediary_sees_no_desk(user: User):
    await log_in(user, "intermediair@demo.test", path="/check", heading="Vouchercode checken")

    await user.should_see("Alleen bibliotheekmedewerkers kunnen vouchercodes checken en innemen.")
    await user.should_not_see(marker="code-input")


async def _result_message(user: User) -> str:
    await user.should_see(marker="result-message")
    return user.find(marker="result-message").elements.pop().text


async def test_administrator_without_library_keeps_voucher(user: User):
    voucher = _issued_voucher()
    await log_in(user, "beheerder@demo.test", path="/check", heading="Vouchercode checken")

    user.find(marker="code-input").type(voucher.code)
    await user.should_see(marker="redeem-button")
    user.find(marker="redeem-button").click()

    library = user.find(marker="library-select").elements.pop()
    await wait_for(lambda: library.props.get("error-message") == "Kies de bibliotheek waar de voucher wordt ingenomen.")
    await user.should_see(marker="redeem-button")
    with read_session() as session:
        assert session.get(Voucher, voucher.id).status == VoucherStatus.ISSUED


async def test_administrator_redeems_at_chosen_library(user: User):
    voucher = _issued_voucher()
    await log_in(user, "beheerder@demo.test", path="/check", heading="Vouchercode checken")
    library = user.find(marker="library-select").elements.pop()
    venlo_id = next(key for key, name in library.options.items() if name == "Bibliotheek Venlo")
    library.set_value(venlo_id)

    user.find(marker="code-input").type(voucher.code)
    await user.should_see(marker="redeem-button")
    user.find(marker="redeem-button").click()

    await user.should_see(marker="redeemed-code")
    with read_session() as session:
        assert session.get(Voucher, voucher.id).redeemed_library_id == venlo_id


async def test_database_outage_explained_and_nothing_redeemed(user: User, demo_database, tmp_path):
    voucher = _issued_voucher()
    await _open_desk(user)
    user.find(marker="code-input").type(voucher.code)
    await user.should_see("Uitgegeven")

    db.configure(f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}")
    user.find(marker="redeem-button").click()

    await user.should_see("De database is nu niet bereikbaar. Probeer het over een minuut opnieuw.")
    db.configure(demo_database)
    with read_session() as session:
        assert session.get(Voucher, voucher.id).status == VoucherStatus.ISSUED


async def test_typed_code_restored_after_reload(user: User):
    await _open_desk(user)
    user.find(marker="code-input").type("123")
    with user:
        await wait_for(lambda: app.storage.tab.get(CODE_DRAFT_KEY) == "123")

    # The same tab loads the page again, as after a connection loss past the reconnect window.
    await user.open("/check")

    await wait_for(lambda: user.find(marker="code-input").elements.pop().value == "123")


async def test_scanned_voucher_code_checked(user: User):
    voucher = _issued_voucher()
    await _open_desk(user)
    user.find(marker="scan-button").click()

    user.find(marker="camera-video").trigger("qrDecoded", {"detail": {"text": voucher.code}})

    await user.should_see(marker="redeem-button")
    await user.should_see(format_code(voucher.code))
    await wait_for(lambda: user.find(marker="camera-dialog").elements.pop().value is False)


async def test_scanned_other_qr_explained(user: User):
    await _open_desk(user)
    user.find(marker="scan-button").click()

    user.find(marker="camera-video").trigger("qrDecoded", {"detail": {"text": "https://bibliotheek.example"}})

    await user.should_see("Deze QR-code bevat geen vouchercode. Houd de QR-code op de voucher voor de camera.")
    await user.should_not_see(marker="result-card")


async def test_camera_failures_explained(user: User, caplog):
    await _open_desk(user)
    user.find(marker="scan-button").click()
    video = user.find(marker="camera-video")

    video.trigger("cameraFailed", {"detail": {"kind": "insecure", "name": ""}})
    await user.should_see("De camera werkt alleen via een beveiligde verbinding (https).", retries=20)
    video.trigger("cameraFailed", {"detail": {"kind": "busy", "name": "NotReadableError"}})
    await user.should_see("De camera is in gebruik door een andere app of start niet.")
    video.trigger("cameraFailed", {"detail": {"kind": "unheard-of", "name": "<script>"}})
    await user.should_see("De camera kon niet starten. Probeer het opnieuw, of typ de code.")

    logged = [record.getMessage() for record in caplog.records if record.name == "ui.camera_scan"]
    assert "desk camera failed kind=insecure error=- user=" in logged[0]
    assert "desk camera failed kind=busy error=NotReadableError user=" in logged[1]
    assert "desk camera failed kind=other error=- user=" in logged[2]


async def test_camera_video_hidden_without_stream(user: User):
    await _open_desk(user)
    user.find(marker="scan-button").click()
    assert "hidden" in user.find(marker="camera-video").elements.pop().classes

    user.find(marker="camera-video").trigger("cameraStarted")
    assert "hidden" not in user.find(marker="camera-video").elements.pop().classes
    user.find(marker="camera-video").trigger("cameraFailed", {"detail": {"kind": "no-camera", "name": "NotFoundError"}})
    await user.should_see("Geen camera gevonden op dit apparaat. Typ de code.")
    assert "hidden" in user.find(marker="camera-video").elements.pop().classes
