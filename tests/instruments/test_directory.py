"""The wegwijzer: a caseworker finds the valid agreements of their networks by need, age,
postcode and text; bad input gets a Dutch message, never a 500; the query count is fixed."""

import datetime

import pytest
from django.urls import reverse

from instruments.models import ReferralAgreement
from networks.models import Membership
from tests.conftest import Persona
from tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    ReferralAgreementFactory,
    ReferralAreaFactory,
    UserFactory,
    life_domain,
)

from .conftest import HTMX

pytestmark = pytest.mark.django_db

URL = reverse("instruments:directory")


@pytest.fixture
def caseworker(network, member_organisation) -> Persona:
    user = UserFactory(username="hulpverlener-wegwijzer")
    MembershipFactory(
        user=user, network=network, role=Membership.Role.CASEWORKER, organisation=member_organisation
    )
    return Persona(user)


@pytest.fixture
def offers(network, other_network, receiving_organisation, agreement):
    """``agreement`` (family, 0–12, 9100–9190) plus: a mental-health offer 12–18 for the whole
    area, an expired one, one not yet valid, and one of another network."""
    cgg = NetworkMembershipFactory(network=network, organisation__name="CGG Waas en Dender").organisation
    mental = ReferralAgreementFactory(
        network=network,
        receiving_organisation=cgg,
        offer="Kinder- en jeugdteam",
        target_group="Jongeren met psychische klachten",
        conditions="Aanmelding na vraagverheldering.",
        age_min=12,
        age_max=18,
        domains=[life_domain("mental_health")],
    )
    expired = ReferralAgreementFactory(
        network=network,
        offer="Verlopen aanbod",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    future = ReferralAgreementFactory(
        network=network, offer="Toekomstig aanbod", valid_from=datetime.date(2099, 1, 1)
    )
    foreign = ReferralAgreementFactory(network=other_network, offer="Aanbod van elders")
    return {"family": agreement, "mental": mental, "expired": expired, "future": future, "foreign": foreign}


def found(response) -> set[str]:
    return {agreement.offer for agreement in response.context["page"]}


def test_without_filters_shows_the_valid_agreements_of_my_networks(as_user, caseworker, offers):
    response = as_user(caseworker).get(URL)
    assert response.status_code == 200
    assert found(response) == {"Mobiele opvoedingsondersteuning", "Kinder- en jeugdteam"}
    html = response.content.decode()
    # what a caseworker needs to refer: offer, organisation, target group, conditions, contact, letter
    assert "CKG De Zonnewijzer" in html
    assert "Gezinnen met kinderen van 0 tot 12 jaar" in html
    assert "De hulpvraag in de woorden van het gezin." in html
    assert "Onthaal, elke werkdag 9–12 u" in html
    assert "Aanbod van elders" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"age": "8"}, {"Mobiele opvoedingsondersteuning"}),
        ({"age": "15"}, {"Kinder- en jeugdteam"}),
        ({"age": "12"}, {"Mobiele opvoedingsondersteuning", "Kinder- en jeugdteam"}),
        # 9100–9190 is served by the family offer; the mental-health offer serves the whole area
        ({"postcode": "9120"}, {"Mobiele opvoedingsondersteuning", "Kinder- en jeugdteam"}),
        ({"postcode": "2000"}, {"Kinder- en jeugdteam"}),
        ({"domain": "family"}, {"Mobiele opvoedingsondersteuning"}),
        ({"domain": "mental_health", "age": "14"}, {"Kinder- en jeugdteam"}),
        ({"domain": "mental_health", "age": "8"}, set()),
        ({"q": "zonnewijzer"}, {"Mobiele opvoedingsondersteuning"}),  # organisation name
        ({"q": "psychische"}, {"Kinder- en jeugdteam"}),  # target group
        ({"q": "jeugdteam"}, {"Kinder- en jeugdteam"}),  # offer
    ],
)
def test_filters(as_user, caseworker, offers, query, expected):
    if "domain" in query:
        query = {**query, "domain": life_domain(query["domain"]).pk}
    response = as_user(caseworker).get(URL, query)
    assert response.status_code == 200
    assert found(response) == expected


def test_htmx_gets_only_the_results(as_user, caseworker, offers):
    response = as_user(caseworker).get(URL, {"age": "8"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "Mobiele opvoedingsondersteuning" in html and "<form" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"age": "abc"}, "Geef de leeftijd in jaren"),
        ({"age": "-3"}, "Een leeftijd kan niet negatief zijn."),
        ({"age": "99999999999999999999"}, "tot en met 30 jaar"),
        ({"postcode": "12"}, "„12” is geen Belgische postcode"),
        ({"postcode": "²²²²"}, "is geen Belgische postcode"),
        ({"postcode": "0999"}, "tussen 1000 en 9999"),
        ({"domain": "x"}, "Kies een levensdomein uit de lijst."),
        ({"network": "999999"}, "Kies een van je netwerken."),
    ],
)
def test_bad_input_gets_a_dutch_message_not_a_500(as_user, caseworker, offers, query, message):
    for headers in ({}, HTMX):
        response = as_user(caseworker).get(URL, query, headers=headers)
        assert response.status_code == 422
        assert message in response.content.decode()


def test_another_networks_filter_is_refused(as_user, caseworker, offers, other_network):
    response = as_user(caseworker).get(URL, {"network": other_network.pk})
    assert response.status_code == 422
    assert "Aanbod van elders" not in response.content.decode()


def test_someone_without_a_role_finds_nothing(as_user, offers):
    lonely = Persona(UserFactory(username="zonder-rol"))
    response = as_user(lonely).get(URL)
    assert response.status_code == 200
    assert found(response) == set()


def test_regional_staff_see_their_regions_agreements(as_user, regional_staff, offers):
    response = as_user(regional_staff).get(URL)
    assert "Mobiele opvoedingsondersteuning" in found(response)


def test_serving_is_one_query_without_duplicates_and_ignores_garbage_postcodes(offers):
    family = offers["family"]
    family.domains.add(life_domain("school"))
    queryset = ReferralAgreement.objects.filter(network=family.network).valid_on()
    assert list(queryset.serving(domain_id=life_domain("family").pk)) == [family]
    # "²" is a digit to str.isdigit() but not to int(): the queryset must not crash on it
    assert queryset.serving(postcode="²²²²").count() == 2


@pytest.mark.parametrize("rows", [1, 10])
def test_directory_queries_do_not_grow(
    as_user, caseworker, network, receiving_organisation, rows, django_assert_num_queries
):
    for index in range(rows):
        agreement = ReferralAgreementFactory(
            network=network,
            receiving_organisation=receiving_organisation,
            domains=[life_domain("family"), life_domain("school")],
        )
        ReferralAreaFactory(agreement=agreement, postcode_from=9100, postcode_to=9100 + index)
        ReferralAreaFactory(agreement=agreement, postcode_from=9200, postcode_to=9200)
    client = as_user(caseworker)
    query = {"postcode": "9100", "age": "8", "domain": life_domain("family").pk}
    # session, user, life domain chosen (form validation), count, page of agreements with
    # organisation and network, their domains, their areas, life domains and networks for the
    # selects, session save (savepoint, update, release)
    with django_assert_num_queries(12):
        response = client.get(URL, query)
    assert len(response.context["page"].object_list) == rows
