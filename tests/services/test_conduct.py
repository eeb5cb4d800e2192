import pytest
from sqlalchemy import update

from models import User
from services.conduct import (
    MAX_TEXT_LENGTH,
    accept_conduct,
    check_new_conduct_text,
    conduct_statuses,
    conduct_versions,
    current_conduct,
    last_accepted_version,
    publish_conduct,
    version_to_accept,
)
from services.db import read_session, write_session
from services.errors import (
    ConductTextEmpty,
    ConductTextTooLong,
    ConductTextUnchanged,
    ConductVersionOutdated,
    NotAuthenticated,
    PermissionDenied,
)
from tests.services.login_helpers import log_in


def _due(user) -> int | None:
    with read_session() as session:
        return version_to_accept(session, user.id)


def test_nothing_due_without_published_version(intermediary):
    assert _due(intermediary) is None
    assert current_conduct(actor_id=intermediary.id) is None


def test_published_version_due_for_others(administrator, intermediary):
    number = publish_conduct(actor_id=administrator.id, text="# Gedragscode\n\nWees zorgvuldig.")

    assert number == 1
    assert _due(intermediary) == 1
    assert _due(administrator) is None
    assert current_conduct(actor_id=intermediary.id).text == "# Gedragscode\n\nWees zorgvuldig."


def test_acceptance_recorded_for_administrators(administrator, intermediary):
    publish_conduct(actor_id=administrator.id, text="Versie een")

    accept_conduct(actor_id=intermediary.id, version=1)

    assert _due(intermediary) is None
    statuses = {status.user_id: status for status in conduct_statuses(actor_id=administrator.id)}
    assert statuses[intermediary.id].accepted_version == 1
    assert statuses[intermediary.id].accepted_at is not None


def test_accepting_twice_keeps_first_time(administrator, intermediary):
    publish_conduct(actor_id=administrator.id, text="Versie een")
    accept_conduct(actor_id=intermediary.id, version=1)
    first = {status.user_id: status for status in conduct_statuses(actor_id=administrator.id)}[intermediary.id]

    accept_conduct(actor_id=intermediary.id, version=1)

    again = {status.user_id: status for status in conduct_statuses(actor_id=administrator.id)}[intermediary.id]
    assert again.accepted_at == first.accepted_at


def test_new_version_due_again(administrator, intermediary):
    publish_conduct(actor_id=administrator.id, text="Versie een")
    accept_conduct(actor_id=intermediary.id, version=1)

    publish_conduct(actor_id=administrator.id, text="Versie twee")

    assert _due(intermediary) == 2
    assert [version.version for version in conduct_versions(actor_id=administrator.id)] == [2, 1]


def test_outdated_version_rejected(administrator, intermediary):
    publish_conduct(actor_id=administrator.id, text="Versie een")
    publish_conduct(actor_id=administrator.id, text="Versie twee")

    with pytest.raises(ConductVersionOutdated):
        accept_conduct(actor_id=intermediary.id, version=1)
    assert _due(intermediary) == 2


def test_accept_without_version_rejected(intermediary):
    with pytest.raises(ConductVersionOutdated):
        accept_conduct(actor_id=intermediary.id, version=1)


def test_only_administrators_publish(intermediary, desk_staff):
    for user in (intermediary, desk_staff):
        _assert_cannot_manage(user)


def _assert_cannot_manage(user) -> None:
    with pytest.raises(PermissionDenied):
        publish_conduct(actor_id=user.id, text="Eigen regels")
    with pytest.raises(PermissionDenied):
        conduct_statuses(actor_id=user.id)
    with pytest.raises(PermissionDenied):
        conduct_versions(actor_id=user.id)
    with pytest.raises(PermissionDenied):
        check_new_conduct_text(actor_id=user.id, text="Eigen regels")


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_rejected(administrator, text):
    with pytest.raises(ConductTextEmpty):
        publish_conduct(actor_id=administrator.id, text=text)


def test_too_long_text_rejected(administrator):
    with pytest.raises(ConductTextTooLong) as raised:
        publish_conduct(actor_id=administrator.id, text="a" * (MAX_TEXT_LENGTH + 1))
    assert raised.value.params["maximum"] == MAX_TEXT_LENGTH


def test_deactivated_user_cannot_accept(administrator, intermediary):
    publish_conduct(actor_id=administrator.id, text="Versie een")
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    with pytest.raises(NotAuthenticated):
        accept_conduct(actor_id=intermediary.id, version=1)


def test_session_carries_due_version(administrator, intermediary):
    from services.accounts import resolve_session

    publish_conduct(actor_id=administrator.id, text="Versie een")
    token, _ = log_in(intermediary.email)
    assert resolve_session(token).conduct_version_due == 1

    accept_conduct(actor_id=intermediary.id, version=1)

    assert resolve_session(token).conduct_version_due is None


@pytest.mark.parametrize("text", ["Versie een", "  Versie een\n\n"])
def test_unchanged_text_rejected(administrator, intermediary, text):
    publish_conduct(actor_id=administrator.id, text="Versie een")
    accept_conduct(actor_id=intermediary.id, version=1)

    with pytest.raises(ConductTextUnchanged) as raised:
        publish_conduct(actor_id=administrator.id, text=text)

    assert raised.value.params["version"] == 1
    assert raised.value.field == "text"
    assert [version.version for version in conduct_versions(actor_id=administrator.id)] == [1]
    assert _due(intermediary) is None


def test_check_returns_next_version(administrator):
    assert check_new_conduct_text(actor_id=administrator.id, text="Versie een") == 1
    publish_conduct(actor_id=administrator.id, text="Versie een")

    assert check_new_conduct_text(actor_id=administrator.id, text="Versie twee") == 2
    assert conduct_versions(actor_id=administrator.id)[0].version == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [("  ", ConductTextEmpty), ("a" * (MAX_TEXT_LENGTH + 1), ConductTextTooLong), ("Versie een", ConductTextUnchanged)],
)
def test_check_rejects_like_publish(administrator, text, error):
    publish_conduct(actor_id=administrator.id, text="Versie een")

    with pytest.raises(error):
        check_new_conduct_text(actor_id=administrator.id, text=text)


def test_last_accepted_version(administrator, intermediary):
    publish_conduct(actor_id=administrator.id, text="Versie een")
    assert last_accepted_version(actor_id=intermediary.id) is None

    accept_conduct(actor_id=intermediary.id, version=1)
    publish_conduct(actor_id=administrator.id, text="Versie twee")

    assert last_accepted_version(actor_id=intermediary.id) == 1
    assert last_accepted_version(actor_id=administrator.id) == 2
