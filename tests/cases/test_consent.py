"""Consent on the case page: no team addition without covering consent, withdrawal blocks the next
share, bad consent input is refused with a Dutch message and nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseTeamMember, Consent, TimelineEvent
from ijh.models import AuditEvent
from tests.factories import CaseFactory, ConsentFactory, MembershipFactory
from tests.files import clean_pdf

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PDF = clean_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


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


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def add_partner(client, case, organisation, **overrides):
    data = {
        "team-organisation": organisation.pk,
        "team-user": "",
        "team-role": CaseTeamMember.Role.CASEWORKER,
        "team-since": timezone.localdate().isoformat(),
        **overrides,
    }
    return client.post(reverse("cases:team-add", args=[case.pk]), data, headers=HTMX)


def consent_data(case_organisation, partner_organisation, **overrides):
    data = {
        "consent-basis": Consent.Basis.CONSENT,
        "consent-given_by": Consent.GivenBy.PARENT,
        "consent-giver_name": "Moeder",
        "consent-covers_case_team": "on",
        "consent-organisations": [case_organisation.pk, partner_organisation.pk],
        "consent-data_fields": ["name", "postcode"],
        "consent-given_on": "2026-02-01",
        "consent-valid_until": "",
        "consent-evidence_note": "Mondeling, in het onthaalgesprek.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_consent(client, case, data):
    return client.post(reverse("cases:consent-add", args=[case.pk]), data, headers=HTMX)


# --- team additions --------------------------------------------------------------------------------


class TestTeamAddition:
    def test_without_consent_the_form_says_why_and_nothing_is_saved(
        self, as_user, caseworker, case, partner_organisation
    ):
        before_events = AuditEvent.objects.count()
        response = add_partner(as_user(caseworker), case, partner_organisation)
        assert response.status_code == 422
        assert "Er is geen geldige toestemming of wettelijke grond" in response.text
        assert "CGG Waas en Dender" in response.text
        assert not case.team.filter(organisation=partner_organisation).exists()
        assert not case.timeline.filter(kind=TimelineEvent.Kind.TEAM_ADDED).exists()
        # only the partial was rendered: no page view was logged, nothing else either
        assert AuditEvent.objects.count() == before_events

    def test_with_consent_the_organisation_joins_with_timeline_and_audit(
        self, as_user, caseworker, case, consent, partner_organisation
    ):
        response = add_partner(as_user(caseworker), case, partner_organisation)
        assert response.status_code == 200  # htmx: a client-side redirect to the case page
        assert response["HX-Redirect"] == reverse("cases:detail", args=[case.pk]) + "#team"
        member = case.team.get(organisation=partner_organisation)
        assert member.consent == consent
        assert member.added_by == caseworker.user
        assert case.timeline.filter(kind=TimelineEvent.Kind.TEAM_ADDED, object_id=str(member.pk)).exists()
        assert AuditEvent.objects.filter(
            action="case_team.added", object_type="cases.caseteammember", object_id=str(member.pk)
        ).exists()

    def test_consent_for_another_organisation_does_not_cover(
        self, as_user, caseworker, case, case_organisation, partner_organisation
    ):
        ConsentFactory(case=case, organisations=[case_organisation])
        assert add_partner(as_user(caseworker), case, partner_organisation).status_code == 422
        assert not case.team.filter(organisation=partner_organisation).exists()

    def test_consent_without_the_case_team_purpose_does_not_cover(
        self, as_user, caseworker, case, partner_organisation
    ):
        ConsentFactory(case=case, organisations=[partner_organisation], covers_case_team=False)
        assert add_partner(as_user(caseworker), case, partner_organisation).status_code == 422

    def test_legal_ground_naming_no_organisation_covers_all(
        self, as_user, caseworker, case, partner_organisation
    ):
        ConsentFactory(case=case, by_legal_ground=True)
        response = add_partner(as_user(caseworker), case, partner_organisation)
        assert response.status_code == 200
        assert case.team.filter(organisation=partner_organisation).exists()

    def test_withdrawal_blocks_the_next_addition(
        self, as_user, caseworker, case, consent, partner_organisation, network
    ):
        client = as_user(caseworker)
        today = timezone.localdate()
        response = client.post(
            reverse("cases:consent-withdraw", args=[case.pk, consent.pk]),
            {
                f"withdraw-{consent.pk}-withdrawn_on": today.isoformat(),
                f"withdraw-{consent.pk}-note": "Per mail",
            },
        )
        assert response.status_code == 302
        consent.refresh_from_db()
        assert (consent.withdrawn_on, consent.withdrawal_note) == (today, "Per mail")
        assert case.timeline.filter(kind=TimelineEvent.Kind.CONSENT_WITHDRAWN).exists()
        assert AuditEvent.objects.filter(action="consent.withdrawn", object_id=str(consent.pk)).exists()

        response = add_partner(client, case, partner_organisation)
        assert response.status_code == 422
        assert "ingetrokken" in response.text
        assert not case.team.filter(organisation=partner_organisation).exists()

        # and the case page shows it, to everyone who sees the case
        text = client.get(reverse("cases:detail", args=[case.pk])).text
        assert 'id="consent-withdrawn-banner"' in text
        assert f"ingetrokken op {today:%d/%m/%Y}" in text

    def test_adding_to_a_closed_case_is_refused(
        self, as_user, caseworker, case, consent, partner_organisation
    ):
        case.closed_on = datetime.date(2026, 3, 1)
        case.save()
        response = add_partner(as_user(caseworker), case, partner_organisation)
        assert response.status_code == 422
        assert "afgesloten" in response.text
        assert not case.team.filter(organisation=partner_organisation).exists()


# --- recording consent ---------------------------------------------------------------------------------


class TestRecordConsent:
    def test_records_with_organisations_data_fields_timeline_and_audit(
        self, as_user, caseworker, case, case_organisation, partner_organisation
    ):
        response = post_consent(
            as_user(caseworker), case, consent_data(case_organisation, partner_organisation)
        )
        assert response.status_code == 200
        consent = case.consents.get()
        assert set(consent.organisations.all()) == {case_organisation, partner_organisation}
        assert consent.data_fields == ["name", "postcode"]
        assert consent.covers_case_team and not consent.covers_referrals
        assert consent.recorded_by == caseworker.user
        assert case.timeline.filter(kind=TimelineEvent.Kind.CONSENT_RECORDED).exists()
        assert AuditEvent.objects.filter(action="consent.recorded", object_id=str(consent.pk)).exists()

    def test_evidence_upload_is_stored_privately_and_downloaded_with_an_audit_event(
        self, as_user, caseworker, case, case_organisation, partner_organisation, private_storage
    ):
        client = as_user(caseworker)
        upload = SimpleUploadedFile("Handtekening Lotte Vermeersch.pdf", PDF, content_type="application/pdf")
        data = consent_data(case_organisation, partner_organisation, **{"consent-evidence": upload})
        assert post_consent(client, case, data).status_code == 200
        consent = case.consents.get()
        assert consent.evidence.name.startswith("consents/")
        assert "Lotte" not in consent.evidence.name  # the stored name does not identify anyone
        response = client.get(reverse("cases:consent-evidence", args=[case.pk, consent.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert case.client.pseudonym in response["Content-Disposition"]
        assert (
            AuditEvent.objects.filter(
                action="consent.evidence_downloaded", object_type="cases.consent", object_id=str(consent.pk)
            ).count()
            == 1
        )

    def test_png_evidence_is_accepted(
        self, as_user, caseworker, case, case_organisation, partner_organisation
    ):
        upload = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
        data = consent_data(
            case_organisation,
            partner_organisation,
            **{"consent-evidence": upload, "consent-evidence_note": ""},
        )
        assert post_consent(as_user(caseworker), case, data).status_code == 200
        assert case.consents.get().evidence

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("formulier.docx", b"PK\x03\x04rest"), "Dit bestandstype is niet toegelaten"),
            (SimpleUploadedFile("formulier.exe", b"MZ\x90\x00"), "Dit bestandstype is niet toegelaten"),
            (SimpleUploadedFile("formulier.pdf", b"not a pdf at all"), "De inhoud van het bestand past niet"),
            (SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "groter dan 10 MB"),
        ],
        ids=["docx", "exe", "fake-pdf", "too-big"],
    )
    def test_bad_evidence_is_422_and_nothing_is_stored(
        self,
        as_user,
        caseworker,
        case,
        case_organisation,
        partner_organisation,
        private_storage,
        upload,
        message,
    ):
        data = consent_data(case_organisation, partner_organisation, **{"consent-evidence": upload})
        response = post_consent(as_user(caseworker), case, data)
        assert response.status_code == 422
        assert message in response.text
        assert 'value="Moeder"' in response.text  # what was typed stays
        assert not case.consents.exists()
        assert stored_files(private_storage) == []

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"consent-valid_until": "2026-01-15"}, "De einddatum ligt vóór de datum van de toestemming."),
            ({"consent-given_on": "2099-01-01"}, "Een toestemming kan niet in de toekomst gegeven zijn."),
            ({"consent-given_on": ""}, "Geef de datum van de toestemming."),
            ({"consent-given_on": "2026-02-30"}, "geldige datum"),
            ({"consent-given_by": ""}, "Kies wie de toestemming gaf."),
            ({"consent-evidence_note": ""}, "Voeg het ondertekende formulier toe"),
            ({"consent-covers_case_team": None}, "Kies waarvoor de toestemming geldt."),
            ({"consent-basis": "legal_ground"}, "Omschrijf de wettelijke grond."),
            ({"consent-data_fields": ["name", "shoe_size"]}, "Onbekend gegeven"),
        ],
    )
    def test_bad_consent_is_422_and_nothing_is_saved(
        self, as_user, caseworker, case, case_organisation, partner_organisation, overrides, message
    ):
        data = consent_data(case_organisation, partner_organisation, **overrides)
        response = post_consent(as_user(caseworker), case, data)
        assert response.status_code == 422
        assert message in response.text
        assert not case.consents.exists()
        assert not case.timeline.exists()

    def test_organisation_outside_the_network_is_refused(
        self, as_user, caseworker, case, case_organisation, other_network
    ):
        from tests.factories import NetworkMembershipFactory

        foreign = NetworkMembershipFactory(network=other_network).organisation
        response = post_consent(as_user(caseworker), case, consent_data(case_organisation, foreign))
        assert response.status_code == 422
        assert not case.consents.exists()

    def test_young_person_under_12_cannot_consent(
        self, as_user, caseworker, network, case_organisation, partner_organisation
    ):
        young = CaseFactory(
            network=network,
            lead_organisation=case_organisation,
            team=[caseworker.user],
            client__birth_date=datetime.date(2016, 3, 1),
            client__birth_year=2016,
        )
        data = consent_data(
            case_organisation, partner_organisation, **{"consent-given_by": Consent.GivenBy.YOUNG_PERSON}
        )
        response = post_consent(as_user(caseworker), young, data)
        assert response.status_code == 422
        assert "onder 12 jaar geeft een ouder of voogd toestemming" in response.text
        assert not young.consents.exists()

    def test_young_person_of_12_can(self, as_user, caseworker, case, case_organisation, partner_organisation):
        # the case's client was born on 9 April 2011: 14 on 1 February 2026
        data = consent_data(
            case_organisation, partner_organisation, **{"consent-given_by": Consent.GivenBy.YOUNG_PERSON}
        )
        assert post_consent(as_user(caseworker), case, data).status_code == 200
        assert case.consents.get().given_by == Consent.GivenBy.YOUNG_PERSON


# --- withdrawing -----------------------------------------------------------------------------------------


class TestWithdraw:
    def withdraw(self, client, case, consent, day, headers=None):
        return client.post(
            reverse("cases:consent-withdraw", args=[case.pk, consent.pk]),
            {f"withdraw-{consent.pk}-withdrawn_on": day},
            headers=headers or HTMX,
        )

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            ("2026-01-01", "De intrekking ligt vóór de datum van de toestemming."),
            ("2099-01-01", "niet vooraf"),
            ("nope", "geldige datum"),
        ],
    )
    def test_bad_withdrawal_date_is_422(self, as_user, caseworker, case, consent, day, message):
        response = self.withdraw(as_user(caseworker), case, consent, day)
        assert response.status_code == 422
        assert message in response.text
        consent.refresh_from_db()
        assert consent.withdrawn_on is None

    def test_withdrawing_twice_is_refused(self, as_user, caseworker, case):
        consent = ConsentFactory(case=case, withdrawn=True)
        response = self.withdraw(as_user(caseworker), case, consent, timezone.localdate().isoformat())
        assert response.status_code == 422
        assert "al ingetrokken" in response.text
        consent.refresh_from_db()
        assert consent.withdrawn_on == datetime.date(2026, 2, 1)

    def test_withdrawn_consent_no_longer_offers_withdrawal(self, as_user, caseworker, case):
        ConsentFactory(case=case, withdrawn=True)
        text = as_user(caseworker).get(reverse("cases:detail", args=[case.pk])).text
        assert "Intrekking registreren" not in text
        assert "ingetrokken op 01/02/2026" in text

    def test_the_chair_sees_the_banner_but_the_cell_not_the_case(
        self, as_user, manager, conference_chair, case, conference
    ):
        conference.consent.withdrawn_on = datetime.date(2026, 2, 1)
        conference.consent.save()
        # The chair reads it on the conference (the case page is the team's).
        text = as_user(conference_chair).get(reverse("cases:conference-detail", args=[conference.pk])).text
        assert 'id="consent-withdrawn-banner"' in text
        assert as_user(conference_chair).get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert as_user(manager).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_caseworker_of_a_newly_added_organisation_then_sees_the_case(
    as_user, caseworker, other_caseworker, case, consent, partner_organisation
):
    assert as_user(other_caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    add_partner(as_user(caseworker), case, partner_organisation)
    assert as_user(other_caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_person_of_the_partner_can_be_named(
    as_user, caseworker, other_caseworker, case, consent, partner_organisation
):
    response = add_partner(
        as_user(caseworker),
        case,
        partner_organisation,
        **{"team-user": other_caseworker.user.pk, "team-role": "case_manager"},
    )
    assert response.status_code == 200
    member = case.team.get(user=other_caseworker.user)
    assert (member.organisation, member.role) == (partner_organisation, "case_manager")


def test_named_person_must_work_in_the_network(
    as_user, caseworker, case, consent, partner_organisation, other_network
):
    stranger = MembershipFactory(
        network=other_network, role="caseworker", organisation=partner_organisation
    ).user
    response = add_partner(as_user(caseworker), case, partner_organisation, **{"team-user": stranger.pk})
    assert response.status_code == 422
    assert not case.team.filter(user=stranger).exists()
