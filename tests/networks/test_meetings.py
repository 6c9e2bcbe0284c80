import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent
from networks import services
from networks.models import (
    ActionItem,
    Attachment,
    Attendance,
    Decision,
    Meeting,
    Membership,
    Minutes,
    NetworkMembership,
)
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    MinutesFactory,
    NetworkMembershipFactory,
    UserFactory,
)
from tests.files import clean_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(network):
    return BodyFactory(network=network, name="Netwerkstuurgroep Testland")


@pytest.fixture
def meeting(network, body, member):
    meeting = MeetingFactory(body=body, network=network)
    AttendanceFactory(meeting=meeting, user=member.user)  # the steering member is invited
    return meeting


@pytest.fixture
def follower(network):
    """Represents an organisation that follows the body by minutes: not invited."""
    organisation = NetworkMembershipFactory(
        network=network, kind=NetworkMembership.Kind.FOLLOWS_BY_MINUTES
    ).organisation
    return MembershipFactory(network=network, organisation=organisation).user


def detail(meeting):
    return reverse("networks:meeting-detail", args=[meeting.pk])


class TestScheduleMeeting:
    def url(self, network):
        return reverse("networks:meeting-create", args=[network.pk])

    def test_invites_everyone_who_sits_in_the_body_with_their_mandate(self, as_user, network, body, manager):
        mandated = MembershipFactory(network=network, mandate_status=Membership.MandateStatus.MANDATED)
        mandated.bodies.add(body)
        observer = MembershipFactory(network=network)
        observer.bodies.add(body)
        MembershipFactory(network=network)  # not in this body: not invited
        response = as_user(manager).post(
            self.url(network),
            {
                "body": body.pk,
                "starts_at": "2026-12-10T14:00",
                "location": "Sint-Niklaas",
                "agenda": "Welkom\n\nBegroting",
            },
        )
        assert response.status_code == 302
        meeting = Meeting.objects.get()
        invited = {a.user_id: a.holds_mandate for a in meeting.attendances.all()}
        assert invited == {mandated.user_id: True, observer.user_id: False}
        assert list(meeting.agenda_items.values_list("position", "title")) == [
            (1, "Welkom"),
            (2, "Begroting"),
        ]
        assert AuditEvent.objects.filter(action="meeting.scheduled", object_id=str(meeting.pk)).exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"starts_at": "2026-12-10T14:00"}, "Geef een plaats of een link"),
            ({"starts_at": "morgen", "location": "Gent"}, "Geef een geldige datum en uur."),
            (
                {"starts_at": "2026-12-10T14:00", "online_link": "teams vergadering"},
                "Geef een volledige link",
            ),
        ],
    )
    def test_bad_input(self, as_user, network, body, manager, data, message):
        response = as_user(manager).post(self.url(network), {"body": body.pk, **data})
        assert response.status_code == 422
        assert message in response.text
        assert not Meeting.objects.exists()

    def test_body_of_another_network_is_refused(self, as_user, network, other_network, manager):
        foreign = BodyFactory(network=other_network)
        response = as_user(manager).post(
            self.url(network), {"body": foreign.pk, "starts_at": "2026-12-10T14:00", "location": "Gent"}
        )
        assert response.status_code == 422
        assert not Meeting.objects.exists()

    def test_member_gets_403_outsider_404(self, as_user, network, member, outsider):
        assert as_user(member).get(self.url(network)).status_code == 403
        assert as_user(outsider).get(self.url(network)).status_code == 404


class TestMeetingPage:
    def test_access(self, client, as_user, meeting, member, manager, outsider, former_member, regional_staff):
        assert as_user(member).get(detail(meeting)).status_code == 200
        assert as_user(manager).get(detail(meeting)).status_code == 200
        assert as_user(regional_staff).get(detail(meeting)).status_code == 200
        assert as_user(outsider).get(detail(meeting)).status_code == 404
        assert as_user(former_member).get(detail(meeting)).status_code == 404
        client.logout()
        assert client.get(detail(meeting)).status_code == 302

    @pytest.mark.parametrize("size", [2, 12])
    def test_queries_do_not_grow(self, as_user, meeting, manager, size, django_assert_num_queries):
        for _ in range(size):
            item = AgendaItemFactory(meeting=meeting, owner=UserFactory())
            Decision.objects.create(agenda_item=item, text="Akkoord")
            AttendanceFactory(
                meeting=meeting, organisation=NetworkMembershipFactory(network=meeting.network).organisation
            )
            ActionItemFactory(meeting=meeting, owner=UserFactory())
        MinutesFactory(meeting=meeting)
        client = as_user(manager)
        # session, user, meeting (visible + manage flag + invited), minutes, agenda items with owner,
        # decisions with agreement/goal, their organisations without mandate, attachments, attendances
        # with people and organisations, actions with owners, people for the attendance selects;
        # form choices: agenda owner, decision (agenda item, agreement, goal), action (agenda item,
        # owner, organisation); then the session save (savepoint, update, release)
        with django_assert_num_queries(21):
            response = client.get(detail(meeting))
        assert response.status_code == 200

    def test_member_sees_but_cannot_edit(self, as_user, meeting, member):
        response = as_user(member).get(detail(meeting))
        assert "Besluit noteren" not in response.text
        assert "Actiepunt toevoegen" not in response.text


class TestMinutesLifecycle:
    def test_draft_circulated_approved_then_locked(self, as_user, meeting, manager):
        client = as_user(manager)
        assert (
            client.post(
                reverse("networks:minutes-save", args=[meeting.pk]), {"text": "Eerste versie"}
            ).status_code
            == 302
        )
        minutes = Minutes.objects.get()
        assert minutes.status == Minutes.Status.DRAFT
        client.post(reverse("networks:minutes-transition", args=[minutes.pk, "circulate"]))
        client.post(reverse("networks:minutes-transition", args=[minutes.pk, "approve"]))
        minutes.refresh_from_db()
        assert minutes.status == Minutes.Status.APPROVED
        assert minutes.approved_by == manager.user

        # Locked: saving text through the view is refused and changes nothing.
        response = client.post(
            reverse("networks:minutes-save", args=[meeting.pk]), {"text": "Stiekem gewijzigd"}
        )
        assert response.status_code == 422
        assert "vergrendeld" in response.text
        # No transition moves it back either.
        response = client.post(reverse("networks:minutes-transition", args=[minutes.pk, "circulate"]))
        assert response.status_code == 422
        minutes.refresh_from_db()
        assert (minutes.text, minutes.status) == ("Eerste versie", Minutes.Status.APPROVED)
        actions = list(
            AuditEvent.objects.filter(object_type="networks.minutes").values_list("action", flat=True)
        )
        assert sorted(actions) == ["minutes.approved", "minutes.circulated", "minutes.saved"]

    def test_model_refuses_to_save_or_delete_approved_minutes(self, meeting):
        minutes = MinutesFactory(meeting=meeting, approved=True)
        minutes.text = "anders"
        with pytest.raises(ValidationError):
            minutes.save()
        with pytest.raises(ValidationError):
            minutes.delete()

    def test_admin_cannot_change_approved_minutes(self, admin_client, meeting):
        minutes = MinutesFactory(meeting=meeting, approved=True, text="Origineel")
        url = reverse("admin:networks_minutes_change", args=[minutes.pk])
        response = admin_client.post(url, {"meeting": meeting.pk, "version": 1, "text": "Gewijzigd"})
        assert response.status_code == 403
        assert (
            admin_client.post(
                reverse("admin:networks_minutes_delete", args=[minutes.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        minutes.refresh_from_db()
        assert minutes.text == "Origineel"

    def test_correction_is_a_new_linked_version(self, as_user, meeting, manager):
        approved = MinutesFactory(meeting=meeting, approved=True, text="Met een fout")
        client = as_user(manager)
        assert (
            client.post(reverse("networks:minutes-transition", args=[approved.pk, "correct"])).status_code
            == 302
        )
        correction = Minutes.objects.get(corrects=approved)
        assert (correction.version, correction.status, correction.text) == (
            2,
            Minutes.Status.DRAFT,
            "Met een fout",
        )
        client.post(reverse("networks:minutes-save", args=[meeting.pk]), {"text": "Zonder fout"})
        correction.refresh_from_db()
        approved.refresh_from_db()
        assert correction.text == "Zonder fout"
        assert approved.text == "Met een fout"  # the original stays as it was approved

    def test_follower_by_minutes_sees_approved_minutes_only(self, as_user, meeting, follower, member):
        MinutesFactory(meeting=meeting, version=1, approved=True, text="Goedgekeurde tekst")
        MinutesFactory(meeting=meeting, version=2, text="Ontwerptekst nog geheim")
        follower_page = as_user(type("P", (), {"user": follower})).get(detail(meeting))
        assert "Goedgekeurde tekst" in follower_page.text
        assert "Ontwerptekst nog geheim" not in follower_page.text
        member_page = as_user(member).get(detail(meeting))  # invited: sees the draft too
        assert "Ontwerptekst nog geheim" in member_page.text

    def test_member_cannot_touch_minutes(self, as_user, meeting, member):
        minutes = MinutesFactory(meeting=meeting, circulated=True)
        assert (
            as_user(member)
            .post(reverse("networks:minutes-transition", args=[minutes.pk, "approve"]))
            .status_code
            == 403
        )
        assert (
            as_user(member)
            .post(reverse("networks:minutes-save", args=[meeting.pk]), {"text": "x"})
            .status_code
            == 403
        )


class TestMandateFlag:
    @pytest.fixture
    def two_organisations(self, network):
        return (
            NetworkMembershipFactory(network=network, organisation__name="CAW Test").organisation,
            NetworkMembershipFactory(network=network, organisation__name="CLB Test").organisation,
        )

    def test_decision_without_mandated_member_of_a_participating_organisation_is_flagged(
        self, as_user, meeting, manager, two_organisations
    ):
        caw, clb = two_organisations
        AttendanceFactory(meeting=meeting, organisation=caw, present=True, mandated=True)
        AttendanceFactory(
            meeting=meeting, organisation=clb, present=True, holds_mandate=False
        )  # observer only
        item = AgendaItemFactory(meeting=meeting)
        response = as_user(manager).post(
            reverse("networks:decision-add", args=[meeting.pk]),
            {
                "decision-agenda_item": item.pk,
                "decision-text": "We starten een werkgroep.",
                "decision-method": "consensus",
            },
        )
        assert response.status_code == 302
        decision = Decision.objects.get()
        assert list(decision.organisations_without_mandate.all()) == [clb]
        page = as_user(manager).get(detail(meeting))
        assert "Genomen zonder gemandateerde vertegenwoordiger van:" in page.text
        assert "CLB Test" in page.text

    def test_not_flagged_when_every_participating_organisation_had_a_mandate(
        self, meeting, manager, two_organisations
    ):
        caw, clb = two_organisations
        AttendanceFactory(meeting=meeting, organisation=caw, present=True, mandated=True)
        AttendanceFactory(meeting=meeting, organisation=clb, present=True, mandated=True)
        decision = services.record_decision(
            decision=Decision(agenda_item=AgendaItemFactory(meeting=meeting), text="Ok"), by=manager.user
        )
        assert not decision.organisations_without_mandate.exists()

    def test_absent_mandated_member_does_not_count(self, meeting, manager, two_organisations):
        caw, _clb = two_organisations
        AttendanceFactory(meeting=meeting, organisation=caw, status=Attendance.Status.EXCUSED, mandated=True)
        decision = services.record_decision(
            decision=Decision(agenda_item=AgendaItemFactory(meeting=meeting), text="Ok"), by=manager.user
        )
        assert caw in decision.organisations_without_mandate.all()

    def test_organisations_that_only_follow_by_minutes_are_not_required(self, network, meeting, manager):
        follower_org = NetworkMembershipFactory(
            network=network, kind=NetworkMembership.Kind.FOLLOWS_BY_MINUTES
        ).organisation
        AttendanceFactory(meeting=meeting, organisation=follower_org, status=Attendance.Status.ABSENT)
        decision = services.record_decision(
            decision=Decision(agenda_item=AgendaItemFactory(meeting=meeting), text="Ok"), by=manager.user
        )
        assert not decision.organisations_without_mandate.exists()


class TestAttendance:
    def test_manager_records_attendance_inline(self, as_user, meeting, manager, member):
        attendance = meeting.attendances.get(user=member.user)
        response = as_user(manager).post(
            reverse("networks:attendance-update", args=[attendance.pk]),
            {"status": "present"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert response.text.lstrip().startswith(f'<tr id="attendance-{attendance.pk}"')
        attendance.refresh_from_db()
        assert attendance.status == Attendance.Status.PRESENT

    def test_represented_needs_a_person(self, as_user, meeting, manager, member):
        attendance = meeting.attendances.get(user=member.user)
        response = as_user(manager).post(
            reverse("networks:attendance-update", args=[attendance.pk]),
            {"status": "represented"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "Kies wie deze persoon vertegenwoordigde." in response.text
        # The row now asks by whom: the person list appears only for represented rows.
        assert f'id="att-rep-{attendance.pk}"' in response.text
        attendance.refresh_from_db()
        assert attendance.status == Attendance.Status.INVITED

    def test_person_list_only_on_represented_rows(self, as_user, meeting, manager, member):
        attendance = meeting.attendances.get(user=member.user)
        page = as_user(manager).get(reverse("networks:meeting-detail", args=[meeting.pk]))
        assert f'id="att-rep-{attendance.pk}"' not in page.text
        response = as_user(manager).post(
            reverse("networks:attendance-update", args=[attendance.pk]),
            {"status": "represented", "represented_by": manager.user.pk},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert f'id="att-rep-{attendance.pk}"' in response.text
        attendance.refresh_from_db()
        assert attendance.represented_by == manager.user

    def test_member_403_outsider_404(self, as_user, meeting, member, outsider):
        attendance = meeting.attendances.get(user=member.user)
        url = reverse("networks:attendance-update", args=[attendance.pk])
        assert as_user(member).post(url, {"status": "present"}).status_code == 403
        assert as_user(outsider).post(url, {"status": "present"}).status_code == 404


class TestActions:
    def test_manager_adds_an_action(self, as_user, meeting, manager, member):
        response = as_user(manager).post(
            reverse("networks:action-add", args=[meeting.pk]),
            {
                "action-title": "Draaiboek actualiseren",
                "action-owner": member.user.pk,
                "action-due_on": "2027-01-15",
            },
        )
        assert response.status_code == 302
        action = ActionItem.objects.get()
        assert (action.network_id, action.owner_id) == (meeting.network_id, member.user.pk)
        assert AuditEvent.objects.filter(action="action.created").exists()

    def test_due_date_before_the_meeting_is_refused(self, as_user, meeting, manager, member):
        day_before = (timezone.localdate(meeting.starts_at) - datetime.timedelta(days=1)).isoformat()
        response = as_user(manager).post(
            reverse("networks:action-add", args=[meeting.pk]),
            {"action-title": "Te vroeg", "action-owner": member.user.pk, "action-due_on": day_before},
        )
        assert response.status_code == 422
        assert "De deadline ligt vóór de vergadering." in response.text
        assert not ActionItem.objects.exists()

    def test_owner_changes_status_inline(self, as_user, meeting, member):
        action = ActionItemFactory(meeting=meeting, owner=member.user)
        response = as_user(member).post(
            reverse("networks:action-status", args=[action.pk]),
            {"status": "in_progress"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert f'id="action-{action.pk}"' in response.text
        action.refresh_from_db()
        assert action.status == ActionItem.Status.IN_PROGRESS
        event = AuditEvent.objects.get(action="action.status_changed")
        assert event.changed_fields == ["status"]

    def test_done_records_the_date(self, as_user, meeting, member):
        action = ActionItemFactory(meeting=meeting, owner=member.user)
        as_user(member).post(
            reverse("networks:action-status", args=[action.pk]),
            {"status": "done"},
            headers={"HX-Request": "true"},
        )
        action.refresh_from_db()
        assert action.completed_on == timezone.localdate()

    def test_dropping_needs_a_reason(self, as_user, meeting, member):
        action = ActionItemFactory(meeting=meeting, owner=member.user)
        response = as_user(member).post(
            reverse("networks:action-status", args=[action.pk]),
            {"status": "dropped"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "Geef een reden" in response.text
        action.refresh_from_db()
        assert action.status == ActionItem.Status.OPEN
        as_user(member).post(
            reverse("networks:action-status", args=[action.pk]),
            {"status": "dropped", "dropped_reason": "Overbodig geworden"},
            headers={"HX-Request": "true"},
        )
        action.refresh_from_db()
        assert (action.status, action.dropped_reason) == (ActionItem.Status.DROPPED, "Overbodig geworden")

    def test_unknown_status_is_refused(self, as_user, meeting, member):
        action = ActionItemFactory(meeting=meeting, owner=member.user)
        response = as_user(member).post(
            reverse("networks:action-status", args=[action.pk]), {"status": "weg"}
        )
        assert response.status_code in (302, 422)
        action.refresh_from_db()
        assert action.status == ActionItem.Status.OPEN

    def test_someone_elses_action_403_outsider_404(self, as_user, meeting, member, outsider):
        action = ActionItemFactory(meeting=meeting, owner=UserFactory())
        url = reverse("networks:action-status", args=[action.pk])
        assert as_user(member).post(url, {"status": "done"}).status_code == 403
        assert as_user(outsider).post(url, {"status": "done"}).status_code == 404

    def test_overdue_actions_are_highlighted_in_the_network_list(self, as_user, meeting, member):
        late = ActionItemFactory(meeting=meeting, overdue=True, title="Te laat")
        ActionItemFactory(meeting=meeting, title="Op tijd")
        response = as_user(member).get(reverse("networks:action-list", args=[meeting.network_id]))
        assert f'<tr id="action-{late.pk}" class="overdue">' in response.text

    @pytest.mark.parametrize("size", [2, 20])
    def test_action_list_queries_do_not_grow(self, as_user, meeting, member, size, django_assert_num_queries):
        ActionItemFactory.create_batch(size, meeting=meeting)
        client = as_user(member)
        # session, user, network, count, page of actions with owner/org/meeting/body, session save (3)
        with django_assert_num_queries(8):
            client.get(reverse("networks:action-list", args=[meeting.network_id]))


class TestDashboard:
    def test_shows_my_open_actions_with_overdue_highlight(self, as_user, meeting, member):
        late = ActionItemFactory(meeting=meeting, owner=member.user, overdue=True, title="Verslag nalezen")
        ActionItemFactory(
            meeting=meeting, owner=member.user, title="Afgerond werk", status=ActionItem.Status.DONE
        )
        ActionItemFactory(meeting=meeting, title="Van iemand anders")
        response = as_user(member).get(reverse("home"))
        assert "Verslag nalezen" in response.text
        assert f'<tr id="action-{late.pk}" class="overdue">' in response.text
        assert "Afgerond werk" not in response.text
        assert "Van iemand anders" not in response.text

    @pytest.mark.parametrize("size", [1, 15])
    def test_dashboard_queries_do_not_grow(self, as_user, meeting, member, size, django_assert_num_queries):
        ActionItemFactory.create_batch(size, meeting=meeting, owner=member.user)
        client = as_user(member)
        # session, user, grants to confirm, roles, my actions, expiring agreements, my werkplan
        # agreements, my sessions, my planmaker trajectories, werkplan deadlines, the crisis rota of
        # networks I manage, my crisis roles, session save (3); no learning-network query for a
        # member who coordinates nothing
        with django_assert_num_queries(15):
            client.get(reverse("home"))

    @time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC), tick=False)
    def test_agreement_expiry_reminder_60_days_ahead(self, as_user, network, manager, member):
        AgreementFactory(
            network=network, title="Convenant jeugdhulp", valid_until=datetime.date(2027, 1, 21)
        )  # 60 days
        AgreementFactory(
            network=network, title="Protocol later", valid_until=datetime.date(2027, 1, 22)
        )  # 61 days
        AgreementFactory(network=network, title="Protocol verlopen", valid_until=datetime.date(2026, 11, 21))
        response = as_user(manager).get(reverse("home"))
        assert "Convenant jeugdhulp" in response.text
        assert "21/01/2027" in response.text
        assert "Protocol later" not in response.text
        assert "Protocol verlopen" not in response.text
        # Steering members do not keep agreements: no reminder for them.
        assert "Convenant jeugdhulp" not in as_user(member).get(reverse("home")).text


class TestAttachments:
    def test_upload_and_download(self, as_user, meeting, manager, member, outsider, settings, tmp_path):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path},
            },
        }
        item = AgendaItemFactory(meeting=meeting)
        pdf = SimpleUploadedFile("nota.pdf", clean_pdf(), content_type="application/pdf")
        response = as_user(manager).post(reverse("networks:attachment-add", args=[item.pk]), {"file": pdf})
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert not attachment.file.name.endswith("nota.pdf")  # stored under a random name
        download = as_user(member).get(reverse("networks:attachment-download", args=[attachment.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert 'filename="nota.pdf"' in download["Content-Disposition"]
        assert (
            as_user(outsider).get(reverse("networks:attachment-download", args=[attachment.pk])).status_code
            == 404
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("virus.exe", b"MZ\x90\x00", "niet toegelaten"),
            ("nep.pdf", b"<html>geen pdf</html>", "past niet bij de extensie"),
            ("groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "groter dan 10 MB"),
        ],
    )
    def test_bad_uploads_are_refused(
        self, as_user, meeting, manager, settings, tmp_path, name, content, message
    ):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path},
            },
        }
        item = AgendaItemFactory(meeting=meeting)
        response = as_user(manager).post(
            reverse("networks:attachment-add", args=[item.pk]), {"file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 422
        assert message in response.text
        assert not Attachment.objects.exists()
