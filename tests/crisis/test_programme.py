"""The crisis programme (issue 18 §1): defaults from the research, the capacity key, providers,
the rota and its gaps, and who may change what."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from ijh.models import AuditEvent
from instruments.crisis_models import CrisisProvider, CrisisStepKind, OnCallShift, rota_gaps

from .conftest import local

pytestmark = pytest.mark.django_db


def test_programme_starts_with_the_research_defaults(crisis):
    programme = crisis.programme
    assert (
        programme.guidance_limit_days,
        programme.shelter_limit_days,
        programme.shelter_extension_days,
    ) == (28, 7, 7)
    assert (programme.forfait_intervention, programme.forfait_guidance, programme.forfait_shelter) == (
        Decimal("50"),
        Decimal("100"),
        Decimal("100"),
    )
    key = {share.sector.code: share.percent for share in programme.capacity_shares.select_related("sector")}
    assert key == {"jwz": 40, "vaph": 40, "ckg": 20}


def _settings_body(crisis, **shares):
    body = {
        "meldpunt_phone": "03 123 45 67",
        "guidance_limit_days": "28",
        "shelter_limit_days": "7",
        "shelter_extension_days": "7",
        "forfait_intervention": "50",
        "forfait_guidance": "100",
        "forfait_shelter": "100",
    }
    for share in crisis.programme.capacity_shares.select_related("sector"):
        body[f"share_{share.sector_id}"] = str(shares.get(share.sector.code, share.percent))
    return body


def test_capacity_key_that_does_not_sum_to_100_is_refused_in_dutch(client, crisis):
    client.force_login(crisis.coordinator)
    url = reverse("instruments:crisis-programme-edit", args=[crisis.network.pk])
    response = client.post(url, _settings_body(crisis, jwz=50))
    assert response.status_code == 422
    assert "De verdeelsleutel moet samen 100 % zijn; nu is hij 110 %." in response.content.decode()
    assert crisis.programme.capacity_shares.get(sector__code="jwz").percent == 40


def test_capacity_key_change_is_saved_and_audited_once(client, crisis):
    client.force_login(crisis.coordinator)
    url = reverse("instruments:crisis-programme-edit", args=[crisis.network.pk])
    response = client.post(url, _settings_body(crisis, jwz=50, vaph=30))
    assert response.status_code == 302
    assert crisis.programme.capacity_shares.get(sector__code="vaph").percent == 30
    assert AuditEvent.objects.filter(action="crisis_programme.updated").count() == 1
    client.post(url, _settings_body(crisis))  # the same values again: nothing changes
    client.post(url, _settings_body(crisis))
    assert AuditEvent.objects.filter(action="crisis_programme.updated").count() == 1


def test_negative_places_are_refused_in_dutch(client, crisis):
    client.force_login(crisis.coordinator)
    url = reverse("instruments:crisis-provider-edit", args=[crisis.shelter.pk])
    body = {
        "organisation": crisis.shelter.organisation_id,
        "step": "shelter",
        "contact_line": "1",
        "places": "-2",
        "reserved_places": "0",
        "is_active": "on",
    }
    response = client.post(url, body)
    assert response.status_code == 422
    assert "Het aantal plaatsen kan niet negatief zijn." in response.content.decode()


def test_provider_declares_its_own_places_but_nothing_else(client, crisis):
    client.force_login(crisis.provider_worker)
    url = reverse("instruments:crisis-provider-edit", args=[crisis.shelter.pk])
    response = client.post(url, {"places": "4", "reserved_places": "2", "contact_line": "hacked"})
    assert response.status_code == 302
    crisis.shelter.refresh_from_db()
    assert (crisis.shelter.places, crisis.shelter.reserved_places, crisis.shelter.contact_line) == (
        4,
        2,
        "0470 00 00 03",
    )
    # Another provider's row: read-only for them.
    response = client.post(
        reverse("instruments:crisis-provider-edit", args=[crisis.guidance.pk]), {"places": "9"}
    )
    assert response.status_code == 403


def test_programme_page_access(client, crisis):
    url = reverse("instruments:crisis-programme", args=[crisis.network.pk])
    client.force_login(crisis.outsider)
    assert client.get(url).status_code == 404
    client.force_login(crisis.steering)
    assert client.get(url).status_code == 200
    assert (
        client.post(reverse("instruments:crisis-shift-create", args=[crisis.network.pk]), {}).status_code
        == 403
    )


@time_machine.travel(local(2026, 12, 1, 8, 0), tick=False)
def test_rota_gaps_in_the_coming_14_days_warn_the_coordinator(client, crisis):
    start = local(2026, 12, 1, 8, 0)
    # Covered day and night for 14 days, except Saturday 5/12 from 20:00 to 23:00.
    OnCallShift.objects.create(
        programme=crisis.programme, name="An", phone="1", starts_at=start, ends_at=local(2026, 12, 5, 20, 0)
    )
    OnCallShift.objects.create(
        programme=crisis.programme,
        name="Bo",
        phone="2",
        starts_at=local(2026, 12, 5, 23, 0),
        ends_at=start + datetime.timedelta(days=15),
    )
    assert rota_gaps(crisis.programme) == [(local(2026, 12, 5, 20, 0), local(2026, 12, 5, 23, 0))]
    client.force_login(crisis.coordinator)
    page = client.get(reverse("instruments:crisis-programme", args=[crisis.network.pk])).content.decode()
    assert "rota-gaps" in page and "20:00" in page


@time_machine.travel(local(2026, 12, 1, 8, 0), tick=False)
def test_shift_ending_before_it_starts_is_refused(client, crisis):
    client.force_login(crisis.coordinator)
    response = client.post(
        reverse("instruments:crisis-shift-create", args=[crisis.network.pk]),
        {"name": "An", "phone": "1", "starts_at": "2026-12-02T08:00", "ends_at": "2026-12-02T07:00"},
    )
    assert response.status_code == 422
    assert "Het einde van de permanentie ligt niet na het begin." in response.content.decode()
    assert not OnCallShift.objects.exists()


def test_provider_for_a_step_twice_is_refused(client, crisis):
    client.force_login(crisis.coordinator)
    response = client.post(
        reverse("instruments:crisis-provider-create", args=[crisis.network.pk]),
        {
            "organisation": crisis.shelter.organisation_id,
            "step": CrisisStepKind.SHELTER,
            "contact_line": "1",
            "places": "1",
            "reserved_places": "0",
        },
    )
    assert response.status_code == 422
    assert "Deze organisatie neemt al deel aan deze stap." in response.content.decode()
    assert CrisisProvider.objects.count() == 3


def test_case_area_links_only_for_the_networks_own_coordinator(client, crisis):
    """Regional staff manage the programme too, but the board, praktijkoverleg and forfaits are
    case-area pages they get a 404 on: the programme page does not offer them."""
    from tests.factories import MembershipFactory

    board = reverse("cases:crisis-board", args=[crisis.network.pk])
    url = reverse("instruments:crisis-programme", args=[crisis.network.pk])
    client.force_login(crisis.coordinator)
    assert board in client.get(url).content.decode()
    staff = MembershipFactory(regional_staff=True, region=crisis.network.region).user
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert board not in response.content.decode()
    assert client.get(board).status_code == 404
