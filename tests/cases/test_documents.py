"""Generated case documents: contents (checked by PDF text extraction), the task body, requests,
the panel, access to create, status and download."""

import datetime
import io

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import documents, tasks
from cases.models import (
    CarePlanItem,
    CaseDocument,
    ConferenceSession,
    DataField,
    SessionInvitation,
    TimelineEvent,
)
from cases.services import documents as services
from ijh.models import AuditEvent
from networks.models import Membership

from ..factories import (
    CarePlanItemFactory,
    ConferenceSessionFactory,
    MembershipFactory,
    ReferralAgreementFactory,
    ReferralFactory,
    SessionInvitationFactory,
    UserFactory,
    life_domain,
)

Kind = CaseDocument.Kind


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def no_broker(fake_broker):
    """Collects what would be queued; the task body is called by the tests themselves."""
    return fake_broker


RENDER = "cases.tasks.render_case_document"


@pytest.fixture
def session(conference, caseworker, case_organisation, partner_organisation):
    conference.case_manager = caseworker.user
    conference.save()
    session = ConferenceSessionFactory(
        conference=conference,
        starts_at=timezone.make_aware(datetime.datetime(2026, 2, 3, 14, 30)),
        location="CLB Waasland, vergaderzaal 2",
        status=ConferenceSession.Status.HELD,
    )
    SessionInvitationFactory(
        session=session,
        kind=SessionInvitation.Kind.CLIENT,
        name="Lotte Vermeersch",
        bound_by_secrecy=False,
        attended=True,
    )
    SessionInvitationFactory(
        session=session,
        kind=SessionInvitation.Kind.PARENT,
        name="Ann De Smet",
        bound_by_secrecy=False,
        attended=True,
    )
    SessionInvitationFactory(
        session=session,
        kind=SessionInvitation.Kind.PROFESSIONAL,
        name="Hanne Hulp",
        organisation=case_organisation,
        attended=True,
    )
    SessionInvitationFactory(
        session=session,
        kind=SessionInvitation.Kind.PROFESSIONAL,
        name="Pieter Peeters",
        organisation=partner_organisation,
        attended=False,
    )
    SessionInvitationFactory(
        session=session,
        kind=SessionInvitation.Kind.OTHER,
        name="Oma Rita",
        bound_by_secrecy=False,
        attended=True,
    )
    return session


@pytest.fixture
def plan(session, caseworker, partner_organisation):
    return [
        CarePlanItemFactory(
            made_in=session,
            domain=life_domain("school"),
            description="Wekelijks gesprek met de leerlingbegeleider",
            owner=caseworker.user,
            due_on=datetime.date(2026, 3, 1),
        ),
        CarePlanItemFactory(
            made_in=session,
            domain=life_domain("family"),
            description="Gezinsbegeleiding opstarten",
            owner_organisation=partner_organisation,
            owner_label="",
            due_on=datetime.date(2026, 2, 20),
            status=CarePlanItem.Status.NOT_DONE,
            not_done_reason=CarePlanItem.NotDoneReason.WAITING_LIST,
            status_note="Wachtlijst tot mei.",
            reviewed_in=session,
        ),
        CarePlanItemFactory(
            made_in=session,
            domain=life_domain("leisure"),
            description="Inschrijven bij de jeugdbeweging",
            owner_label="Lotte",
            due_on=datetime.date(2026, 2, 15),
            status=CarePlanItem.Status.DONE,
            reviewed_in=session,
        ),
    ]


@pytest.fixture
def referral(case, consent, caseworker, partner_organisation, network):
    agreement = ReferralAgreementFactory(
        network=network,
        receiving_organisation=partner_organisation,
        title="Verwijsafspraak CGG jongeren",
        offer="Ambulante therapie",
        letter_requirements="Vermeld de hulpvraag en eerdere hulp.",
    )
    return ReferralFactory(
        case=case,
        consent=consent,
        to_organisation=partner_organisation,
        agreement=agreement,
        outside_agreement=False,
        question="Therapie rond faalangst en schoolweigering.",
        shared_fields=[DataField.NAME, DataField.BIRTH_DATE, DataField.QUESTION],
        sent_by=caseworker.user,
    )


@pytest.fixture
def receiver(network, partner_organisation):
    """A caseworker of the receiving organisation: sees the referral, not the case."""
    user = UserFactory(username="ontvanger")
    MembershipFactory(
        user=user, network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    return user


def _document(kind: str, source_obj, case) -> CaseDocument:
    return CaseDocument.objects.create(case=case, kind=kind, source=documents.source_of(source_obj))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _run(document: CaseDocument, task_id: str = "task-1") -> CaseDocument:
    tasks.render_case_document.apply(args=[document.pk], task_id=task_id)
    document.refresh_from_db()
    return document


def _rendered_text(document: CaseDocument) -> str:
    document = _run(document)
    assert document.status == CaseDocument.Status.DONE, document.error
    with document.file.open("rb") as handle:
        return _text(handle.read())


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- contents, one test per kind ---------------------------------------------------------------


class TestContents:
    def test_conference_request(self, media, conference, network):
        text = _flat(_rendered_text(_document(Kind.CONFERENCE_REQUEST, conference, conference.case)))
        for expected in (
            "Aanvraagformulier cliëntoverleg",
            network.name,
            conference.case.client.pseudonym,
            "Lotte Vermeersch",
            "Hoe krijgen we school, thuis en hulp weer op één lijn?",
            "Drie diensten, geen gedeeld plan",
            "Moeder, vader, CLB, CGG, school",
            "CLB Waasland",  # requesting organisation
            "toestemming",
            "06/01/2026",  # consent date
            "10/01/2026",  # request date
            "pagina 1 van",
        ):
            assert expected in text, expected

    def test_invitations_one_letter_per_invitee_on_its_own_page(self, media, session):
        document = _run(_document(Kind.INVITATIONS, session, session.conference.case))
        with document.file.open("rb") as handle:
            pages = [_flat(page.extract_text()) for page in PdfReader(handle).pages]
        invitees = ["Lotte Vermeersch", "Ann De Smet", "Hanne Hulp", "Pieter Peeters", "Oma Rita"]
        for name in invitees:
            # Each letter starts on a page of its own, addressed to one invitee.
            assert any(page.count(f"Beste {name},") == 1 for page in pages), name
        assert len(pages) >= len(invitees)
        letter = next(page for page in pages if "Beste Hanne Hulp," in page)
        for expected in (
            "03/02/2026",
            "14:30",
            "CLB Waasland, vergaderzaal 2",
            "Chris Voorzitter",
            "Hoe krijgen we school",
        ):
            assert expected in letter, expected
        assert "beroepsgeheim" in letter

    def test_attendance_list(self, media, session):
        text = _flat(_rendered_text(_document(Kind.ATTENDANCE_LIST, session, session.conference.case)))
        for expected in (
            "Aanwezigheidslijst",
            "Pieter Peeters",
            "CGG Waas en Dender",
            "hulpverlener",
            "afwezig",
            "aanwezig",
            "Handtekening",
            "03/02/2026 14:30",
        ):
            assert expected in text, expected

    def test_care_plan(self, media, session, plan, caseworker):
        text = _flat(_rendered_text(_document(Kind.CARE_PLAN, session.conference, session.conference.case)))
        for expected in (
            "Werkplan",
            "Onderwijs",
            "Gezin en opvoeding",
            "Wekelijks gesprek met de leerlingbegeleider",
            "Gezinsbegeleiding opstarten",
            "CGG Waas en Dender",
            "01/03/2026",
            "lopend",
            "gerealiseerd",
            "Casemanager Hanne Hulp",
        ):
            assert expected in text, expected

    def test_follow_up_sheet(self, media, session, plan):
        text = _flat(
            _rendered_text(_document(Kind.FOLLOW_UP_SHEET, session.conference, session.conference.case))
        )
        for expected in (
            "Opvolgingsfiche",
            "niet gerealiseerd",
            "wachtlijst",
            "Wachtlijst tot mei.",
            "Laatst besproken",
            "03/02/2026",
        ):
            assert expected in text, expected

    def test_referral_letter_with_name_shared(self, media, referral, case):
        text = _flat(_rendered_text(_document(Kind.REFERRAL_LETTER, referral, case)))
        for expected in (
            "Verwijsbrief",
            "Gegevensfiche",
            "CGG Waas en Dender",
            "Verwijsafspraak CGG jongeren",
            "Therapie rond faalangst en schoolweigering.",
            case.client.pseudonym,
            "Lotte Vermeersch",
            "09/04/2011",
            "Lotte loopt vast op school en thuis.",  # hulpvraag en context is shared
        ):
            assert expected in text, expected

    def test_referral_letter_without_name_leaves_identity_out(self, media, referral, case):
        referral.shared_fields = [DataField.POSTCODE]
        referral.agreement = None
        referral.outside_agreement = True
        referral.save()
        text = _flat(_rendered_text(_document(Kind.REFERRAL_LETTER, referral, case)))
        assert case.client.pseudonym in text
        assert "9100" in text
        assert "buiten verwijsafspraak" in text
        for secret in ("Lotte", "Vermeersch", "09/04/2011", "loopt vast op school"):
            assert secret not in text, secret

    def test_download_name_has_pseudonym_not_name(self, case, conference):
        document = _document(Kind.CARE_PLAN, conference, case)
        name = documents.download_name(document)
        assert case.client.pseudonym in name and name.startswith("werkplan-")
        assert "Lotte" not in name and "Vermeersch" not in name


# --- the task body ------------------------------------------------------------------------------


class TestTask:
    def test_running_twice_gives_one_file(self, media, conference):
        document = _run(_document(Kind.CONFERENCE_REQUEST, conference, conference.case))
        stored = sorted(media.rglob("*"))
        first = document.file.name
        again = _run(document, task_id="task-2")  # redelivery: nothing happens
        assert again.file.name == first and again.status == CaseDocument.Status.DONE
        assert sorted(media.rglob("*")) == stored
        assert [path.name for path in media.rglob("*.pdf")] == [f"document-{document.pk}.pdf"]
        assert not list(media.rglob("*.part"))

    def test_a_failing_render_marks_the_document_failed_with_a_short_reason(
        self, media, conference, monkeypatch
    ):
        def broken(document):
            raise RuntimeError("Lotte Vermeersch font missing")

        monkeypatch.setattr(documents, "render_pdf", broken)
        document = _run(_document(Kind.CARE_PLAN, conference, conference.case))
        assert document.status == CaseDocument.Status.FAILED
        assert "RuntimeError" in document.error and "kon niet gemaakt worden" in document.error
        assert "Lotte" not in document.error  # no client data from the exception message
        assert not document.file
        assert not list(media.rglob("*.pdf"))

    def test_a_live_run_of_another_task_is_left_alone(self, media, conference):
        document = _document(Kind.CARE_PLAN, conference, conference.case)
        CaseDocument.objects.filter(pk=document.pk).update(
            status=CaseDocument.Status.RUNNING, task_id="other", started_at=timezone.now()
        )
        document = _run(document, task_id="mine")
        assert (document.status, document.task_id) == (CaseDocument.Status.RUNNING, "other")

    def test_a_run_whose_worker_died_is_taken_over(self, media, conference):
        document = _document(Kind.CARE_PLAN, conference, conference.case)
        CaseDocument.objects.filter(pk=document.pk).update(
            status=CaseDocument.Status.RUNNING,
            task_id="dead",
            started_at=timezone.now() - datetime.timedelta(minutes=30),
        )
        assert _run(document, task_id="new").status == CaseDocument.Status.DONE


# --- requesting ---------------------------------------------------------------------------------


class TestRequest:
    def test_double_request_gives_one_row_queued_once(
        self, conference, caseworker, no_broker, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.request_document(
                kind=Kind.CARE_PLAN, case=conference.case, source_obj=conference, by=caseworker.user
            )
            second = services.request_document(
                kind=Kind.CARE_PLAN, case=conference.case, source_obj=conference, by=caseworker.user
            )
        assert first.pk == second.pk
        assert CaseDocument.objects.count() == 1
        assert no_broker.ids(RENDER) == [first.pk]
        first.refresh_from_db()
        assert first.task_id == "t-1"
        assert (
            TimelineEvent.objects.filter(case=conference.case, kind=TimelineEvent.Kind.DOCUMENT).count() == 1
        )
        assert AuditEvent.objects.filter(action="case_document.requested").count() == 1

    def test_database_refuses_two_active_documents(self, conference):
        _document(Kind.CARE_PLAN, conference, conference.case)
        with pytest.raises(IntegrityError):
            _document(Kind.CARE_PLAN, conference, conference.case)

    def test_a_finished_document_does_not_block_a_new_one(self, conference, caseworker, no_broker):
        done = _document(Kind.CARE_PLAN, conference, conference.case)
        CaseDocument.objects.filter(pk=done.pk).update(status=CaseDocument.Status.DONE)
        again = services.request_document(
            kind=Kind.CARE_PLAN, case=conference.case, source_obj=conference, by=caseworker.user
        )
        assert again.pk != done.pk

    def test_kind_must_fit_the_source(self, conference, caseworker):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.request_document(
                kind=Kind.INVITATIONS, case=conference.case, source_obj=conference, by=caseworker.user
            )

    def test_withdrawn_consent_blocks_a_new_referral_letter(self, referral, case, caseworker):
        from django.core.exceptions import ValidationError

        referral.consent.withdrawn_on = timezone.localdate()
        referral.consent.save()
        with pytest.raises(ValidationError, match="geldt niet meer"):
            services.request_document(
                kind=Kind.REFERRAL_LETTER, case=case, source_obj=referral, by=caseworker.user
            )
        assert not CaseDocument.objects.exists()

    def test_broker_down_keeps_the_request(
        self, conference, caseworker, fake_broker, django_capture_on_commit_callbacks
    ):
        fake_broker.down = True
        with django_capture_on_commit_callbacks(execute=True):
            document = services.request_document(
                kind=Kind.CARE_PLAN, case=conference.case, source_obj=conference, by=caseworker.user
            )
        document.refresh_from_db()
        assert document.status == CaseDocument.Status.PENDING and "niet bereikbaar" in document.error
        fake_broker.down = False
        CaseDocument.objects.filter(pk=document.pk).update(
            requested_at=timezone.now() - datetime.timedelta(hours=1)
        )
        assert services.requeue_stale_documents() == 1
        assert fake_broker.ids(RENDER) == [document.pk]

    def test_a_document_whose_worker_keeps_dying_stops_after_three_attempts(
        self, conference, caseworker, fake_broker, settings
    ):
        # given a document whose worker died mid-rendering three times
        settings.JOB_MAX_ATTEMPTS = 3
        document = services.request_document(
            kind=Kind.CARE_PLAN, case=conference.case, source_obj=conference, by=caseworker.user
        )
        an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
        for attempt in (1, 2):
            assert tasks._claim(document.pk, f"task-{attempt}") is not None
            CaseDocument.objects.filter(pk=document.pk).update(started_at=an_hour_ago)
            assert services.requeue_stale_documents() == 1
        assert tasks._claim(document.pk, "task-3") is not None
        CaseDocument.objects.filter(pk=document.pk).update(started_at=an_hour_ago)
        # when the safety net runs again
        assert services.requeue_stale_documents() == 0
        # then it is not queued a fourth time, and says why
        document.refresh_from_db()
        assert document.attempts == 3 and document.status == CaseDocument.Status.FAILED
        assert "3 keer" in document.error
        assert fake_broker.ids(RENDER).count(document.pk) == 2


# --- views and access ---------------------------------------------------------------------------


def _create(client, kind, source_obj, **headers):
    return client.post(
        reverse("cases:document-create"),
        {"kind": kind, "source": documents.source_of(source_obj), "next": "/dossiers/"},
        headers=headers,
    )


HTMX = {"HX-Request": "true"}


class TestViews:
    def test_team_generates_polls_and_downloads(
        self, client, media, conference, caseworker, no_broker, django_capture_on_commit_callbacks
    ):
        client.force_login(caseworker.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = _create(client, Kind.CONFERENCE_REQUEST, conference, **HTMX)
            again = _create(client, Kind.CONFERENCE_REQUEST, conference, **HTMX)  # double click
        assert response.status_code == 200 and again.status_code == 200
        document = CaseDocument.objects.get()
        assert no_broker.ids(RENDER) == [document.pk]
        assert 'hx-trigger="load delay:1s"' in response.text and "<progress" in response.text
        assert "Genereer werkplan" in response.text
        status = client.get(reverse("cases:document-status", args=[document.pk]))
        assert 'hx-trigger="load delay:1s"' in status.text
        _run(document)
        status = client.get(reverse("cases:document-status", args=[document.pk]))
        assert "load delay" not in status.text and 'data-document-status="done"' in status.text
        download = client.get(reverse("cases:document-download", args=[document.pk]))
        assert download.status_code == 200
        assert f"aanvraag-clientoverleg-{conference.case.client.pseudonym}" in download["Content-Disposition"]
        assert "Lotte" not in download["Content-Disposition"]
        assert "Lotte Vermeersch" in _text(b"".join(download.streaming_content))
        assert (
            AuditEvent.objects.filter(action="case_document.downloaded", actor=caseworker.user).count() == 1
        )

    def test_without_htmx_the_request_redirects_back(self, client, conference, caseworker, no_broker):
        client.force_login(caseworker.user)
        response = _create(client, Kind.CARE_PLAN, conference)
        assert response.status_code == 302 and response["Location"] == "/dossiers/"
        assert CaseDocument.objects.count() == 1

    def test_bad_kind_is_a_dutch_422(self, client, conference, caseworker):
        client.force_login(caseworker.user)
        response = _create(client, "recept", conference, **HTMX)
        assert response.status_code == 422 and "kan niet gemaakt worden" in response.text
        assert not CaseDocument.objects.exists()
        assert _create(client, "recept", conference).status_code == 422

    @pytest.mark.parametrize(
        "source",
        [
            "conference:abc",
            "taart:1",
            "",
            "conference:999999",
            "conference:" + "9" * 30,
            "session:²",
            "referral:1\x00",
        ],
    )
    def test_unknown_source_is_404(self, client, caseworker, source):
        client.force_login(caseworker.user)
        response = client.post(reverse("cases:document-create"), {"kind": Kind.CARE_PLAN, "source": source})
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "/dossiers/\r\nX: 1", "\x00"]
    )
    def test_next_only_goes_to_this_site(self, client, conference, caseworker, no_broker, next_url):
        client.force_login(caseworker.user)
        response = client.post(
            reverse("cases:document-create"),
            {"kind": Kind.CARE_PLAN, "source": f"conference:{conference.pk}", "next": next_url},
        )
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//")
        assert "evil" not in location and "\n" not in location

    def test_chair_generates_session_documents(self, client, session, conference_chair, no_broker):
        client.force_login(conference_chair.user)
        assert _create(client, Kind.ATTENDANCE_LIST, session, **HTMX).status_code == 200
        assert CaseDocument.objects.get().source == f"session:{session.pk}"

    @pytest.mark.parametrize(
        ("persona", "expected"),
        [
            ("caseworker", 200),
            ("conference_chair", 200),
            ("manager", 404),  # the organising cell handed this conference to its chair
            ("other_caseworker", 404),
            ("member", 404),
            ("regional_staff", 404),
            ("outsider", 404),
            ("superuser", 404),
        ],
    )
    def test_who_may_generate_conference_documents(
        self, request, client, conference, no_broker, persona, expected
    ):
        client.force_login(request.getfixturevalue(persona).user)
        assert _create(client, Kind.CARE_PLAN, conference, **HTMX).status_code == expected

    @pytest.mark.parametrize(
        ("persona", "expected"),
        [
            ("caseworker", 200),
            ("conference_chair", 200),
            ("manager", 404),  # the cell sees the case, not the client's name: no documents
            ("other_caseworker", 404),
            ("member", 404),
            ("regional_staff", 404),
            ("outsider", 404),
            ("superuser", 404),
        ],
    )
    def test_who_may_download_conference_documents(
        self, request, client, media, conference, persona, expected
    ):
        document = _run(_document(Kind.CONFERENCE_REQUEST, conference, conference.case))
        client.force_login(request.getfixturevalue(persona).user)
        assert client.get(reverse("cases:document-download", args=[document.pk])).status_code == expected
        assert client.get(reverse("cases:document-status", args=[document.pk])).status_code == expected

    def test_referral_letter_sender_makes_it_receiver_reads_it(
        self, client, media, referral, case, caseworker, receiver, manager, conference, no_broker
    ):
        client.force_login(receiver)
        assert _create(client, Kind.REFERRAL_LETTER, referral, **HTMX).status_code == 403
        client.force_login(manager.user)  # the cell sees the conference, never the case or its referrals
        assert _create(client, Kind.REFERRAL_LETTER, referral, **HTMX).status_code == 404
        client.force_login(caseworker.user)
        assert _create(client, Kind.REFERRAL_LETTER, referral, **HTMX).status_code == 200
        document = _run(CaseDocument.objects.get())
        for user, expected in ((caseworker.user, 200), (receiver, 200), (manager.user, 404)):
            client.force_login(user)
            assert client.get(reverse("cases:document-download", args=[document.pk])).status_code == expected

    def test_unfinished_document_is_not_downloadable(self, client, conference, caseworker):
        document = _document(Kind.CARE_PLAN, conference, conference.case)
        client.force_login(caseworker.user)
        assert client.get(reverse("cases:document-download", args=[document.pk])).status_code == 404


# --- the panel ----------------------------------------------------------------------------------


class TestPanel:
    @pytest.mark.parametrize("count", [1, 8])
    def test_panel_lists_documents_in_one_query(
        self, conference, caseworker, count, django_assert_num_queries
    ):
        from cases.access import get_conference_for_user

        for _n in range(count):
            CaseDocument.objects.create(
                case=conference.case, kind=Kind.CARE_PLAN, source=f"conference:{conference.pk}", status="done"
            )
        conference = get_conference_for_user(caseworker.user, conference.pk)
        with django_assert_num_queries(1):  # the documents of this source, with who asked
            panel = services.panel_context(case=conference.case, conference=conference)["document_panel"]
        assert len(panel["documents"]) == count
        assert [kind["value"] for kind in panel["kinds"]] == [
            Kind.CONFERENCE_REQUEST,
            Kind.CARE_PLAN,
            Kind.FOLLOW_UP_SHEET,
        ]

    def test_the_cell_sees_no_panel(self, conference, manager):
        from cases.access import get_conference_for_user
        from cases.models import ClientConference

        # The cell reaches a conference while it needs a chair: pseudonym only, no documents.
        ClientConference.objects.filter(pk=conference.pk).update(chair=None)
        CaseDocument.objects.create(
            case=conference.case, kind=Kind.CARE_PLAN, source=f"conference:{conference.pk}"
        )
        conference = get_conference_for_user(manager.user, conference.pk)
        panel = services.panel_context(case=conference.case, conference=conference)["document_panel"]
        assert (panel["visible"], panel["kinds"], panel["documents"]) == (False, [], [])

    def test_user_keyword_looks_up_the_flags(
        self, session, conference_chair, caseworker, receiver, referral, case
    ):
        panel = services.panel_context(case=case, session=session, user=conference_chair.user)[
            "document_panel"
        ]
        assert [kind["value"] for kind in panel["kinds"]] == [Kind.INVITATIONS, Kind.ATTENDANCE_LIST]
        received = services.panel_context(case=case, referral=referral, user=receiver)["document_panel"]
        assert received["visible"] and received["kinds"] == []
        sent = services.panel_context(case=case, referral=referral, user=caseworker.user)["document_panel"]
        assert [kind["value"] for kind in sent["kinds"]] == [Kind.REFERRAL_LETTER]

    def test_panel_renders_buttons_and_rows(self, rf, conference, caseworker):
        from django.template.loader import render_to_string

        from cases.access import get_conference_for_user

        CaseDocument.objects.create(
            case=conference.case,
            kind=Kind.CARE_PLAN,
            source=f"conference:{conference.pk}",
            status="failed",
            error="Het document kon niet gemaakt worden (RuntimeError).",
        )
        conference = get_conference_for_user(caseworker.user, conference.pk)
        request = rf.get("/dossiers/")
        request.user = caseworker.user
        html = render_to_string(
            "cases/documents/_panel.html",
            services.panel_context(case=conference.case, conference=conference),
            request=request,
        )
        assert html.count('hx-post="/dossiers/documenten/"') == 3
        assert "Genereer aanvraagformulier cliëntoverleg" in html
        assert 'data-document-status="failed"' in html and "RuntimeError" in html
        assert "style=" not in html and "<script" not in html
