import datetime

import pytest
from django.urls import reverse

from ijh.models import AuditEvent
from instruments.models import Instrument, ReferralAgreement, ReferralAgreementSignatory, ReferralArea
from tests.factories import (
    InstrumentFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    ReferralAgreementFactory,
    ReferralAreaFactory,
    life_domain,
)

from .conftest import HTMX

pytestmark = pytest.mark.django_db


# --- instrument registry -------------------------------------------------------------------------


def instrument_data(**overrides):
    data = {
        "kind": Instrument.Kind.PLAYBOOK,
        "name": "Draaiboek brede instap",
        "binding": Instrument.Binding.MANDATORY,
        "origin": Instrument.Origin.FLEMISH,
        "version": "1.0",
        "in_use_since": "2016-01-01",
        "contact_person": "",
        "description": "",
    }
    return {**data, **overrides}


def test_registry_lists_the_instruments_with_their_binding(as_user, network, member, manager):
    InstrumentFactory(
        network=network, name="Cliëntoverleg", binding=Instrument.Binding.MANDATORY, version="2.1"
    )
    InstrumentFactory(
        network=network, name="Lokale intakefiche", binding=Instrument.Binding.OPTIONAL, origin="local"
    )
    InstrumentFactory(name="Ander netwerk zijn instrument")
    html = as_user(member).get(reverse("instruments:list", args=[network.pk])).content.decode()
    assert "Cliëntoverleg" in html and "verplicht" in html and "2.1" in html
    assert "Lokale intakefiche" in html and "vrijblijvend" in html and "lokaal" in html
    assert "Ander netwerk" not in html
    assert reverse("instruments:create", args=[network.pk]) not in html


def test_manager_registers_an_instrument_with_audit(as_user, network, manager):
    response = as_user(manager).post(
        reverse("instruments:create", args=[network.pk]), instrument_data(contact_person=manager.user.pk)
    )
    assert response.status_code == 302
    instrument = Instrument.objects.get(network=network)
    assert instrument.contact_person == manager.user
    assert instrument.in_use_since == datetime.date(2016, 1, 1)
    assert AuditEvent.objects.filter(action="instrument.created", object_id=str(instrument.pk)).exists()


def test_duplicate_name_and_outside_contact_are_refused(as_user, network, manager, outsider, instrument):
    response = as_user(manager).post(
        reverse("instruments:create", args=[network.pk]),
        instrument_data(name=instrument.name.upper(), contact_person=outsider.user.pk),
        headers=HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "al een instrument met deze naam" in html
    assert "Kies iemand met een rol in dit netwerk." in html
    assert Instrument.objects.count() == 1


def test_manager_edits_an_instrument(as_user, network, manager, instrument):
    response = as_user(manager).post(
        reverse("instruments:edit", args=[instrument.pk]),
        instrument_data(name=instrument.name, binding=Instrument.Binding.DESIRED),
    )
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.binding == Instrument.Binding.DESIRED
    event = AuditEvent.objects.get(action="instrument.updated")
    assert "binding" in event.changed_fields


@pytest.mark.parametrize("rows", [1, 8])
def test_registry_queries_do_not_grow(as_user, network, member, rows, django_assert_num_queries):
    InstrumentFactory.create_batch(rows, network=network, contact_person=member.user)
    client = as_user(member)
    # session, user, network with manage flag, instruments with contact person, session save
    # (savepoint, update, release)
    with django_assert_num_queries(7):
        assert client.get(reverse("instruments:list", args=[network.pk])).status_code == 200


# --- referral agreements ----------------------------------------------------------------------------


@pytest.fixture
def broad_entry(network):
    return NetworkMembershipFactory(network=network, organisation__name="CAW Waasland").organisation


def agreement_data(receiving, referring=(), **overrides):
    data = {
        "title": "Verwijsafspraak JAC",
        "receiving_organisation": receiving.pk,
        "offer": "JAC: onthaal en begeleiding jongeren",
        "target_group": "Jongeren van 12 tot 25 jaar",
        "domains": [life_domain("family").pk, life_domain("housing").pk],
        "age_min": "12",
        "age_max": "25",
        "areas": "9100, 9150-9190",
        "referring_organisations": [organisation.pk for organisation in referring],
        "conditions": "Na vraagverheldering door de brede instap.",
        "letter_requirements": "Hulpvraag in de woorden van de jongere.",
        "contact_point": "Onthaal JAC, elke werkdag 9–12 u",
        "contact_phone": "03 123 45 67",
        "contact_email": "jac@example.org",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
    }
    return {**data, **overrides}


def test_manager_creates_an_agreement_with_areas_domains_and_referrers(
    as_user, network, manager, receiving_organisation, broad_entry
):
    response = as_user(manager).post(
        reverse("instruments:referral-create", args=[network.pk]),
        agreement_data(receiving_organisation, [broad_entry]),
    )
    assert response.status_code == 302
    agreement = ReferralAgreement.objects.get()
    assert response.url == reverse("instruments:referral-detail", args=[agreement.pk])
    assert agreement.created_by == manager.user
    assert list(agreement.areas.values_list("postcode_from", "postcode_to")) == [(9100, 9100), (9150, 9190)]
    assert {domain.code for domain in agreement.domains.all()} == {"family", "housing"}
    assert list(agreement.referring_organisations.all()) == [broad_entry]
    assert AuditEvent.objects.filter(action="referral_agreement.created").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"areas": "9100, 12"}, "„12” is geen Belgische postcode"),
        ({"areas": "9190-9150"}, "de tweede postcode vóór de eerste"),
        ({"areas": "0500"}, "tussen 1000 en 9999"),
        ({"valid_until": "2025-12-31"}, "De einddatum ligt vóór de begindatum."),
        ({"age_min": "16", "age_max": "12"}, "De maximumleeftijd ligt onder de minimumleeftijd."),
        ({"age_min": "abc"}, "Geef een leeftijd in jaren"),
        ({"age_max": "150"}, "tot en met 30 jaar"),
        ({"valid_from": "2026-02-30"}, "Geef een geldige datum."),
        ({"contact_point": ""}, "Geef het aanspreekpunt"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_kept(
    as_user, network, manager, receiving_organisation, overrides, message
):
    data = agreement_data(receiving_organisation, **overrides)
    response = as_user(manager).post(
        reverse("instruments:referral-create", args=[network.pk]), data, headers=HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "JAC: onthaal en begeleiding jongeren" in html  # what was typed is kept
    assert not ReferralAgreement.objects.exists()
    assert not ReferralArea.objects.exists()


def test_receiving_organisation_must_be_a_member(as_user, network, manager):
    stranger = OrganisationFactory(name="Niet-lid vzw")
    response = as_user(manager).post(
        reverse("instruments:referral-create", args=[network.pk]), agreement_data(stranger, [stranger])
    )
    assert response.status_code == 422
    assert "Deze organisatie is geen lid van het netwerk." in response.content.decode()
    assert not ReferralAgreement.objects.exists()


def test_edit_shows_areas_as_typed_and_replaces_them(as_user, manager, agreement, receiving_organisation):
    client = as_user(manager)
    url = reverse("instruments:referral-edit", args=[agreement.pk])
    assert "9100-9190" in client.get(url).content.decode()
    response = client.post(url, agreement_data(receiving_organisation, areas="2000-2180"))
    assert response.status_code == 302
    assert list(agreement.areas.values_list("postcode_from", "postcode_to")) == [(2000, 2180)]
    event = AuditEvent.objects.get(action="referral_agreement.updated")
    assert "areas" in event.changed_fields


def test_expired_agreement_is_flagged(as_user, network, member, receiving_organisation):
    expired = ReferralAgreementFactory(
        network=network,
        receiving_organisation=receiving_organisation,
        offer="Oud aanbod",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 12, 31),
    )
    client = as_user(member)
    list_html = client.get(reverse("instruments:referral-list", args=[network.pk])).content.decode()
    assert "verlopen" in list_html
    detail_html = client.get(reverse("instruments:referral-detail", args=[expired.pk])).content.decode()
    assert "is verlopen op 31/12/2021" in detail_html


def test_signatory_added_then_signing_date_recorded(as_user, manager, agreement, broad_entry):
    client = as_user(manager)
    url = reverse("instruments:referral-signatory", args=[agreement.pk])
    response = client.post(url, {"organisation": broad_entry.pk, "signed_on": ""}, headers=HTMX)
    assert response.status_code == 200
    assert "nog niet ondertekend" in response.content.decode()
    response = client.post(url, {"organisation": broad_entry.pk, "signed_on": "2026-02-01"})
    assert response.status_code == 302
    signature = ReferralAgreementSignatory.objects.get(agreement=agreement)
    assert signature.signed_on == datetime.date(2026, 2, 1)
    assert AuditEvent.objects.filter(action="referral_agreement.signatory_updated").exists()


def test_signatory_must_be_a_member(as_user, manager, agreement):
    response = as_user(manager).post(
        reverse("instruments:referral-signatory", args=[agreement.pk]),
        {"organisation": OrganisationFactory().pk},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert not ReferralAgreementSignatory.objects.exists()


@pytest.mark.parametrize("rows", [1, 6])
def test_agreement_list_queries_do_not_grow(
    as_user, network, member, receiving_organisation, rows, django_assert_num_queries
):
    for _ in range(rows):
        agreement = ReferralAgreementFactory(
            network=network, receiving_organisation=receiving_organisation, domains=[life_domain("family")]
        )
        ReferralAreaFactory(agreement=agreement)
    client = as_user(member)
    # session, user, network, agreements with organisation, their domains, their areas, session
    # save (savepoint, update, release)
    with django_assert_num_queries(9):
        assert client.get(reverse("instruments:referral-list", args=[network.pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_agreement_detail_queries_do_not_grow(
    as_user, network, member, agreement, rows, django_assert_num_queries
):
    for _ in range(rows):
        organisation = NetworkMembershipFactory(network=network).organisation
        agreement.referring_organisations.add(organisation)
        ReferralAgreementSignatory.objects.create(agreement=agreement, organisation=organisation)
        ReferralAreaFactory(agreement=agreement, postcode_from=1000 + rows, postcode_to=1000 + rows)
    client = as_user(member)
    # session, user, agreement with manage flag, signatures, domains, areas, referring organisations,
    # session save (savepoint, update, release); a member gets no signatory form
    with django_assert_num_queries(10):
        assert client.get(reverse("instruments:referral-detail", args=[agreement.pk])).status_code == 200
