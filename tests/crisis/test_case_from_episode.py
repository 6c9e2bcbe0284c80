"""Open or link a case from a crisis episode (issue 18): once the young person is known, a provider
of the episode (or the meldpunt) opens a case for the episode's client or links one they see. The
case team is the episode's provider team under the consent rule of the case team; no name before
consent is on record; audit and timeline on both; 404 for what one may not see."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseTeamMember, Consent, CrisisEpisode, TimelineEvent
from cases.services import crisis as services
from ijh.models import AuditEvent
from networks.models import Membership
from tests.factories import CaseFactory

from .conftest import local, person

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 22, 23, 40)


@pytest.fixture
def episode(crisis) -> CrisisEpisode:
    """Dispatched to the mobile team, then a shelter stay at the CKG (the provider worker's)."""
    with time_machine.travel(NOW, tick=False):
        at = NOW - datetime.timedelta(hours=2)
        call, _created = services.register_call(
            programme=crisis.programme,
            by=crisis.meldpunt,
            token=uuid.uuid4(),
            received_at=at,
            caller="parent",
            urgency="now",
            question="Vader belt: dochter (14) weggelopen.",
            admissible=True,
            outcome="dispatched",
            provider=crisis.intervention,
            handed_over_at=at + datetime.timedelta(minutes=20),
        )
        services.start_step(
            episode=call.episode, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
        )
        return call.episode


@pytest.fixture
def mobile_worker(crisis):
    return person(crisis.network, Membership.Role.CASEWORKER, "mobiel", crisis.intervention.organisation)


def open_url(episode):
    return reverse("cases:crisis-case-open", args=[episode.pk])


def link_url(episode):
    return reverse("cases:crisis-case-link", args=[episode.pk])


def consent_body(**extra):
    body = {
        "case-basis": "consent",
        "case-given_by": "parent",
        "case-given_on": "2026-11-22",
        "case-evidence_note": "Vader gaf mondeling toestemming aan de telefoon, genoteerd.",
    }
    body.update(extra)
    return body


@time_machine.travel(NOW, tick=False)
def test_provider_opens_a_pseudonymous_case_led_by_its_organisation(client, crisis, episode, mobile_worker):
    client.force_login(crisis.provider_worker)
    response = client.post(open_url(episode), {"case-lead_organisation": crisis.shelter.organisation_id})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    episode.refresh_from_db()
    # the episode's own client, still without a name; the crisis network; the provider as lead
    assert episode.case == case and case.client_id == episode.client_id and case.client.full_name == ""
    assert (case.network, case.lead_organisation) == (crisis.network, crisis.shelter.organisation)
    # Without consent the team is the lead organisation only (the person opening it by name).
    assert list(case.team.values_list("organisation_id", "user_id", "role")) == [
        (crisis.shelter.organisation_id, crisis.provider_worker.pk, CaseTeamMember.Role.LEAD)
    ]
    assert set(case.timeline.values_list("kind", flat=True)) == {
        TimelineEvent.Kind.OPENED,
        TimelineEvent.Kind.CRISIS_EPISODE,
    }
    actions = set(
        AuditEvent.objects.filter(actor=crisis.provider_worker).values_list("action", "object_type")
    )
    assert {("case.opened", "cases.case"), ("crisisepisode.case_opened", "cases.crisisepisode")} <= actions
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    # The other provider of the episode is not on the team until a consent names it.
    client.force_login(mobile_worker)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # The episode page says there is a case and logs the read with the file.
    client.force_login(crisis.meldpunt)
    page = client.get(reverse("cases:crisis-episode", args=[episode.pk])).content.decode()
    assert "Gekoppeld aan dossier" in page and case.client.pseudonym in page
    assert AuditEvent.objects.filter(
        actor=crisis.meldpunt, action__endswith=".viewed", case_id=case.pk
    ).exists()
    # Later steps land on the case's timeline.
    services.start_step(
        episode=episode, kind="guidance", provider=crisis.guidance, started_at=NOW, by=crisis.meldpunt
    )
    assert case.timeline.filter(kind=TimelineEvent.Kind.CRISIS_STEP_STARTED).count() == 1


@time_machine.travel(NOW, tick=False)
def test_no_name_is_stored_before_consent_is_on_record(client, crisis, episode):
    client.force_login(crisis.provider_worker)
    response = client.post(
        open_url(episode),
        {"case-lead_organisation": crisis.shelter.organisation_id, "case-first_name": "Lotte"},
    )
    assert response.status_code == 422
    assert "Een naam bewaar je pas als de toestemming" in response.content.decode()
    assert not Case.objects.exists()
    episode.client.refresh_from_db()
    assert episode.client.first_name == ""
    # The service refuses it too, whatever the form.
    with pytest.raises(Exception, match="toestemming"):
        services.open_case_for_episode(
            episode=episode,
            by=crisis.provider_worker,
            lead_organisation=crisis.shelter.organisation,
            first_name="X",
        )
    assert not Case.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_consent_brings_the_episodes_providers_onto_the_team_and_then_the_name(
    client, crisis, episode, mobile_worker
):
    client.force_login(crisis.provider_worker)
    body = consent_body(
        **{
            "case-lead_organisation": crisis.shelter.organisation_id,
            "case-first_name": "Lotte",
            "case-last_name": "Peeters",
            "case-birth_year": "2012",
        }
    )
    assert client.post(open_url(episode), body).status_code == 302
    case = Case.objects.get()
    assert set(case.team.values_list("organisation_id", flat=True)) == {
        crisis.shelter.organisation_id,
        crisis.intervention.organisation_id,
    }
    consent = Consent.objects.get(case=case)
    assert consent.covers_case_team and set(consent.organisations.all()) == {
        crisis.shelter.organisation,
        crisis.intervention.organisation,
    }
    added = case.team.get(organisation=crisis.intervention.organisation)
    assert added.consent == consent
    case.client.refresh_from_db()
    assert (case.client.first_name, case.client.last_name, case.client.birth_year) == (
        "Lotte",
        "Peeters",
        2012,
    )
    # names of fields, never their values, in the audit log
    event = AuditEvent.objects.get(action="client.identified")
    assert event.changed_fields == ["birth_year", "first_name", "last_name"] and "Lotte" not in str(
        AuditEvent.objects.values_list("detail", flat=True)
    )
    client.force_login(mobile_worker)
    assert "Peeters" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


@time_machine.travel(NOW, tick=False)
def test_incomplete_consent_saves_nothing_with_a_dutch_message(client, crisis, episode):
    client.force_login(crisis.provider_worker)
    body = consent_body(
        **{
            "case-lead_organisation": crisis.shelter.organisation_id,
            "case-evidence_note": "",
            "case-first_name": "L",
        }
    )
    response = client.post(open_url(episode), body)
    assert response.status_code == 422
    assert "Voeg het ondertekende formulier toe of noteer hoe de toestemming gegeven werd." in (
        response.content.decode()
    )
    assert not Case.objects.exists() and not Consent.objects.exists()
    assert CrisisEpisode.objects.get().case_id is None
    # a lead organisation that is not a provider of the episode
    response = client.post(open_url(episode), {"case-lead_organisation": crisis.guidance.organisation_id})
    assert response.status_code == 422 and not Case.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_meldpunt_opens_the_case_for_the_providers_without_joining_its_team(
    client, crisis, episode, mobile_worker
):
    client.force_login(crisis.meldpunt)
    response = client.post(open_url(episode), {"case-lead_organisation": crisis.intervention.organisation_id})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:crisis-episode", args=[episode.pk]
    )
    assert list(case.team.values_list("organisation_id", "user_id")) == [
        (crisis.intervention.organisation_id, None)
    ]
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    client.force_login(mobile_worker)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_opening_twice_gives_a_clear_message(client, crisis, episode):
    client.force_login(crisis.provider_worker)
    body = {"case-lead_organisation": crisis.shelter.organisation_id}
    assert client.post(open_url(episode), body).status_code == 302
    response = client.post(open_url(episode), body)
    # the forms are gone from the page once linked: a second post (double click) gets a message
    assert response.status_code == 422 and "al gekoppeld aan dossier" in response.content.decode()
    assert Case.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_provider_links_a_case_it_sees(client, crisis, episode):
    case = CaseFactory(network=crisis.network, lead_organisation=crisis.shelter.organisation)
    client.force_login(crisis.provider_worker)
    response = client.post(link_url(episode), {"link-reference": case.client.pseudonym.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    episode.refresh_from_db()
    assert episode.case == case
    event = case.timeline.get(kind=TimelineEvent.Kind.CRISIS_EPISODE)
    assert event.object_type == "cases.crisisepisode" and "crisisopvang" in event.detail
    assert AuditEvent.objects.filter(action="crisisepisode.case_linked", object_id=str(episode.pk)).exists()
    assert AuditEvent.objects.filter(action="case.crisis_episode_linked", case_id=case.pk).exists()
    # twice: a clear message, nothing changes
    other = CaseFactory(network=crisis.network, lead_organisation=crisis.shelter.organisation)
    response = client.post(link_url(episode), {"link-reference": str(other.pk)})
    assert response.status_code == 422 and "al gekoppeld aan dossier" in response.content.decode()
    episode.refresh_from_db()
    assert episode.case == case


@time_machine.travel(NOW, tick=False)
def test_linking_a_case_one_cannot_see_is_404_and_garbage_a_message(client, crisis, episode):
    theirs = CaseFactory(network=crisis.network)  # another organisation's case
    client.force_login(crisis.provider_worker)
    for reference in (theirs.client.pseudonym, str(theirs.pk), "CL-ZZZZ-ZZZZ", "999999999"):
        assert client.post(link_url(episode), {"link-reference": reference}).status_code == 404
    for reference in ("", "Lotte Peeters", "=1+1", "1" * 30):
        response = client.post(link_url(episode), {"link-reference": reference})
        assert response.status_code == 422, reference
    closed = CaseFactory(
        network=crisis.network,
        lead_organisation=crisis.shelter.organisation,
        closed_on=datetime.date(2026, 3, 1),
    )
    response = client.post(link_url(episode), {"link-reference": closed.client.pseudonym})
    assert response.status_code == 422 and "is afgesloten" in response.content.decode()
    assert CrisisEpisode.objects.get().case_id is None


@time_machine.travel(NOW, tick=False)
def test_who_may_open_or_link(client, crisis, episode):
    case = CaseFactory(network=crisis.network, lead_organisation=crisis.shelter.organisation)
    bodies = {
        open_url(episode): {"case-lead_organisation": crisis.shelter.organisation_id},
        link_url(episode): {"link-reference": case.client.pseudonym},
    }
    # steering member (counts only), coordinator, outsider: they do not know the episode
    for user in (crisis.steering, crisis.coordinator, crisis.outsider):
        client.force_login(user)
        for url, body in bodies.items():
            assert client.post(url, body).status_code == 404, (user, url)
    # a closed episode is read-only for the meldpunt and the providers
    services.close_episode(episode=episode, outcome="home", closed_at=NOW, by=crisis.meldpunt)
    for user in (crisis.meldpunt, crisis.provider_worker):
        client.force_login(user)
        for url, body in bodies.items():
            assert client.post(url, body).status_code == 403, (user, url)
    assert Case.objects.count() == 1 and CrisisEpisode.objects.get().case_id is None


@time_machine.travel(NOW, tick=False)
def test_episode_page_offers_the_forms_to_its_writers_only(client, crisis, episode):
    client.force_login(crisis.provider_worker)
    page = client.get(reverse("cases:crisis-episode", args=[episode.pk])).content.decode()
    assert f'action="{open_url(episode)}"' in page and f'action="{link_url(episode)}"' in page
    services.close_episode(episode=episode, outcome="home", closed_at=timezone.now(), by=crisis.meldpunt)
    page = client.get(reverse("cases:crisis-episode", args=[episode.pk])).content.decode()
    assert open_url(episode) not in page


@time_machine.travel(NOW, tick=False)
def test_episode_page_with_a_case_takes_one_query_more(client, crisis, episode):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(crisis.provider_worker)
    url = reverse("cases:crisis-episode", args=[episode.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    services.open_case_for_episode(
        episode=episode, by=crisis.provider_worker, lead_organisation=crisis.shelter.organisation
    )
    # The linked case comes with the episode (a join); whether the user sees it is one query.
    assert count() == before + 1
    CaseFactory.create_batch(3, network=crisis.network, lead_organisation=crisis.shelter.organisation)
    assert count() == before + 1
