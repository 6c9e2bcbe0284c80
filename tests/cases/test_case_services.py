"""The case services: every write leaves a timeline line and an audit event, consent guards sharing,
and the audit log gets field names, never values."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case, CaseTeamMember, Client, Consent, TimelineEvent
from cases.services import cases as services
from ijh.models import AuditEvent
from tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def audit_actions(obj=None):
    events = AuditEvent.objects.all()
    if obj is not None:
        events = events.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(events.order_by("id").values_list("action", flat=True))


class TestCaseViewed:
    def test_one_event_per_request_without_field_names(self, case, caseworker, rf):
        from cases.reads import log_read

        request = rf.get("/")
        request.user = caseworker.user
        log_read(request, case, page="case", case_id=case.pk)
        log_read(request, case, page="timeline", case_id=case.pk)  # the same request: not twice
        events = AuditEvent.objects.filter(action="case.viewed")
        assert events.count() == 1
        event = events.first()
        assert (event.object_type, event.object_id, event.network_id, event.case_id, event.detail) == (
            "cases.case",
            str(case.pk),
            case.network_id,
            case.pk,
            "case",
        )
        assert event.changed_fields == []
        assert not case.timeline.exists()  # a read is not something that happened to the case


class TestOpenCase:
    def test_client_case_lead_row_timeline_and_audit(self, network, case_organisation, caseworker):
        client = Client(first_name="Emma", birth_date=datetime.date(2012, 5, 14), postcode="9100")
        case = services.open_case(
            client=client,
            network=network,
            lead_organisation=case_organisation,
            by=caseworker.user,
            summary="x",
        )
        assert client.pk and client.birth_year == 2012 and client.pseudonym.startswith("CL-")
        assert case.team.get().role == CaseTeamMember.Role.LEAD
        assert list(case.timeline.values_list("kind", flat=True)) == [TimelineEvent.Kind.OPENED]
        assert audit_actions(case) == ["case.opened"]
        assert audit_actions(client) == ["client.created"]

    def test_invalid_client_saves_nothing(self, network, case_organisation, caseworker):
        client = Client(birth_date=timezone.localdate() + datetime.timedelta(days=1))
        with pytest.raises(ValidationError):
            services.open_case(
                client=client, network=network, lead_organisation=case_organisation, by=caseworker.user
            )
        assert not Case.objects.exists() and not Client.objects.exists()


class TestUpdateAndClose:
    def test_update_logs_changed_field_names_only(self, case, caseworker):
        case.client.first_name = "Geheim"
        case.summary = "Nog geheimer"
        services.update_case(
            case=case, client=case.client, by=caseworker.user, changed_fields=["first_name", "summary"]
        )
        event = AuditEvent.objects.get(action="case.updated")
        assert event.changed_fields == ["first_name", "summary"]
        assert "Geheim" not in str(list(AuditEvent.objects.values()))
        assert "Geheim" not in str(list(TimelineEvent.objects.values()))

    def test_update_without_changes_logs_nothing(self, case, caseworker):
        services.update_case(case=case, client=case.client, by=caseworker.user, changed_fields=[])
        assert not AuditEvent.objects.exists() and not case.timeline.exists()

    def test_close_ends_active_team_rows(self, case, caseworker):
        services.close_case(case=case, by=caseworker.user, closed_on=timezone.localdate())
        assert set(case.team.values_list("until", flat=True)) == {None}  # the team keeps its closed case
        assert audit_actions(case) == ["case.closed"]

    @pytest.mark.parametrize("days", [-400, 1])
    def test_close_refuses_dates_before_opening_or_in_the_future(self, case, caseworker, days):
        with pytest.raises(ValidationError):
            services.close_case(
                case=case, by=caseworker.user, closed_on=timezone.localdate() + datetime.timedelta(days=days)
            )
        case.refresh_from_db()
        assert case.closed_on is None


class TestTeamAndConsent:
    def test_adding_without_consent_raises_and_saves_nothing(self, case, caseworker, partner_organisation):
        with pytest.raises(ValidationError) as error:
            services.add_team_member(case=case, organisation=partner_organisation, by=caseworker.user)
        assert error.value.code == "no_consent"
        assert not case.team.filter(organisation=partner_organisation).exists()
        assert not AuditEvent.objects.exists()

    def test_lead_organisation_needs_no_consent(self, case, caseworker, case_organisation):
        member = services.add_team_member(case=case, organisation=case_organisation, by=caseworker.user)
        assert member.consent is None

    def test_adding_with_consent_links_the_consent(self, case, consent, caseworker, partner_organisation):
        member = services.add_team_member(case=case, organisation=partner_organisation, by=caseworker.user)
        assert member.consent == consent
        assert audit_actions(member) == ["case_team.added"]

    def test_expired_consent_does_not_cover(self, case, caseworker, partner_organisation):
        ConsentFactory(
            case=case, organisations=[partner_organisation], valid_until=datetime.date(2026, 1, 31)
        )
        with pytest.raises(ValidationError):
            services.add_team_member(case=case, organisation=partner_organisation, by=caseworker.user)

    def test_withdrawn_consent_message_says_withdrawn(self, case, caseworker, partner_organisation):
        ConsentFactory(case=case, organisations=[partner_organisation], withdrawn=True)
        with pytest.raises(ValidationError) as error:
            services.add_team_member(case=case, organisation=partner_organisation, by=caseworker.user)
        assert "ingetrokken" in error.value.messages[0]

    def test_withdraw_records_timeline_and_audit_field_names(self, case, consent, caseworker):
        services.withdraw_consent(
            consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate(), note="x"
        )
        event = AuditEvent.objects.get(action="consent.withdrawn")
        assert event.changed_fields == ["withdrawal_note", "withdrawn_on"]
        assert case.timeline.filter(kind=TimelineEvent.Kind.CONSENT_WITHDRAWN).exists()
        with pytest.raises(ValidationError):
            services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())


class TestConsentState:
    @pytest.mark.parametrize(
        ("overrides", "state"),
        [
            ({}, Consent.State.IN_FORCE),
            ({"valid_until": datetime.date(2026, 1, 31)}, Consent.State.EXPIRED),
            ({"withdrawn_on": datetime.date(2026, 1, 10)}, Consent.State.WITHDRAWN),
            (
                {"valid_until": datetime.date(2026, 1, 31), "withdrawn_on": datetime.date(2026, 1, 10)},
                Consent.State.WITHDRAWN,
            ),
        ],
    )
    def test_state_today(self, case, overrides, state):
        assert ConsentFactory(case=case, **overrides).state_on(datetime.date(2026, 6, 1)) == state

    def test_state_before_given(self, case):
        assert ConsentFactory(case=case).state_on(datetime.date(2026, 1, 1)) == Consent.State.NOT_YET
