import threading
import uuid

from sqlmodel import func, select

from models import AuditEvent, OrganisationKind, Role, Voucher
from services.db import read_session
from services.errors import AlreadyRedeemed
from services.redemption import redeem_voucher
from services.vouchers import issue_vouchers
from tests.factories import make_organisation, make_user

DESKS = 20
ROUNDS = 5


def _race(desks, code):
    """Let every desk press "Innemen" for `code` at the same moment, each on its own thread and connection."""
    barrier = threading.Barrier(len(desks))
    outcomes = []
    lock = threading.Lock()

    def press(desk):
        barrier.wait()
        try:
            redeem_voucher(actor_id=desk.id, raw_code=code, request_key=uuid.uuid4().hex)
            outcome = "redeemed"
        except AlreadyRedeemed:
            outcome = "already redeemed"
        except Exception as error:  # noqa: BLE001  (any other outcome is what this test reports)
            outcome = repr(error)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=press, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_desks_one_success(intermediary):
    libraries = [make_organisation(OrganisationKind.LIBRARY) for _ in range(4)]
    desks = [make_user(Role.LIBRARY_STAFF, libraries[index % 4]) for index in range(DESKS)]

    for _ in range(ROUNDS):
        (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)
        with read_session() as session:
            code = session.get(Voucher, voucher_id).code

        outcomes = _race(desks, code)

        assert outcomes.count("redeemed") == 1, outcomes
        assert outcomes.count("already redeemed") == DESKS - 1, outcomes
        with read_session() as session:
            events = session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.voucher_id == voucher_id, AuditEvent.action == "voucher.redeemed")
            ).one()
        assert events == 1
