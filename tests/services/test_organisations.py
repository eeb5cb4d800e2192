from models import OrganisationKind
from services.organisations import issuing_organisations
from tests.factories import make_organisation


def test_intermediary_gets_own_organisation_only(intermediary, intermediary_organisation, library):
    assert issuing_organisations(actor_id=intermediary.id) == [
        (intermediary_organisation.id, intermediary_organisation.name)
    ]


def test_administrator_gets_every_active_organisation(administrator, intermediary_organisation, library):
    make_organisation(OrganisationKind.LIBRARY, name="Bibliotheek Weert")

    names = [name for _id, name in issuing_organisations(actor_id=administrator.id)]

    assert names == sorted(names)
    assert {"Bibliotheek Weert", intermediary_organisation.name, library.name, "Fonds"} == set(names)
