from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from models import AuditEvent, Organisation, OrganisationKind, Role
from models import User as Account
from services.db import read_session
from tests.ui.conftest import field_error, log_in, wait_for
from ui.admin_page import ADMIN_SECTIONS

ADMIN_EMAIL = "beheerder@demo.test"


def _organisation(name: str) -> Organisation | None:
    with read_session() as session:
        return session.exec(select(Organisation).where(Organisation.name == name)).first()


def _account(email: str) -> Account:
    with read_session() as session:
        return session.exec(select(Account).where(Account.email == email)).one()


def _value(user: User, marker: str):
    return user.find(marker=marker).elements.pop().value


def _set_value(user: User, marker: str, value) -> None:
    user.find(marker=marker).elements.pop().value = value


def _element(user: User, marker: str) -> ui.element:
    return user.find(marker=marker).elements.pop()


async def _open_as_admin(user: User, path: str, heading: str) -> None:
    await log_in(user, ADMIN_EMAIL, path=path, heading=heading)


async def test_landing_links_every_section(user: User):
    await _open_as_admin(user, "/admin", "Beheer")

    for path, _title, _description in ADMIN_SECTIONS:
        link = _element(user, f"admin-link-{path}")
        assert link.props["href"] == path
    await user.should_see("Organisaties")
    await user.should_see("Gebruikers")
    await user.should_see("Uitnodigingen")
    await user.should_see("Niet afgeleverde e-mail")
    await user.should_not_see("Mislukte mail")
    await user.should_see("Gedragscode")
    await user.should_see("Vergoeding")
    await user.should_see("Privacy")
    assert {path for path, _t, _d in ADMIN_SECTIONS} == {
        "/admin/organisations",
        "/admin/users",
        "/admin/invitations",
        "/admin/mail",
        "/admin/code-of-conduct",
        "/admin/reimbursement",
        "/admin/privacy",
    }


async def test_navigation_shows_administration(user: User):
    await _open_as_admin(user, "/", "Voucheroverzicht")

    user.find(marker="nav-admin").click()

    await user.should_see(marker="admin-link-/admin/users")


async def test_intermediary_gets_no_administration(user: User):
    await log_in(user, "intermediair@demo.test")
    await user.should_not_see(marker="nav-admin")

    for path, heading in [
        ("/admin", "Beheer"),
        ("/admin/organisations", "Organisaties"),
        ("/admin/users", "Gebruikers"),
    ]:
        await user.open(path)
        await user.should_see(heading)
        await user.should_see("Alleen beheerders kunnen deze pagina gebruiken.")
        await user.should_not_see(marker="org-table")
        await user.should_not_see(marker="user-table")
        await user.should_not_see(marker="org-add-form")


async def test_logged_out_redirected_to_login(user: User):
    await user.open("/admin/users")

    await user.should_see("Inloggen")


async def test_organisation_list_shows_counts(user: User):
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    await user.should_see(marker="org-table")
    fund = _organisation("Bibliotheken Limburg")
    row = _element(user, f"org-row-{fund.id}")
    texts = [label.text for label in row.descendants() if isinstance(label, ui.label)]
    assert texts[:3] == ["Bibliotheken Limburg", "Intermediaire organisatie", "Actief"]
    assert texts[3] == "1"
    assert texts[5] == "standaard (25)"


async def test_add_organisation(user: User):
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker="org-name").type("Bibliotheek Sittard")
    _set_value(user, "org-kind", "library")
    user.find(marker="org-limit").type("40")
    user.find(marker="org-add").click()

    await user.should_see("Organisatie Bibliotheek Sittard toegevoegd.")
    created = _organisation("Bibliotheek Sittard")
    assert created.kind == OrganisationKind.LIBRARY
    assert created.max_open_vouchers == 40
    await user.should_see(marker=f"org-row-{created.id}")
    assert _value(user, "org-name") == ""


async def test_duplicate_organisation_rejected(user: User):
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker="org-name").type("bibliotheek venlo")
    _set_value(user, "org-kind", "library")
    user.find(marker="org-add").click()

    await user.should_see('Er bestaat al een organisatie met de naam "bibliotheek venlo". Kies een andere naam.')
    assert _value(user, "org-name") == "bibliotheek venlo"
    assert _element(user, "org-name").props["error"] is True
    assert _organisation("bibliotheek venlo") is None


async def test_missing_kind_rejected(user: User):
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker="org-name").type("Wijkteam Sittard")
    user.find(marker="org-add").click()

    await user.should_see("Soort is niet gekozen. Kies bibliotheek of intermediaire organisatie.")
    assert _element(user, "org-kind").props["error"] is True
    assert _value(user, "org-name") == "Wijkteam Sittard"


async def test_bad_limit_rejected(user: User):
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker="org-name").type("Wijkteam Sittard")
    _set_value(user, "org-kind", "intermediary")
    user.find(marker="org-limit").type("veel")
    user.find(marker="org-add").click()

    await user.should_see('"veel" is geen geldig maximum aan open vouchers.', retries=30)
    assert _element(user, "org-limit").props["error"] is True
    assert _organisation("Wijkteam Sittard") is None


async def test_rename_organisation(user: User):
    venlo = _organisation("Bibliotheek Venlo")
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker=f"org-change-{venlo.id}").click()
    await user.should_see(marker="org-change-dialog")
    _set_value(user, "org-change-name", "Bibliotheek Venlo-Blerick")
    user.find(marker="org-change-save").click()

    await user.should_see("Wijzigingen opgeslagen.")
    assert _organisation("Bibliotheek Venlo-Blerick").id == venlo.id


async def test_organisation_edit_button_is_verb(user: User):
    venlo = _organisation("Bibliotheek Venlo")
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    assert _element(user, f"org-change-{venlo.id}").text == "Wijzigen"


async def test_rename_to_taken_name_keeps_dialog(user: User):
    venlo = _organisation("Bibliotheek Venlo")
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker=f"org-change-{venlo.id}").click()
    await user.should_see(marker="org-change-dialog")
    _set_value(user, "org-change-name", "Bibliotheek Heerlen")
    user.find(marker="org-change-save").click()

    await user.should_see('Er bestaat al een organisatie met de naam "Bibliotheek Heerlen". Kies een andere naam.')
    await user.should_see(marker="org-change-dialog")
    assert _organisation("Bibliotheek Venlo").id == venlo.id


async def test_deactivate_and_reactivate_organisation(user: User):
    venlo = _organisation("Bibliotheek Venlo")
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker=f"org-deactivate-{venlo.id}").click()
    await user.should_see("Bibliotheek Venlo deactiveren?")
    user.find(marker="confirm-button").click()

    await user.should_see("Bibliotheek Venlo is gedeactiveerd.")
    assert _organisation("Bibliotheek Venlo").active is False
    await user.should_see(marker=f"org-reactivate-{venlo.id}")

    user.find(marker=f"org-reactivate-{venlo.id}").click()

    await user.should_see("Bibliotheek Venlo is weer actief.")
    assert _organisation("Bibliotheek Venlo").active is True
    with read_session() as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "organisation")).all()
    assert actions == ["organisation.deactivated", "organisation.reactivated"]


async def test_deactivation_names_single_active_user(user: User):
    venlo = _organisation("Bibliotheek Venlo")
    with read_session() as session:
        active = session.exec(
            select(Account).where(Account.organisation_id == venlo.id, Account.active == True)  # noqa: E712
        ).all()
    assert len(active) == 1
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker=f"org-deactivate-{venlo.id}").click()

    await user.should_see("Bibliotheek Venlo deactiveren?")
    await user.should_see("De 1 actieve gebruiker wordt uitgelogd en kan pas weer inloggen")


async def test_deactivation_without_active_users(user: User):
    await _open_as_admin(user, "/admin/organisations", "Organisaties")
    user.find(marker="org-name").type("Wijkteam Zonder Gebruikers")
    _set_value(user, "org-kind", "intermediary")
    user.find(marker="org-add").click()
    await user.should_see("Organisatie Wijkteam Zonder Gebruikers toegevoegd.")
    empty = _organisation("Wijkteam Zonder Gebruikers")

    user.find(marker=f"org-deactivate-{empty.id}").click()

    await user.should_see("De organisatie heeft geen actieve gebruikers, dus niemand wordt uitgelogd.")
    await user.should_not_see("De 0 actieve gebruikers")


async def test_own_organisation_deactivation_rejected(user: User):
    fund = _organisation("Bibliotheken Limburg")
    await _open_as_admin(user, "/admin/organisations", "Organisaties")

    user.find(marker=f"org-deactivate-{fund.id}").click()
    await user.should_see(marker="confirm-button")
    user.find(marker="confirm-button").click()

    await user.should_see("U kunt uw eigen organisatie niet deactiveren, omdat u dan zelf geen toegang meer hebt.")
    assert _organisation("Bibliotheken Limburg").active is True


async def test_user_list_and_filters(user: User):
    await _open_as_admin(user, "/admin/users", "Gebruikers")
    intermediary = _account("intermediair@demo.test")
    desk = _account("bibliotheek@demo.test")
    await user.should_see(marker=f"user-row-{intermediary.id}")
    await user.should_see(marker=f"user-row-{desk.id}")

    user.find(marker="user-search").type("INTERMEDIAIR@demo")

    await user.should_not_see(marker=f"user-row-{desk.id}")
    await user.should_see(marker=f"user-row-{intermediary.id}")
    user.find(marker="user-search").clear()
    _set_value(user, "user-organisation-filter", str(desk.organisation_id))
    await user.should_see(marker=f"user-row-{desk.id}")
    await user.should_not_see(marker=f"user-row-{intermediary.id}")
    _set_value(user, "user-state-filter", "inactive")
    await user.should_see("Geen gebruikers gevonden met deze filters.")


async def test_user_row_shows_details(user: User):
    await _open_as_admin(user, "/admin/users", "Gebruikers")
    admin = _account(ADMIN_EMAIL)

    row = _element(user, f"user-row-{admin.id}")
    texts = [label.text for label in row.descendants() if isinstance(label, ui.label)]

    assert texts[:5] == ["Bea Beheerder", ADMIN_EMAIL, "Beheerder", "Bibliotheken Limburg", "Actief"]
    assert texts[5] != "nooit"
    assert texts[6] == "Dit bent u"
    await user.should_not_see(marker=f"user-deactivate-{admin.id}")
    await user.should_not_see(marker=f"user-role-{admin.id}")


async def test_search_too_long_rejected(user: User):
    await _open_as_admin(user, "/admin/users", "Gebruikers")

    user.find(marker="user-search").type("a" * 101)

    await wait_for(lambda: _element(user, "user-search").props.get("error") is True)
    assert field_error(user, "user-search") is not None
    await user.should_not_see(marker="user-list-error")
    assert _value(user, "user-search") == "a" * 101


async def test_role_needs_library(user: User):
    intermediary = _account("intermediair@demo.test")
    await _open_as_admin(user, "/admin/users", "Gebruikers")

    user.find(marker=f"user-role-{intermediary.id}").click()
    await user.should_see(marker="user-role-dialog")
    _set_value(user, "user-role-select", "library_staff")
    user.find(marker="user-role-save").click()

    await user.should_see(
        'Bibliotheekmedewerkers horen bij een bibliotheek, en "Voedselbank Maastricht" is geen bibliotheek. '
        "Kies een bibliotheek."
    )
    assert _element(user, "user-organisation-select").props["error"] is True
    assert _account("intermediair@demo.test").role == Role.INTERMEDIARY


async def test_role_dialog_organisation_select_spans_dialog(user: User):
    intermediary = _account("intermediair@demo.test")
    await _open_as_admin(user, "/admin/users", "Gebruikers")

    user.find(marker=f"user-role-{intermediary.id}").click()
    await user.should_see(marker="user-role-dialog")

    select = _element(user, "user-organisation-select")
    assert "w-full" in select.classes
    assert "Voedselbank Maastricht (Intermediaire organisatie)" in select.options.values()


async def test_change_role_with_library(user: User):
    intermediary = _account("intermediair@demo.test")
    library = _organisation("Bibliotheek Roermond")
    await _open_as_admin(user, "/admin/users", "Gebruikers")

    user.find(marker=f"user-role-{intermediary.id}").click()
    await user.should_see(marker="user-role-dialog")
    await user.should_see("beheerders bij het fonds: Bibliotheken Limburg.", retries=30)
    _set_value(user, "user-role-select", "library_staff")
    _set_value(user, "user-organisation-select", library.id)
    user.find(marker="user-role-save").click()

    await user.should_see("Rol van Ingrid Intermediair gewijzigd.")
    changed = _account("intermediair@demo.test")
    assert changed.role == Role.LIBRARY_STAFF
    assert changed.organisation_id == library.id


async def test_deactivate_and_reactivate_user(user: User):
    desk = _account("bibliotheek@demo.test")
    await _open_as_admin(user, "/admin/users", "Gebruikers")

    user.find(marker=f"user-deactivate-{desk.id}").click()
    await user.should_see("Bas Bibliotheek wordt meteen uitgelogd en kan pas weer inloggen na heractivering.")
    user.find(marker="confirm-button").click()

    await user.should_see("Bas Bibliotheek is gedeactiveerd.")
    assert _account("bibliotheek@demo.test").active is False
    await wait_for(lambda: bool(user.find(marker=f"user-reactivate-{desk.id}").elements))

    user.find(marker=f"user-reactivate-{desk.id}").click()

    await user.should_see("Bas Bibliotheek is weer actief.")
    assert _account("bibliotheek@demo.test").active is True
