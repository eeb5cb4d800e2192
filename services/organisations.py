"""Reading organisations for choices in forms."""

from sqlmodel import col, select

from models import Organisation
from services.db import read_session
from services.permissions import Action, load_actor, require


def issuing_organisations(*, actor_id: int) -> list[tuple[int, str]]:
    """Return (id, name) of the active organisations the actor may create vouchers for."""
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.CREATE_VOUCHERS)
        statement = select(Organisation.id, Organisation.name).where(col(Organisation.active).is_(True))
        if not actor.is_administrator:
            statement = statement.where(Organisation.id == actor.organisation_id)
        rows = session.exec(statement.order_by(Organisation.name)).all()
    return [(organisation_id or 0, name) for organisation_id, name in rows]
