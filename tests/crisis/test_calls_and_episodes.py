"""Calls, episodes and steps with their clocks (issue 18 §2–§4, §7): the meldpunt registers, hands
over, the provider sees it; limits, the single shelter extension, the last bed, bad input in Dutch,
access that ends with its reason (frozen clock), query counts."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.access import get_crisis_episode_for_user, visible_crisis_calls
from cases.models import CrisisCall, CrisisEpisode, CrisisStep
from cases.services import crisis as services
from ijh.mail import OutgoingMail
from ijh.models import AuditEvent
from instruments.crisis_models import CrisisStepKind
from networks.models import Membership

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 22, 23, 40)


def call_body(crisis, **extra):
    body = {
        "token": str(uuid.uuid4()),
        "received_at": "2026-11-22T23:10",
        "caller": "parent",
        "urgency": "now",
        "question": "Moeder belt: zoon (15) bedreigt broer met mes.",
        "admissible": "1",
        "outcome": "dispatched",
        "provider": str(crisis.intervention.pk),
        "handed_over_at": "",
        "referred_to": "",
    }
    body.update(extra)
    return body


def dispatch(crisis, *, at=None, by=None) -> CrisisEpisode:
    at = at or timezone.now() - datetime.timedelta(minutes=30)
    call, _created = services.register_call(
        programme=crisis.programme,
        by=by or crisis.meldpunt,
        token=uuid.uuid4(),
        received_at=at,
        caller="parent",
        urgency="now",
        question="Vraag",
        admissible=True,
        outcome="dispatched",
        provider=crisis.intervention,
        handed_over_at=at + datetime.timedelta(minutes=20),
    )
    return call.episode


@time_machine.travel(NOW, tick=False)
def test_meldpunt_registers_a_dispatched_call_that_becomes_an_episode(client, crisis):
    client.force_login(crisis.meldpunt)
    page = client.get(reverse("cases:crisis-meldpunt", args=[crisis.network.pk])).content.decode()
    # Keyboard first: the first field has focus and defaults to now.
    assert "autofocus" in page and 'value="2026-11-22T23:40"' in page
    response = client.post(reverse("cases:crisis-call-create", args=[crisis.network.pk]), call_body(crisis))
    episode = CrisisEpisode.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:crisis-episode", args=[episode.pk]
    )
    assert episode.client.full_name == "" and episode.client.pseudonym.startswith("CL-")
    step = episode.steps.get()
    assert (step.kind, step.provider, step.started_at) == (
        CrisisStepKind.INTERVENTION,
        crisis.intervention,
        NOW,
    )
    assert episode.call.received_at == local(2026, 11, 22, 23, 10)
    assert {"crisiscall.registered", "crisisepisode.opened", "crisisstep.started"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


@time_machine.travel(NOW, tick=False)
def test_double_click_registers_one_call(client, crisis):
    client.force_login(crisis.meldpunt)
    body = call_body(crisis)
    url = reverse("cases:crisis-call-create", args=[crisis.network.pk])
    client.post(url, body)
    response = client.post(url, body, follow=True)
    assert CrisisCall.objects.count() == 1 and CrisisEpisode.objects.count() == 1
    assert "Deze oproep was al geregistreerd" in response.content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"handed_over_at": "2026-11-22T22:00"}, "De overdracht ligt vóór de oproep."),
        ({"admissible": "0"}, "Alleen een ontvankelijke oproep wordt doorgeschakeld binnen het netwerk."),
        ({"received_at": "2026-11-23T02:00"}, "Dit tijdstip ligt in de toekomst."),
        ({"received_at": "2026-02-30T10:00"}, "Geef een geldig tijdstip"),
        ({"outcome": "referred"}, "Zeg naar wie het meldpunt doorverwees."),
        ({"provider": ""}, "Kies de aanbieder die de crisisinterventie doet."),
        ({"question": ""}, "Vat de vraag in een paar woorden samen."),
    ],
)
def test_bad_call_input_gets_a_dutch_message_and_saves_nothing(client, crisis, extra, message):
    client.force_login(crisis.meldpunt)
    response = client.post(
        reverse("cases:crisis-call-create", args=[crisis.network.pk]), call_body(crisis, **extra)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CrisisCall.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_call_from_the_night_is_entered_next_morning_with_its_real_time(client, crisis):
    with time_machine.travel(local(2026, 11, 23, 8, 30), tick=False):
        client.force_login(crisis.meldpunt)
        response = client.post(
            reverse("cases:crisis-call-create", args=[crisis.network.pk]),
            call_body(crisis, received_at="2026-11-23T03:15", outcome="meldpunt", provider=""),
        )
    assert response.status_code == 302
    call = CrisisCall.objects.get()
    assert call.received_at == local(2026, 11, 23, 3, 15) and call.closed_on == datetime.date(2026, 11, 23)
    assert not CrisisEpisode.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_shelter_takes_the_last_place_and_the_next_gets_a_message(crisis):
    first, second = dispatch(crisis), dispatch(crisis)
    services.start_step(
        episode=first, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
    )
    with pytest.raises(ValidationError) as refused:
        services.start_step(
            episode=second, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
        )
    assert "geen vrije crisisplaats" in refused.value.messages[0]
    # The place comes free when the step ends.
    services.end_step(step=first.steps.get(kind="shelter"), ended_at=NOW, by=crisis.provider_worker)
    services.start_step(
        episode=second, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
    )


@time_machine.travel(NOW, tick=False)
def test_the_database_refuses_a_second_episode_on_the_same_place(crisis):
    episode, other = dispatch(crisis), dispatch(crisis)
    CrisisStep.objects.create(
        episode=episode,
        kind="shelter",
        provider=crisis.shelter,
        started_at=episode.opened_at,
        place_number=1,
        started_by=crisis.meldpunt,
    )
    # What a second operator's transaction does when it read the same free place: the unique
    # constraint turns it into the Dutch message (the real two-transaction race: test_race.py).
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CrisisStep.objects.create(
            episode=other,
            kind="shelter",
            provider=crisis.shelter,
            started_at=other.opened_at,
            place_number=1,
            started_by=crisis.meldpunt,
        )


def test_shelter_clock_and_its_single_extension(crisis):
    with time_machine.travel(local(2026, 11, 1, 10, 0), tick=False):
        episode = dispatch(crisis)
        step = services.start_step(
            episode=episode,
            kind="shelter",
            provider=crisis.shelter,
            started_at=local(2026, 11, 1, 10, 0),
            by=crisis.meldpunt,
        )
    assert step.due_at == local(2026, 11, 8, 10, 0)
    with time_machine.travel(local(2026, 11, 7, 12, 0), tick=False):
        assert step.clock(local(2026, 11, 7, 12, 0)) == "nearly"
        step = services.extend_shelter(
            step=step, reason="Terugkeer naar huis nog niet veilig.", by=crisis.provider_worker
        )
        assert step.due_at == local(2026, 11, 15, 10, 0)
        with pytest.raises(ValidationError) as refused:
            services.extend_shelter(step=step, reason="Nog eens", by=crisis.provider_worker)
        assert refused.value.messages == ["Een crisisopvang kan maar één keer verlengd worden."]
    assert step.clock(local(2026, 11, 15, 10, 1)) == "overdue"


def test_guidance_has_28_days_and_cannot_be_extended(crisis):
    with time_machine.travel(local(2026, 11, 1, 10, 0), tick=False):
        episode = dispatch(crisis)
        step = services.start_step(
            episode=episode,
            kind="guidance",
            provider=crisis.guidance,
            started_at=local(2026, 11, 1, 10, 0),
            by=crisis.meldpunt,
        )
        with pytest.raises(ValidationError, match="Alleen een crisisopvang"):
            services.extend_shelter(step=step, reason="x", by=crisis.meldpunt)
    assert step.due_at == local(2026, 11, 29, 10, 0)


@time_machine.travel(NOW, tick=False)
def test_end_before_start_and_second_extension_via_the_pages(client, crisis):
    episode = dispatch(crisis)
    step = services.start_step(
        episode=episode, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
    )
    client.force_login(crisis.provider_worker)
    response = client.post(
        reverse("cases:crisis-step-end", args=[step.pk]), {f"end-{step.pk}-ended_at": "2026-11-20T10:00"}
    )
    assert response.status_code == 422 and "Het einde ligt vóór het begin" in response.content.decode()
    url = reverse("cases:crisis-step-extend", args=[step.pk])
    assert (
        client.post(url, {f"extend-{step.pk}-extension_reason": "Geen veilige terugkeer"}).status_code == 302
    )
    response = client.post(url, {f"extend-{step.pk}-extension_reason": "Nog eens"})
    assert response.status_code == 422 and "maar één keer verlengd" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_step_start_before_the_call_is_refused(client, crisis):
    episode = dispatch(crisis)
    client.force_login(crisis.meldpunt)
    response = client.post(
        reverse("cases:crisis-step-start", args=[episode.pk]),
        {"kind": "guidance", "provider": crisis.guidance.pk, "started_at": "2026-11-20T10:00"},
    )
    assert response.status_code == 422 and "Dit tijdstip ligt vóór" in response.content.decode()
    assert episode.steps.count() == 1


@time_machine.travel(NOW, tick=False)
def test_provider_sees_the_handover_on_its_dashboard(client, crisis):
    episode = dispatch(crisis)
    services.start_step(
        episode=episode, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
    )
    client.force_login(crisis.provider_worker)
    page = client.get(reverse("cases:crisis-my-steps")).content.decode()
    assert episode.client.pseudonym in page
    assert client.get(reverse("cases:crisis-episode", args=[episode.pk])).status_code == 200


def test_access_ends_when_its_reason_ends(client, crisis, settings):
    settings.CRISIS_GRACE_DAYS = 14
    with time_machine.travel(local(2026, 11, 1, 10, 0), tick=False):
        episode = dispatch(crisis)
        shelter = services.start_step(
            episode=episode,
            kind="shelter",
            provider=crisis.shelter,
            started_at=local(2026, 11, 1, 10, 0),
            by=crisis.meldpunt,
        )
    with time_machine.travel(local(2026, 11, 5, 10, 0), tick=False):
        services.end_step(step=shelter, ended_at=local(2026, 11, 5, 10, 0), by=crisis.provider_worker)
    with time_machine.travel(local(2026, 11, 10, 10, 0), tick=False):
        services.close_episode(
            episode=CrisisEpisode.objects.get(pk=episode.pk),
            outcome="home",
            closed_at=local(2026, 11, 10, 10, 0),
            by=crisis.meldpunt,
        )
    url = reverse("cases:crisis-episode", args=[episode.pk])

    def status(user, day):
        with time_machine.travel(local(*day, 12, 0), tick=False):
            client.force_login(user)
            return client.get(url).status_code

    # The provider: its step ended 5/11, plus 14 days.
    assert status(crisis.provider_worker, (2026, 11, 19)) == 200
    assert status(crisis.provider_worker, (2026, 11, 20)) == 404
    # The meldpunt: the episode closed 10/11, plus 14 days.
    assert status(crisis.meldpunt, (2026, 11, 24)) == 200
    assert status(crisis.meldpunt, (2026, 11, 25)) == 404
    # Never: a steering member, the coordinator (counts only), a meldpunt of another network.
    for user in (crisis.steering, crisis.coordinator, crisis.outsider):
        assert status(user, (2026, 11, 12)) == 404


@time_machine.travel(NOW, tick=False)
def test_meldpunt_role_that_ended_loses_the_calls(client, crisis):
    episode = dispatch(crisis)
    Membership.objects.filter(user=crisis.meldpunt).update(until=datetime.date(2026, 11, 21))
    client.force_login(crisis.meldpunt)
    assert client.get(reverse("cases:crisis-episode", args=[episode.pk])).status_code == 404
    assert client.get(reverse("cases:crisis-meldpunt", args=[crisis.network.pk])).status_code == 404
    assert not visible_crisis_calls(crisis.meldpunt).exists()


@time_machine.travel(NOW, tick=False)
def test_provider_of_another_step_cannot_end_this_one(crisis, client):
    episode = dispatch(crisis)
    guidance = services.start_step(
        episode=episode, kind="guidance", provider=crisis.guidance, started_at=NOW, by=crisis.meldpunt
    )
    services.start_step(
        episode=episode, kind="shelter", provider=crisis.shelter, started_at=NOW, by=crisis.meldpunt
    )
    client.force_login(crisis.provider_worker)  # the shelter's caseworker
    assert client.post(reverse("cases:crisis-step-end", args=[guidance.pk]), {}).status_code == 403
    assert get_crisis_episode_for_user(crisis.provider_worker, episode.pk).user_is_provider


def test_overdue_steps_are_marked_once_and_mailed_once(crisis, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(local(2026, 11, 1, 10, 0), tick=False):
        episode = dispatch(crisis)
        step = services.start_step(
            episode=episode,
            kind="shelter",
            provider=crisis.shelter,
            started_at=local(2026, 11, 1, 10, 0),
            by=crisis.meldpunt,
        )
    assert services.mark_overdue_steps(now=local(2026, 11, 8, 9, 0)) == 0
    assert services.mark_overdue_steps(now=local(2026, 11, 8, 10, 15)) == 1
    assert services.mark_overdue_steps(now=local(2026, 11, 8, 10, 30)) == 0
    step.refresh_from_db()
    assert step.overdue_marked_at == local(2026, 11, 8, 10, 15)
    mails = OutgoingMail.objects.filter(key=f"crisis-step-overdue:{step.pk}")
    assert mails.count() == 1 and mails.get().to == "opvang@example.org"
    assert episode.client.pseudonym in mails.get().subject


@time_machine.travel(NOW, tick=False)
def test_query_counts_do_not_grow(client, crisis):
    for _n in range(3):
        episode = dispatch(crisis)
    services.start_step(
        episode=episode, kind="guidance", provider=crisis.guidance, started_at=NOW, by=crisis.meldpunt
    )
    client.force_login(crisis.meldpunt)

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    pages = {
        "meldpunt": reverse("cases:crisis-meldpunt", args=[crisis.network.pk]),
        "episode": reverse("cases:crisis-episode", args=[episode.pk]),
        "board": reverse("cases:crisis-board", args=[crisis.network.pk]),
    }
    before = {name: count(url) for name, url in pages.items()}
    for _n in range(5):
        more = dispatch(crisis)
    services.start_step(
        episode=more, kind="guidance", provider=crisis.guidance, started_at=NOW, by=crisis.meldpunt
    )
    after = {name: count(url) for name, url in pages.items()}
    assert before == after
    # Each includes the request's own four (session, user, session save, the user's roles for
    # the menu). Meldpunt: network + programme, running steps, calls, the form's providers,
    # audit (read) and its savepoint pair.
    assert after["meldpunt"] == 11
    # Episode: episode with flags, steps, my steps, providers with occupancy, its praktijkoverleg,
    # the praktijkoverleg form's organisations (two selects), audit (read) + pair.
    assert after["episode"] == 13
    # Board: network + programme, providers with occupancy, the capacity key, messages.
    assert after["board"] == 8


# Read-log declarations for tests/cases/test_read_log.py.
READ_LOGGED_URL_NAMES = {"cases:crisis-meldpunt", "cases:crisis-episode", "cases:crisis-my-steps"}
# Free places per provider and the capacity key; forfaits per provider: counts, no client data.
# The core group's praktijkoverleg page: organisations, step and dates, no client data.
NOT_A_READ_URL_NAMES = {"cases:crisis-board", "cases:crisis-forfaits", "cases:crisis-conflicts"}
