"""The case pages: list, create, detail, edit/close, team, timeline, who viewed; access per persona."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseTeamMember, Client, TimelineEvent
from ijh.models import AuditEvent
from networks.models import Membership
from tests.factories import (
    CaseFactory,
    CaseTeamMemberFactory,
    ClientConferenceFactory,
    ConsentFactory,
    MembershipFactory,
    NetworkMembershipFactory,
    TimelineEventFactory,
    UserFactory,
)
from tests.files import clean_pdf

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PDF = clean_pdf()

# What only the team and the chair may read (ClientFactory birth date 09/04/2011; conftest names).
IDENTIFYING = ("Lotte", "Vermeersch", "09/04/2011", "2011-04-09", "loopt vast op school")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def evidence_consent(consent):
    consent.evidence.save("formulier.pdf", ContentFile(PDF))
    return consent


def read_urls(case):
    return [reverse("cases:detail", args=[case.pk]), reverse("cases:timeline", args=[case.pk])]


def team_only_get_urls(case, consent):
    return [
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:viewers", args=[case.pk]),
    ]


def write_posts(case, consent):
    """(url, data) for every POST on a case; each would change something if allowed."""
    member = case.team.first()
    today = timezone.localdate().isoformat()
    return [
        (reverse("cases:edit", args=[case.pk]), {"first_name": "Gewijzigd", "opened_on": "2026-01-05"}),
        (reverse("cases:close", args=[case.pk]), {"close-closed_on": today}),
        (reverse("cases:team-add", args=[case.pk]), {"team-organisation": case.lead_organisation_id}),
        (reverse("cases:team-end", args=[case.pk, member.pk]), {"until": today}),
        (reverse("cases:consent-add", args=[case.pk]), {"consent-basis": "legal_ground"}),
        (
            reverse("cases:consent-withdraw", args=[case.pk, consent.pk]),
            {f"withdraw-{consent.pk}-withdrawn_on": today},
        ),
    ]


def snapshot(case):
    return (
        Case.objects.filter(pk=case.pk).values_list("closed_on", "client__first_name").get(),
        CaseTeamMember.objects.filter(case=case).count(),
        CaseTeamMember.objects.filter(case=case, until__isnull=False).count(),
        case.consents.count(),
        case.consents.filter(withdrawn_on__isnull=False).count(),
        TimelineEvent.objects.filter(case=case).count(),
    )


# --- access matrix ---------------------------------------------------------------------------------------


class TestAccess:
    def test_team_caseworker_reads_and_writes(self, as_user, caseworker, case, evidence_consent):
        client = as_user(caseworker)
        for url in [*read_urls(case), *team_only_get_urls(case, evidence_consent)]:
            assert client.get(url).status_code == 200, url
        evidence = reverse("cases:consent-evidence", args=[case.pk, evidence_consent.pk])
        assert client.get(evidence).status_code == 200

    @pytest.mark.parametrize(
        "persona", ["other_caseworker", "member", "regional_staff", "outsider", "superuser", "manager"]
    )
    def test_others_get_404_everywhere(self, request, as_user, persona, case, evidence_consent):
        # no conference on the case, so the coordinator (manager) has no business with it either
        client = as_user(request.getfixturevalue(persona))
        before = snapshot(case)
        urls = [
            *read_urls(case),
            *team_only_get_urls(case, evidence_consent),
            reverse("cases:consent-evidence", args=[case.pk, evidence_consent.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        for url, data in write_posts(case, evidence_consent):
            assert client.post(url, data).status_code == 404, url
        assert snapshot(case) == before

    @pytest.mark.parametrize(
        "persona", ["other_caseworker", "member", "regional_staff", "outsider", "superuser"]
    )
    def test_others_still_get_404_once_a_conference_is_requested(
        self, request, as_user, persona, case, conference
    ):
        client = as_user(request.getfixturevalue(persona))
        for url in read_urls(case):
            assert client.get(url).status_code == 404, url

    def test_the_organising_cell_never_gets_the_case(
        self, as_user, manager, case, conference, evidence_consent
    ):
        # The cell reaches the conference request (cases:conference-detail), not the case.
        client = as_user(manager)
        before = snapshot(case)
        for url in [*read_urls(case), *team_only_get_urls(case, evidence_consent)]:
            assert client.get(url).status_code == 404, url
        for url, data in write_posts(case, evidence_consent):
            assert client.post(url, data).status_code == 404, url
        assert snapshot(case) == before

    def test_the_chair_reaches_the_conference_never_the_case(
        self, as_user, conference_chair, case, conference, evidence_consent
    ):
        # A chair needs the conference, not the team, referrals or other consents (issue 16 §1).
        client = as_user(conference_chair)
        before = snapshot(case)
        for url in [*read_urls(case), *team_only_get_urls(case, evidence_consent)]:
            assert client.get(url).status_code == 404, url
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 404, url
        for url, data in write_posts(case, evidence_consent):
            assert client.post(url, data).status_code == 404, url
        assert snapshot(case) == before
        assert client.get(reverse("cases:conference-detail", args=[conference.pk])).status_code == 200

    def test_anonymous_is_sent_to_login(self, client, case, consent):
        for url in [*read_urls(case), *team_only_get_urls(case, consent), reverse("cases:list")]:
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(reverse("login")), url

    def test_objects_of_another_case_are_404(self, as_user, caseworker, network, case, case_organisation):
        other = CaseFactory(network=network, lead_organisation=case_organisation)
        foreign_member = other.team.first()
        foreign_consent = ConsentFactory(case=other)
        client = as_user(caseworker)
        today = timezone.localdate().isoformat()
        response = client.post(reverse("cases:team-end", args=[case.pk, foreign_member.pk]), {"until": today})
        assert response.status_code == 404
        response = client.post(
            reverse("cases:consent-withdraw", args=[case.pk, foreign_consent.pk]),
            {f"withdraw-{foreign_consent.pk}-withdrawn_on": today},
        )
        assert response.status_code == 404
        assert not foreign_consent.__class__.objects.filter(withdrawn_on__isnull=False).exists()


class TestNeedToKnow:
    def test_cell_sees_no_names_birth_date_or_summary(self, as_user, manager, case, conference, caseworker):
        TimelineEventFactory(case=case, detail="Gesprek met Lotte Vermeersch", actor=caseworker.user)
        client = as_user(manager)
        pages = [*read_urls(case), reverse("cases:list"), reverse("cases:conference-inbox")]
        pages.append(reverse("cases:conference-detail", args=[conference.pk]))
        for url in pages:
            text = client.get(url).text
            for secret in IDENTIFYING:
                assert secret not in text, (url, secret)
        # The cell knows the conference by its pseudonym, and the case list shows it nothing.
        assert case.client.pseudonym in client.get(reverse("cases:conference-inbox")).text
        assert case.client.pseudonym not in client.get(reverse("cases:list")).text

    def test_the_team_sees_them(self, as_user, caseworker, case, conference):
        text = as_user(caseworker).get(reverse("cases:detail", args=[case.pk])).text
        for secret in ("Lotte Vermeersch", "09/04/2011", "loopt vast op school"):
            assert secret in text
        assert "Lotte Vermeersch" in as_user(caseworker).get(reverse("cases:list")).text

    def test_the_chair_sees_the_name_on_the_conference_only(
        self, as_user, conference_chair, case, conference
    ):
        client = as_user(conference_chair)
        assert "Lotte Vermeersch" in client.get(reverse("cases:conference-detail", args=[conference.pk])).text
        assert "Lotte Vermeersch" not in client.get(reverse("cases:list")).text
        assert (
            "loopt vast op school"
            not in client.get(reverse("cases:conference-detail", args=[conference.pk])).text
        )

    def test_write_controls_on_the_case_page(self, as_user, caseworker, case, conference):
        team_text = as_user(caseworker).get(reverse("cases:detail", args=[case.pk])).text
        for control in (
            "Iemand toevoegen aan het team",
            "Toestemming of wettelijke grond registreren",
            "Bewerken",
        ):
            assert control in team_text


# --- list ----------------------------------------------------------------------------------------------


class TestCaseList:
    def test_lists_visible_cases_only(self, as_user, caseworker, network, case, other_network):
        hidden = CaseFactory(network=network)  # lead organisation not the caseworker's
        text = as_user(caseworker).get(reverse("cases:list")).text
        assert case.client.pseudonym in text
        assert hidden.client.pseudonym not in text

    def test_status_filter_defaults_to_open(self, as_user, caseworker, network, case_organisation, case):
        closed = CaseFactory(
            network=network,
            lead_organisation=case_organisation,
            closed_on=datetime.date(2026, 3, 1),
            client__first_name="Gesloten",
        )
        client = as_user(caseworker)
        assert closed.client.pseudonym not in client.get(reverse("cases:list")).text
        text = client.get(reverse("cases:list"), {"status": "closed"}).text
        assert closed.client.pseudonym in text and case.client.pseudonym not in text
        text = client.get(reverse("cases:list"), {"status": "all"}).text
        assert closed.client.pseudonym in text and case.client.pseudonym in text

    def test_network_filter_offers_only_networks_with_visible_cases(
        self, as_user, caseworker, case, other_network
    ):
        text = as_user(caseworker).get(reverse("cases:list")).text
        assert f'<option value="{case.network_id}">' in text
        assert f'value="{other_network.pk}"' not in text

    def test_search_by_pseudonym_and_by_name_for_the_team(
        self, as_user, caseworker, network, case, case_organisation
    ):
        other = CaseFactory(network=network, lead_organisation=case_organisation, client__first_name="Noor")
        client = as_user(caseworker)
        text = client.get(reverse("cases:list"), {"q": case.client.pseudonym[3:7].lower()}).text
        assert case.client.pseudonym in text
        text = client.get(reverse("cases:list"), {"q": "noor"}, headers=HTMX).text
        assert other.client.pseudonym in text and case.client.pseudonym not in text
        assert "<html" not in text  # the results partial only

    def test_cell_cannot_find_a_case_by_name(self, as_user, manager, case, conference):
        client = as_user(manager)
        assert case.client.pseudonym not in client.get(reverse("cases:list"), {"q": "Vermeersch"}).text
        assert case.client.pseudonym in client.get(reverse("cases:list"), {"q": case.client.pseudonym}).text

    def test_new_case_button_only_for_who_can_open_cases(self, as_user, caseworker, manager, case):
        assert "Nieuw dossier" in as_user(caseworker).get(reverse("cases:list")).text
        assert "Nieuw dossier" not in as_user(manager).get(reverse("cases:list")).text

    def test_empty_state_explains_need_to_know(self, as_user, member):
        response = as_user(member).get(reverse("cases:list"))
        assert response.status_code == 200
        assert "alleen als je het moet kennen" in response.text

    def test_open_conference_shows(self, as_user, caseworker, case, conference):
        assert '<span class="badge">lopend</span>' in as_user(caseworker).get(reverse("cases:list")).text

    @pytest.mark.parametrize("size", [1, 20])
    def test_queries_do_not_grow(
        self, as_user, caseworker, network, case_organisation, size, django_assert_num_queries
    ):
        for _ in range(size):
            case = CaseFactory(network=network, lead_organisation=case_organisation)
            ClientConferenceFactory(case=case)
        client = as_user(caseworker)
        # session, user, the network choices of the filter, count, one page of cases (client,
        # network, lead organisation and the open-conference flag in the row), the read logged,
        # "may open cases?", session save (savepoint, update, release)
        with django_assert_num_queries(10):
            response = client.get(reverse("cases:list"))
        assert response.text.count('<th scope="row">') == size


# --- create ------------------------------------------------------------------------------------------


def create_data(network, organisation, **overrides):
    data = {
        "network": network.pk,
        "lead_organisation": organisation.pk,
        "first_name": "Emma",
        "last_name": "Peeters",
        "birth_date": "2012-05-14",
        "birth_year": "",
        "gender": "f",
        "postcode": "9100",
        "summary": "Emma wil niet meer naar school.",
        "opened_on": timezone.localdate().isoformat(),
    }
    return {**data, **overrides}


class TestCreate:
    def test_form_preselects_the_only_network_and_organisation(
        self, as_user, caseworker, network, case_organisation
    ):
        text = as_user(caseworker).get(reverse("cases:create")).text
        assert f'<option value="{network.pk}" selected>' in text
        assert f'<option value="{case_organisation.pk}" selected>' in text

    def test_opens_a_case_with_its_client_team_and_timeline(
        self, as_user, caseworker, network, case_organisation
    ):
        response = as_user(caseworker).post(reverse("cases:create"), create_data(network, case_organisation))
        case = Case.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("cases:detail", args=[case.pk])
        assert (case.client.first_name, case.client.birth_year, case.summary) == (
            "Emma",
            2012,
            "Emma wil niet meer naar school.",
        )
        lead = case.team.get()
        assert (lead.user, lead.organisation, lead.role) == (caseworker.user, case_organisation, "lead")
        assert case.timeline.get().kind == TimelineEvent.Kind.OPENED
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"client.created", "case.opened"} <= actions
        # the caseworker now sees it
        assert as_user(caseworker).get(response.url).status_code == 200

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"postcode": "0999"}, "postcode", "Onbekende postcode"),
            ({"postcode": "12345"}, "postcode", "Onbekende postcode"),
            ({"postcode": "abcd"}, "postcode", "Onbekende postcode"),
            ({"birth_date": "2099-01-01"}, "birth_date", "De geboortedatum ligt in de toekomst."),
            ({"birth_year": "2010"}, "birth_year", "Het geboortejaar past niet bij de geboortedatum."),
            ({"birth_date": "", "birth_year": "2999"}, "birth_year", "Het geboortejaar ligt in de toekomst."),
            ({"opened_on": "2099-01-01"}, "opened_on", "niet vooraf"),
            ({"opened_on": "2011-01-01"}, "opened_on", "vóór de geboortedatum"),
            ({"birth_date": "2026-02-30"}, "birth_date", "geldige datum"),
            ({"lead_organisation": ""}, "lead_organisation", "Kies de trekkende organisatie."),
        ],
    )
    def test_bad_input_is_422_keeps_what_was_typed_and_saves_nothing(
        self, as_user, caseworker, network, case_organisation, overrides, field, message
    ):
        response = as_user(caseworker).post(
            reverse("cases:create"), create_data(network, case_organisation, **overrides), headers=HTMX
        )
        assert response.status_code == 422
        assert message in response.text
        assert f'id="id_{field}_error"' in response.text
        assert 'value="Peeters"' in response.text  # nothing lost
        assert not Case.objects.exists() and not Client.objects.exists()

    def test_organisation_from_another_network_is_refused(
        self, as_user, caseworker, network, other_network, case_organisation
    ):
        elsewhere = NetworkMembershipFactory(network=other_network).organisation
        MembershipFactory(
            user=caseworker.user,
            network=other_network,
            role=Membership.Role.CASEWORKER,
            organisation=elsewhere,
        )
        response = as_user(caseworker).post(reverse("cases:create"), create_data(network, elsewhere))
        assert response.status_code == 422
        assert "Voor deze organisatie werk je niet in dit netwerk." in response.text
        assert not Case.objects.exists()

    def test_changing_the_network_reloads_the_form_without_saving(
        self, as_user, caseworker, network, case_organisation
    ):
        data = create_data(network, case_organisation, refresh="1", postcode="xx")
        response = as_user(caseworker).post(reverse("cases:create"), data, headers=HTMX)
        assert response.status_code == 200
        assert "Onbekende postcode" not in response.text
        assert 'value="Emma"' in response.text
        assert not Case.objects.exists()

    @pytest.mark.parametrize(
        "persona", ["member", "manager", "conference_chair", "regional_staff", "outsider", "superuser"]
    )
    def test_who_cannot_open_cases_gets_403(self, request, as_user, persona, network, case_organisation):
        client = as_user(request.getfixturevalue(persona))
        assert client.get(reverse("cases:create")).status_code == 403
        assert (
            client.post(reverse("cases:create"), create_data(network, case_organisation)).status_code == 403
        )
        assert not Case.objects.exists()


# --- edit and close ----------------------------------------------------------------------------------


class TestEditAndClose:
    def test_edit_saves_and_logs_field_names_only(self, as_user, caseworker, case):
        data = {
            "first_name": "Lotta",
            "last_name": "Vermeersch",
            "birth_date": "2011-04-09",
            "birth_year": "2011",
            "gender": "f",
            "postcode": "9100",
            "summary": "Nieuwe context.",
            "opened_on": "2026-01-05",
        }
        response = as_user(caseworker).post(reverse("cases:edit", args=[case.pk]), data)
        assert response.status_code == 302
        case.refresh_from_db()
        case.client.refresh_from_db()
        assert (case.client.first_name, case.summary) == ("Lotta", "Nieuwe context.")
        event = AuditEvent.objects.get(action="case.updated")
        assert event.changed_fields == ["first_name", "summary"]
        assert "Lotta" not in str(AuditEvent.objects.values_list("changed_fields", flat=True))
        assert case.timeline.filter(kind=TimelineEvent.Kind.UPDATED).count() == 1

    def test_edit_with_bad_postcode_is_422(self, as_user, caseworker, case):
        response = as_user(caseworker).post(
            reverse("cases:edit", args=[case.pk]),
            {"first_name": "Lotta", "postcode": "999", "gender": "f", "opened_on": "2026-01-05"},
        )
        assert response.status_code == 422
        assert "Onbekende postcode" in response.text
        case.client.refresh_from_db()
        assert case.client.first_name == "Lotte"

    def test_the_team_keeps_reading_its_closed_case(self, as_user, caseworker, case):
        # Closed with a date in the past: the file stays with its team until retention.
        day = timezone.localdate() - datetime.timedelta(days=20)
        client = as_user(caseworker)
        response = client.post(reverse("cases:close", args=[case.pk]), {"close-closed_on": day.isoformat()})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.closed_on == day
        assert case.timeline.filter(kind=TimelineEvent.Kind.CLOSED).exists()
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    @pytest.mark.parametrize("day", ["2025-12-31", "2099-01-01", "nonsense"])
    def test_close_with_a_bad_date_is_422(self, as_user, caseworker, case, day):
        response = as_user(caseworker).post(
            reverse("cases:close", args=[case.pk]), {"close-closed_on": day}, headers=HTMX
        )
        assert response.status_code == 422
        assert 'id="id_close-closed_on_error"' in response.text
        case.refresh_from_db()
        assert case.closed_on is None


# --- detail, team ------------------------------------------------------------------------------------------


class TestDetail:
    def test_every_get_logs_a_view(self, as_user, caseworker, case):
        client = as_user(caseworker)
        client.get(reverse("cases:detail", args=[case.pk]))
        client.get(reverse("cases:detail", args=[case.pk]))
        views = AuditEvent.objects.filter(
            action="case.viewed", object_type="cases.case", object_id=str(case.pk)
        )
        assert views.count() == 2
        assert set(views.values_list("actor", flat=True)) == {caseworker.user.pk}

    def test_shows_ended_team_rows_and_the_timeline(self, as_user, caseworker, case, partner_organisation):
        CaseTeamMemberFactory(
            case=case,
            organisation=partner_organisation,
            since=datetime.date(2026, 1, 6),
            until=datetime.date(2026, 2, 1),
        )
        TimelineEventFactory(case=case, kind=TimelineEvent.Kind.TEAM_ENDED, detail="CGG uit het team")
        text = as_user(caseworker).get(reverse("cases:detail", args=[case.pk])).text
        assert "CGG Waas en Dender" in text and "beëindigd" in text
        assert "CGG uit het team" in text

    def test_end_team_member(self, as_user, caseworker, case, partner_organisation):
        row = CaseTeamMemberFactory(
            case=case, organisation=partner_organisation, since=datetime.date(2026, 1, 6)
        )
        today = timezone.localdate()
        response = as_user(caseworker).post(
            reverse("cases:team-end", args=[case.pk, row.pk]), {"until": today.isoformat()}
        )
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.until == today
        assert case.timeline.filter(kind=TimelineEvent.Kind.TEAM_ENDED).exists()
        assert AuditEvent.objects.filter(action="case_team.ended", object_id=str(row.pk)).exists()

    def test_end_before_start_is_422(self, as_user, caseworker, case, partner_organisation):
        row = CaseTeamMemberFactory(
            case=case, organisation=partner_organisation, since=datetime.date(2026, 1, 6)
        )
        response = as_user(caseworker).post(
            reverse("cases:team-end", args=[case.pk, row.pk]), {"until": "2026-01-01"}, headers=HTMX
        )
        assert response.status_code == 422
        assert "De einddatum ligt vóór de begindatum." in response.text
        row.refresh_from_db()
        assert row.until is None

    def test_person_must_work_for_the_organisation(
        self, as_user, caseworker, other_caseworker, case, case_organisation
    ):
        response = as_user(caseworker).post(
            reverse("cases:team-add", args=[case.pk]),
            {
                "team-organisation": case_organisation.pk,
                "team-user": other_caseworker.user.pk,
                "team-role": "caseworker",
                "team-since": timezone.localdate().isoformat(),
            },
            headers=HTMX,
        )
        assert response.status_code == 422
        assert "werkt in dit netwerk niet voor CLB Waasland" in response.text
        assert case.team.count() == 2

    @pytest.mark.parametrize("size", [1, 20])
    def test_queries_do_not_grow(
        self, as_user, caseworker, network, case, partner_organisation, size, django_assert_num_queries
    ):
        for index in range(size):
            CaseTeamMemberFactory(case=case, organisation=partner_organisation, user=UserFactory())
            ConsentFactory(case=case, organisations=[partner_organisation], withdrawn=index % 2 == 0)
            TimelineEventFactory(case=case, actor=caseworker.user)
        client = as_user(caseworker)
        # session, user, the case, the view logged, team (organisation, user), consents + their
        # organisations, what was shared under withdrawn consents, conferences, referrals,
        # planmaker trajectories, support persons, last 20 timeline events (actor), the choices of
        # the team form (organisations, people) and of the consent form (organisations), session
        # save (savepoint, update, release) = 19
        with django_assert_num_queries(19):
            response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200
        assert response.text.count("Intrekking registreren") == size // 2


# --- timeline and viewers -----------------------------------------------------------------------------------


class TestTimeline:
    def test_only_the_team_reads_the_timeline_detail(self, as_user, manager, caseworker, case, conference):
        TimelineEventFactory(case=case, kind=TimelineEvent.Kind.UPDATED, detail="Details over het gezin")
        assert as_user(manager).get(reverse("cases:timeline", args=[case.pk])).status_code == 404
        assert (
            "Details over het gezin"
            in as_user(caseworker).get(reverse("cases:timeline", args=[case.pk])).text
        )

    def test_paginated(self, as_user, caseworker, case):
        TimelineEventFactory.create_batch(55, case=case)
        client = as_user(caseworker)
        assert client.get(reverse("cases:timeline", args=[case.pk])).text.count('<td class="nowrap">') == 50
        text = client.get(reverse("cases:timeline", args=[case.pk]), {"page": 2}, headers=HTMX).text
        assert text.count('<td class="nowrap">') == 5

    @pytest.mark.parametrize("size", [1, 20])
    def test_queries_do_not_grow(self, as_user, caseworker, case, size, django_assert_num_queries):
        TimelineEventFactory.create_batch(size, case=case, actor=caseworker.user)
        client = as_user(caseworker)
        # session, user, the case (through the team), count, one page of events (actor), the read
        # logged, session save (savepoint, update, release)
        with django_assert_num_queries(9):
            response = client.get(reverse("cases:timeline", args=[case.pk]))
        assert response.text.count('<td class="nowrap">') == size


class TestViewers:
    def test_team_sees_who_viewed_the_case(
        self, as_user, client, caseworker, conference_chair, case, conference
    ):
        # The chair reads the conference (not the case page): it is a read of this client's file.
        as_user(conference_chair).get(reverse("cases:conference-detail", args=[conference.pk]))
        client.logout()
        team = as_user(caseworker)
        text = team.get(reverse("cases:viewers", args=[case.pk])).text
        assert "Chris Voorzitter" in text and "cliëntoverleg" in text
        assert timezone.localtime().strftime("%d/%m/%Y") in text

    def test_views_of_other_cases_are_not_listed(self, as_user, caseworker, network, case, case_organisation):
        other = CaseFactory(network=network, lead_organisation=case_organisation)
        viewer = UserFactory(first_name="Vera", last_name="Elders")
        AuditEvent.objects.create(
            actor=viewer,
            actor_label="vera",
            action="case.viewed",
            object_type="cases.case",
            object_id=str(other.pk),
        )
        assert "Vera Elders" not in as_user(caseworker).get(reverse("cases:viewers", args=[case.pk])).text


# --- fuzzing: never a 500, a refusal saves nothing ------------------------------------------------------


def fuzzed_views(case, consent, partner_organisation, case_organisation):
    """url name → (url, field strategies, a valid submission)."""
    from hypothesis import strategies as st

    from tests.test_fuzz_forms import choice_field, date_field, field, pk_field, text, upload_field

    today = timezone.localdate().isoformat()
    member = case.team.first()
    return {
        "cases:create": (
            reverse("cases:create"),
            {
                "network": pk_field(case.network),
                "lead_organisation": pk_field(case_organisation, partner_organisation),
                "first_name": text("Emma"),
                "last_name": text("Peeters"),
                "birth_date": date_field(datetime.date(2012, 5, 14)),
                "birth_year": field(st.sampled_from(["2012", "", "1900"])),
                "gender": choice_field(Client, "gender"),
                "postcode": field(st.sampled_from(["9100", "1000", "0999", "99999"])),
                "summary": text("Hulpvraag"),
                "opened_on": date_field(),
                "refresh": field(st.sampled_from(["", "1"])),
            },
            create_data(case.network, case_organisation),
        ),
        "cases:edit": (
            reverse("cases:edit", args=[case.pk]),
            {
                "first_name": text("Lotta"),
                "birth_date": date_field(datetime.date(2011, 4, 9)),
                "birth_year": field(st.sampled_from(["2011", ""])),
                "postcode": field(st.sampled_from(["9100", "12"])),
                "opened_on": date_field(datetime.date(2026, 1, 5)),
            },
            {"first_name": "Lotta", "gender": "f", "postcode": "9100", "opened_on": "2026-01-05"},
        ),
        "cases:team-add": (
            reverse("cases:team-add", args=[case.pk]),
            {
                "team-organisation": pk_field(partner_organisation, case_organisation),
                "team-user": pk_field(member.user) if member.user else text(""),
                "team-role": choice_field(CaseTeamMember, "role"),
                "team-since": date_field(),
            },
            {"team-organisation": partner_organisation.pk, "team-role": "caseworker", "team-since": today},
        ),
        "cases:team-end": (
            reverse("cases:team-end", args=[case.pk, member.pk]),
            {"until": date_field()},
            {"until": today},
        ),
        "cases:consent-add": (
            reverse("cases:consent-add", args=[case.pk]),
            {
                "consent-basis": field(st.sampled_from(["consent", "legal_ground"])),
                "consent-given_by": field(st.sampled_from(["parent", "young_person", ""])),
                "consent-covers_case_team": field(st.sampled_from(["on", ""])),
                "consent-organisations": pk_field(partner_organisation, case_organisation),
                "consent-data_fields": field(st.sampled_from(["name", "postcode", "x"])),
                "consent-given_on": date_field(),
                "consent-valid_until": date_field(),
                "consent-evidence": upload_field(),
                "consent-evidence_note": text("Mondeling"),
            },
            {
                "consent-basis": "consent",
                "consent-given_by": "parent",
                "consent-covers_case_team": "on",
                "consent-organisations": [partner_organisation.pk],
                "consent-given_on": today,
                "consent-evidence_note": "Mondeling",
            },
        ),
        "cases:consent-withdraw": (
            reverse("cases:consent-withdraw", args=[case.pk, consent.pk]),
            {
                f"withdraw-{consent.pk}-withdrawn_on": date_field(),
                f"withdraw-{consent.pk}-note": text("Per mail"),
            },
            {f"withdraw-{consent.pk}-withdrawn_on": today},
        ),
        "cases:close": (
            reverse("cases:close", args=[case.pk]),
            {"close-closed_on": date_field()},
            {"close-closed_on": today},
        ),
    }


FUZZED = [
    "cases:create",
    "cases:edit",
    "cases:team-add",
    "cases:team-end",
    "cases:consent-add",
    "cases:consent-withdraw",
    "cases:close",
]
# For the completeness check in tests/test_post_views_fuzzed.py.
FUZZED_URL_NAMES = set(FUZZED)


@pytest.mark.parametrize("view_name", FUZZED)
def test_fuzzed_posts_never_500_and_refusals_save_nothing(
    client, caseworker, case, consent, partner_organisation, case_organisation, view_name
):
    from hypothesis import given

    from tests.test_fuzz_forms import FUZZ_SETTINGS, post, submissions

    client.force_login(caseworker.user)
    url, fields, valid = fuzzed_views(case, consent, partner_organisation, case_organisation)[view_name]

    @FUZZ_SETTINGS
    @given(submission=submissions(fields, valid))
    def run(submission):
        body, content_type, headers, _sent = submission
        response, changed, page = post(client, url, body, content_type, headers)
        assert response.status_code < 500, response.status_code
        if 400 <= response.status_code < 500:
            assert changed == [], changed
        if page is not None:
            assert page.status_code == 200

    run()


@pytest.mark.parametrize("view_name", FUZZED)
def test_valid_fuzz_baseline_is_accepted(
    client, caseworker, case, consent, partner_organisation, case_organisation, view_name
):
    client.force_login(caseworker.user)
    url, _fields, valid = fuzzed_views(case, consent, partner_organisation, case_organisation)[view_name]
    response = client.post(url, valid)
    assert response.status_code == 302, (view_name, response.content[:2000])


@pytest.mark.parametrize(
    "query",
    [
        {"status": "weird", "network": "abc", "page": "-1"},
        {"q": "\x00" * 3, "page": "999"},
        {"network": "99999999999999999999"},
        {"q": "x" * 500},
    ],
)
def test_odd_list_and_create_parameters_are_not_a_500(as_user, caseworker, case, query):
    client = as_user(caseworker)
    assert client.get(reverse("cases:list"), query).status_code == 200
    assert client.get(reverse("cases:create"), query).status_code == 200
    assert client.get(reverse("cases:timeline", args=[case.pk]), query).status_code == 200
