"""Property: whatever is POSTed to a form view, the answer is never a 500, and a refused
submission (4xx) leaves the database exactly as it was.

Every view that accepts POST gets hypothesis-generated bodies: the field names it expects (with
valid values, values of another network, and garbage: huge, control characters, any Unicode,
impossible dates and numbers, several values for one name), unknown names, uploads, and raw
bodies in several encodings, with and without htmx. The user has every right (coordinator of the
network and regional staff of its region), so the request reaches the form and the service.

Each example runs inside a savepoint that is rolled back afterwards, so examples are independent
(a valid submission does not change what the next one sees) and a database error cannot poison
the rest of the run. The test client re-raises a view's exception, so a 500 fails the test with
its traceback and hypothesis shrinks it to the smallest input.
"""

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from networks.models import (
    ActionItem,
    Agreement,
    Attendance,
    Body,
    Criterion,
    Decision,
    Goal,
    Membership,
    NetworkMembership,
)
from reports.models import HalfYear, Narrative, ReportRun
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    AgreementSignatoryFactory,
    AttendanceFactory,
    BodyFactory,
    GoalFactory,
    MeetingFactory,
    MembershipFactory,
    MinutesFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SectorFactory,
    SelfAssessmentRoundFactory,
    UserFactory,
)
from tests.files import clean_pdf

pytestmark = pytest.mark.django_db

FUZZ_SETTINGS = settings(
    # 25 per view keeps CI fast; FUZZ_EXAMPLES=1000 for a deeper local run.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every table of the project's apps (with many-to-many tables): "saved nothing" means none changed.
PROJECT_APPS = ("ijh", "networks", "reports", "cases", "instruments")


# --- values ------------------------------------------------------------------------------------

SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\t\n",
        "0",
        "-1",
        "1.5",
        "1,5",
        "12.345,67",
        "1e309",
        "-1e-400",
        "NaN",
        "-Infinity",
        "99999999999999999999999999",
        "٣",  # a digit int() accepts
        "²",  # a "digit" int() refuses
        "0x1F",
        "null",
        "None",
        "true",
        "[]",
        '{"a": 1}',
        "on",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "'; DROP TABLE networks_network; --",
        "%00",
        "\x00",
        "a\x00b",
        "\u202eevil",
        "﷽" * 20,
        "😀" * 100,
        "javascript:alert(1)",
        "https://",
        "http://[::1",
        "https://example.org/" + "a" * 3000,
    ]
)
BAD_DATES = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "-2026-01-01",
        "31/12/2026",
        "2026-1-1",
        "20260101",
        "2026-01-01T25:61",
        "2026-01-01T14:00",
        "2026-01-01 14:00:00+99:00",
        "9999-12-31T23:59",
        "0001-01-01T00:00",
    ]
)
DATES = st.one_of(
    st.dates().map(datetime.date.isoformat),
    BAD_DATES,
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.decimals(),
).map(str)
CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co"]), min_size=1, max_size=20)
OVERSIZED = st.builds(
    lambda text, times: text * times, st.text(min_size=1, max_size=3), st.integers(300, 20_000)
)
NASTY = st.one_of(SPECIAL, st.text(max_size=60), CONTROL, OVERSIZED, NUMBERS, DATES)


def field(good: st.SearchStrategy) -> st.SearchStrategy:
    """A value for a field the form expects: often a good one, else garbage or several values."""
    return st.one_of(good, good, NASTY, st.lists(st.one_of(good, NASTY), min_size=2, max_size=3))


def text(*good: str) -> st.SearchStrategy:
    return field(st.sampled_from(good or ("Opvolging wachtlijsten",)))


def date_field(*good: datetime.date) -> st.SearchStrategy:
    today = timezone.localdate()
    defaults = (today, today + datetime.timedelta(days=30), today - datetime.timedelta(days=30))
    return field(st.sampled_from([day.isoformat() for day in good or defaults]))


def pk_field(*objects: models.Model) -> st.SearchStrategy:
    return field(st.sampled_from([str(obj.pk) for obj in objects]))


def choice_field(model: type[models.Model], name: str) -> st.SearchStrategy:
    return field(st.sampled_from([str(value) for value, _label in model._meta.get_field(name).choices]))


def number_field(*good: str) -> st.SearchStrategy:
    return field(st.sampled_from(good or ("12", "12,5", "40", "0")))


def upload_field() -> st.SearchStrategy:
    names = st.one_of(
        st.sampled_from(["nota.pdf", "verslag.docx", "tabel.xlsx", "scan.png", "a.exe", "noext", ".pdf"]),
        st.text(min_size=1, max_size=40),
    )
    contents = st.one_of(
        st.sampled_from([clean_pdf(), b"%PDF-1.7 minimal", b"PK\x03\x04rest", b"\x89PNG\r\n\x1a\n", b""]),
        st.binary(max_size=200),
    )
    return st.builds(lambda name, content: SimpleUploadedFile(name, content), names, contents)


# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    user: object
    newcomer: object
    network: object
    network_without_round: object
    other_network: object
    body: object
    organisation: object
    outside_organisation: object
    spare_organisation: object
    sector: object
    membership: object
    meeting: object
    agenda_item: object
    attendance: object
    minutes: object
    action: object
    end_goal: object
    operational_goal: object
    agreement: object
    outside_agreement: object
    open_round: object
    narrative: object
    final_narrative: object
    failed_run: object
    period: HalfYear


@pytest.fixture
def world(settings, tmp_path) -> World:
    # The factories hash a password for every user; nobody logs in with it here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    network = NetworkFactory(name="RTJ Fuzzland")
    region = network.region
    other_network = NetworkFactory(name="RTJ Elders", region__code="limburg")
    network_without_round = NetworkFactory(name="RTJ Zonder ronde", region=region)
    body = BodyFactory(network=network, kind=Body.Kind.STEERING_GROUP)
    BodyFactory(network=network, kind=Body.Kind.WORKING_GROUP)
    organisation = NetworkMembershipFactory(network=network).organisation
    NetworkMembershipFactory(network=network)
    outside_organisation = NetworkMembershipFactory(network=other_network).organisation
    spare_organisation = OrganisationFactory()  # not in any network yet

    # All rights: coordinator of the networks (scores too) and regional staff (organisations,
    # reports, opening and closing self-assessment rounds).
    user = UserFactory(username="fuzzer")
    MembershipFactory(user=user, network=network, coordinator=True)
    MembershipFactory(user=user, network=network_without_round, coordinator=True)
    MembershipFactory(user=user, regional_staff=True, region=region)
    membership = MembershipFactory(network=network, organisation=organisation)
    membership.bodies.add(body)
    MembershipFactory(network=network, chair=True)

    meeting = MeetingFactory(body=body)
    agenda_item = AgendaItemFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    attendance = AttendanceFactory(meeting=meeting, user=membership.user, organisation=organisation)
    AttendanceFactory(meeting=meeting, user=user)
    minutes = MinutesFactory(meeting=meeting)
    action = ActionItemFactory(meeting=meeting, owner=membership.user, agenda_item=agenda_item)
    end_goal = GoalFactory(network=network)
    operational_goal = GoalFactory(network=network, operational=True, parent=end_goal)
    agreement = AgreementFactory(network=network)
    AgreementSignatoryFactory(agreement=agreement)
    outside_agreement = AgreementFactory(network=other_network)
    open_round = SelfAssessmentRoundFactory(network=network)

    period = HalfYear.containing(timezone.localdate()).previous()
    narrative = Narrative.objects.create(
        network=network, year=period.year, half=period.half, bottlenecks="Wachtlijsten."
    )
    earlier = period.previous()
    final_narrative = Narrative.objects.create(
        network=network,
        year=earlier.year,
        half=earlier.half,
        conclusions="Klaar.",
        status=Narrative.Status.FINAL,
        finalised_at=timezone.now(),
    )
    failed_run = ReportRun.objects.create(
        network=network, year=earlier.year, half=earlier.half, status=ReportRun.Status.FAILED, error="x"
    )
    return World(
        user=user,
        newcomer=UserFactory(username="nieuwkomer"),
        network=network,
        network_without_round=network_without_round,
        other_network=other_network,
        body=body,
        organisation=organisation,
        outside_organisation=outside_organisation,
        spare_organisation=spare_organisation,
        sector=SectorFactory(),
        membership=membership,
        meeting=meeting,
        agenda_item=agenda_item,
        attendance=attendance,
        minutes=minutes,
        action=action,
        end_goal=end_goal,
        operational_goal=operational_goal,
        agreement=agreement,
        outside_agreement=outside_agreement,
        open_round=open_round,
        narrative=narrative,
        final_narrative=final_narrative,
        failed_run=failed_run,
        period=period,
    )


# --- the views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormView:
    url_name: str
    url: Callable[[World], str]  # the URL a real form posts to
    fields: Callable[[World], dict[str, st.SearchStrategy]]  # per field: good values and garbage
    valid: Callable[[World], dict]  # a submission the view accepts (test_valid_submission_is_accepted)
    other_urls: Callable[[World], st.SearchStrategy] | None = None  # odd URLs for the same view


def soon(days: int = 30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def goal_fields(w: World) -> dict[str, st.SearchStrategy]:
    return {
        "kind": choice_field(Goal, "kind"),
        "parent": pk_field(w.end_goal, w.operational_goal),
        "title": text("Meer cliëntoverleg"),
        "description": text(),
        "level": choice_field(Goal, "level"),
        "status": choice_field(Goal, "status"),
        "indicator": text("Aantal aanvragen"),
        "unit": text("aanvragen"),
        "baseline_value": number_field(),
        "target_value": number_field(),
        "deadline": date_field(),
        "preconditions": text(),
    }


def valid_goal(w: World) -> dict:
    return {
        "kind": Goal.Kind.OPERATIONAL,
        "parent": str(w.end_goal.pk),
        "title": "Meer cliëntoverleg in de regio",
        "level": Goal.Level.NETWORK,
        "status": Goal.Status.ON_TRACK,
        "indicator": "Aantal aanvragen cliëntoverleg",
        "unit": "aanvragen",
        "baseline_value": "12,5",
        "target_value": "40",
        "deadline": soon(365),
    }


def period_fields(w: World) -> dict[str, st.SearchStrategy]:
    return {
        "jaar": field(st.sampled_from([str(w.period.year), "2004", "2100"])),
        "semester": field(st.sampled_from([str(w.period.half), "1", "2"])),
    }


def valid_period(w: World) -> dict:
    return {"jaar": str(w.period.year), "semester": str(w.period.half)}


def narrative_fields(w: World) -> dict[str, st.SearchStrategy]:
    return {
        **period_fields(w),
        "bottlenecks": text("Lange wachtlijsten."),
        "good_practices": text(),
        "conclusions": text(),
    }


def valid_narrative(w: World) -> dict:
    return {
        **valid_period(w),
        "bottlenecks": "Lange wachtlijsten.",
        "good_practices": "",
        "conclusions": "Ok.",
    }


def score_fields(w: World) -> dict[str, st.SearchStrategy]:
    fields = {}
    for criterion in Criterion.objects.all():
        fields[f"score-{criterion.pk}"] = field(st.sampled_from(["1", "2", "3", "4", "5"]))
        fields[f"comment-{criterion.pk}"] = text("Goed overleg.")
    return fields


def valid_scores(w: World) -> dict:
    return {f"score-{criterion.pk}": "4" for criterion in Criterion.objects.all()}


def nothing(w: World) -> dict:
    """Views that read no field: the body is all noise."""
    return {}


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("nota.pdf", clean_pdf())


TRANSITIONS = st.one_of(
    st.sampled_from(["circulate", "approve", "correct"]),
    st.text(st.characters(codec="utf-8", exclude_characters="/"), min_size=1, max_size=30),
)

VIEWS = {
    "organisation-create": FormView(
        "networks:organisation-create",
        lambda w: reverse("networks:organisation-create"),
        lambda w: {
            "name": text("Jeugdhulp De Haven"),
            "sector": pk_field(w.sector),
            "municipality": text("Gent"),
            "postcode": field(st.sampled_from(["9000", "1000"])),
            "kbo_number": field(st.sampled_from(["", "0123456749", "0123.456.749", "BE 0123 456 749"])),
        },
        lambda w: {
            "name": "Jeugdhulp De Haven",
            "sector": str(w.sector.pk),
            "municipality": "Gent",
            "postcode": "9000",
        },
    ),
    "organisation-add": FormView(
        "networks:organisation-add",
        lambda w: reverse("networks:organisation-add", args=[w.network.pk]),
        lambda w: {
            "organisation": pk_field(w.spare_organisation, w.outside_organisation, w.organisation),
            "kind": choice_field(NetworkMembership, "kind"),
            "since": date_field(),
            "until": date_field(),
        },
        lambda w: {
            "organisation": str(w.spare_organisation.pk),
            "kind": NetworkMembership.Kind.PARTICIPATING,
            "since": soon(0),
        },
    ),
    "role-add": FormView(
        "networks:role-add",
        lambda w: reverse("networks:role-add", args=[w.network.pk]),
        lambda w: {
            "user": pk_field(w.newcomer, w.membership.user, w.user),
            "role": choice_field(Membership, "role"),
            "organisation": pk_field(w.organisation, w.outside_organisation),
            "mandate_status": choice_field(Membership, "mandate_status"),
            "mandate": text(),
            "bodies": pk_field(w.body),
            "since": date_field(),
            "until": date_field(),
        },
        lambda w: {
            "user": str(w.newcomer.pk),
            "role": Membership.Role.STEERING_MEMBER,
            "organisation": str(w.organisation.pk),
            "mandate_status": Membership.MandateStatus.MANDATED,
            "mandate": "Mag afspraken maken binnen het bestaande aanbod.",
            "bodies": [str(w.body.pk)],
            "since": soon(0),
        },
    ),
    "role-edit": FormView(
        "networks:role-edit",
        lambda w: reverse("networks:role-edit", args=[w.membership.pk]),
        lambda w: {
            "mandate_status": choice_field(Membership, "mandate_status"),
            "mandate": text(),
            "bodies": pk_field(w.body),
            "until": date_field(),
        },
        lambda w: {
            "mandate_status": Membership.MandateStatus.OBSERVER,
            "mandate": "Geen mandaat meer.",
            "bodies": [str(w.body.pk)],
            "until": soon(60),
        },
    ),
    "meeting-create": FormView(
        "networks:meeting-create",
        lambda w: reverse("networks:meeting-create", args=[w.network.pk]),
        lambda w: {
            "body": pk_field(w.body),
            "starts_at": field(st.sampled_from([f"{soon(7)}T14:00", f"{soon(7)} 14:00"])),
            "location": text("Stadhuis"),
            "online_link": field(st.sampled_from(["https://meet.example.org/x", "meet.example.org"])),
            "agenda": text("Punt 1\nPunt 2"),
        },
        lambda w: {
            "body": str(w.body.pk),
            "starts_at": f"{soon(7)}T14:00",
            "location": "Stadhuis, zaal 2",
            "online_link": "meet.example.org/stuurgroep",
            "agenda": "Opvolging wachtlijsten\nVerwijsafspraken",
        },
    ),
    "agenda-item-add": FormView(
        "networks:agenda-item-add",
        lambda w: reverse("networks:agenda-item-add", args=[w.meeting.pk]),
        lambda w: {
            "agenda-title": text("Varia"),
            "agenda-description": text(),
            "agenda-owner": pk_field(w.user, w.membership.user, w.newcomer),
        },
        lambda w: {"agenda-title": "Varia", "agenda-owner": str(w.membership.user.pk)},
    ),
    "attachment-add": FormView(
        "networks:attachment-add",
        lambda w: reverse("networks:attachment-add", args=[w.agenda_item.pk]),
        lambda w: {"file": st.one_of(upload_field(), NASTY)},
        lambda w: {"file": pdf()},
    ),
    "attendance-update": FormView(
        "networks:attendance-update",
        lambda w: reverse("networks:attendance-update", args=[w.attendance.pk]),
        lambda w: {
            "status": choice_field(Attendance, "status"),
            "represented_by": pk_field(w.user, w.membership.user, w.newcomer),
        },
        lambda w: {"status": Attendance.Status.REPRESENTED, "represented_by": str(w.user.pk)},
    ),
    "minutes-save": FormView(
        "networks:minutes-save",
        lambda w: reverse("networks:minutes-save", args=[w.meeting.pk]),
        lambda w: {"text": text("Aanwezig: iedereen.")},
        lambda w: {"text": "Aanwezig: iedereen.\nBesproken: wachtlijsten."},
    ),
    "minutes-transition": FormView(
        "networks:minutes-transition",
        lambda w: reverse("networks:minutes-transition", args=[w.minutes.pk, "circulate"]),
        nothing,
        nothing,
        other_urls=lambda w: TRANSITIONS.map(
            lambda transition: f"/netwerken/verslagen/{w.minutes.pk}/{quote(transition, safe='')}/"
        ),
    ),
    "decision-add": FormView(
        "networks:decision-add",
        lambda w: reverse("networks:decision-add", args=[w.meeting.pk]),
        lambda w: {
            "decision-agenda_item": pk_field(w.agenda_item),
            "decision-text": text("Akkoord."),
            "decision-method": choice_field(Decision, "method"),
            "decision-agreement": pk_field(w.agreement, w.outside_agreement),
            "decision-goal": pk_field(w.end_goal),
            "decision-link": field(st.sampled_from(["https://example.org/besluit", "example.org"])),
        },
        lambda w: {
            "decision-agenda_item": str(w.agenda_item.pk),
            "decision-text": "De werkgroep brengt in maart een voorstel.",
            "decision-method": Decision.Method.CONSENSUS,
            "decision-agreement": str(w.agreement.pk),
            "decision-link": "example.org/besluit",
        },
    ),
    "action-add": FormView(
        "networks:action-add",
        lambda w: reverse("networks:action-add", args=[w.meeting.pk]),
        lambda w: {
            "action-title": text("Cijfers verzamelen"),
            "action-agenda_item": pk_field(w.agenda_item),
            "action-owner": pk_field(w.membership.user, w.user, w.newcomer),
            "action-owner_organisation": pk_field(w.organisation, w.outside_organisation),
            "action-due_on": date_field(),
        },
        lambda w: {
            "action-title": "Cijfers wachtlijst verzamelen",
            "action-agenda_item": str(w.agenda_item.pk),
            "action-owner": str(w.membership.user.pk),
            "action-owner_organisation": str(w.organisation.pk),
            "action-due_on": soon(30),
        },
    ),
    "action-status": FormView(
        "networks:action-status",
        lambda w: reverse("networks:action-status", args=[w.action.pk]),
        lambda w: {
            "status": choice_field(ActionItem, "status"),
            "dropped_reason": text("Niet meer nodig."),
            "next": field(st.sampled_from(["/", "https://evil.example/", "//evil.example", "/netwerken/"])),
            "show_meeting": field(st.sampled_from(["1", "0"])),
        },
        lambda w: {"status": ActionItem.Status.DROPPED, "dropped_reason": "Niet meer nodig.", "next": "/"},
    ),
    "goal-create": FormView(
        "networks:goal-create",
        lambda w: reverse("networks:goal-create", args=[w.network.pk]),
        goal_fields,
        valid_goal,
        other_urls=lambda w: NASTY.map(
            lambda parent: (
                reverse("networks:goal-create", args=[w.network.pk]) + "?parent=" + quote(parent, safe="")
            )
        ),
    ),
    "goal-edit": FormView(
        "networks:goal-edit",
        lambda w: reverse("networks:goal-edit", args=[w.operational_goal.pk]),
        goal_fields,
        valid_goal,
    ),
    "goal-progress": FormView(
        "networks:goal-progress-add",
        lambda w: reverse("networks:goal-progress-add", args=[w.operational_goal.pk]),
        lambda w: {"measured_on": date_field(), "value": number_field(), "note": text()},
        lambda w: {"measured_on": soon(0), "value": "12,5", "note": "Telling van maart."},
    ),
    "agreement-create": FormView(
        "networks:agreement-create",
        lambda w: reverse("networks:agreement-create", args=[w.network.pk]),
        lambda w: {
            "title": text("Samenwerkingsprotocol", w.agreement.title),
            "kind": choice_field(Agreement, "kind"),
            "version": text("1.0", w.agreement.version),
            "binding": choice_field(Agreement, "binding"),
            "valid_from": date_field(),
            "valid_until": date_field(),
            "document": st.one_of(upload_field(), NASTY),
        },
        lambda w: {
            "title": "Convenant wachtlijsten",
            "kind": Agreement.Kind.COVENANT,
            "version": "2026-1",
            "binding": Agreement.Binding.MANDATORY,
            "valid_from": soon(0),
            "valid_until": soon(365),
            "document": pdf(),
        },
    ),
    "agreement-signatory-add": FormView(
        "networks:agreement-signatory-add",
        lambda w: reverse("networks:agreement-signatory-add", args=[w.agreement.pk]),
        lambda w: {
            "organisation": pk_field(w.organisation, w.outside_organisation),
            "signed_on": date_field(),
        },
        lambda w: {"organisation": str(w.organisation.pk), "signed_on": soon(0)},
    ),
    "assessment-open": FormView(
        "networks:assessment-open",
        lambda w: reverse("networks:assessment-open", args=[w.network_without_round.pk]),
        lambda w: {"title": text("Zelfevaluatie 2026"), "closes_on": date_field()},
        lambda w: {"title": "Zelfevaluatie 2026", "closes_on": soon(30)},
    ),
    "assessment-score": FormView(
        "networks:assessment-score",
        lambda w: reverse("networks:assessment-score", args=[w.open_round.pk]),
        score_fields,
        valid_scores,
    ),
    "assessment-close": FormView(
        "networks:assessment-close",
        lambda w: reverse("networks:assessment-close", args=[w.open_round.pk]),
        nothing,
        nothing,
    ),
    "report-narrative-network": FormView(
        "reports:network-narrative",
        lambda w: reverse("reports:network-narrative", args=[w.network.pk]),
        narrative_fields,
        valid_narrative,
    ),
    "report-narrative-region": FormView(
        "reports:region-narrative",
        lambda w: reverse("reports:region-narrative", args=[w.network.region_id]),
        narrative_fields,
        valid_narrative,
    ),
    "report-run-create-network": FormView(
        "reports:network-run-create",
        lambda w: reverse("reports:network-run-create", args=[w.network.pk]),
        period_fields,
        valid_period,
    ),
    "report-run-create-region": FormView(
        "reports:region-run-create",
        lambda w: reverse("reports:region-run-create", args=[w.network.region_id]),
        period_fields,
        valid_period,
    ),
    "narrative-finalise": FormView(
        "reports:narrative-finalise",
        lambda w: reverse("reports:narrative-finalise", args=[w.narrative.pk]),
        nothing,
        nothing,
        # Finalising a final narrative is refused (with a message, not a 500).
        other_urls=lambda w: st.just(reverse("reports:narrative-finalise", args=[w.final_narrative.pk])),
    ),
    "narrative-correct": FormView(
        "reports:narrative-correct",
        lambda w: reverse("reports:narrative-correct", args=[w.final_narrative.pk]),
        nothing,
        nothing,
        # Correcting a draft is refused (with a message, not a 500).
        other_urls=lambda w: st.just(reverse("reports:narrative-correct", args=[w.narrative.pk])),
    ),
    "run-retry": FormView(
        "reports:run-retry",
        lambda w: reverse("reports:run-retry", args=[w.failed_run.pk]),
        nothing,
        nothing,
    ),
}


# --- requests ----------------------------------------------------------------------------------

RAW_CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "multipart/form-data",
        "multipart/form-data; boundary=BoUnDaRy",
        "application/json",
        "text/plain",
    ]
)


@st.composite
def submissions(draw, fields: dict[str, st.SearchStrategy], valid: dict):
    """(data or raw body, content type or None, extra headers, the fields sent as a dict).

    Three kinds: a valid submission with up to three fields changed, dropped or garbled (reaches
    every field's validation and the services behind a valid form); any subset of the expected
    fields with any values, plus unknown names; and a raw body in an odd encoding.
    """
    headers = {"HTTP_HX_REQUEST": "true"} if draw(st.booleans(), label="htmx") else {}
    how = draw(st.sampled_from(["mutated", "mutated", "random", "urlencoded", "raw"]), label="kind")
    if how == "raw":
        body = draw(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
        return body, draw(RAW_CONTENT_TYPES), headers, {}
    if how == "mutated":
        data = dict(valid)
        names = sorted(set(valid) | set(fields))
        for _ in range(draw(st.integers(0, 3), label="mutations") if names else 0):
            name = draw(st.sampled_from(names))
            change = draw(st.sampled_from(["other value", "garbage", "drop"]))
            if change == "drop":
                data.pop(name, None)
            else:
                data[name] = draw(fields[name] if change == "other value" and name in fields else NASTY)
        return data, None, headers, data
    data = draw(st.dictionaries(st.text(max_size=20), NASTY, max_size=3))
    data.update(draw(st.fixed_dictionaries({}, optional=fields)))
    if how == "urlencoded":
        plain = {key: value for key, value in data.items() if not isinstance(value, SimpleUploadedFile)}
        return urlencode(plain, doseq=True), "application/x-www-form-urlencoded", headers, data
    return data, None, headers, data


def post(client, url: str, body, content_type: str | None, headers: dict):
    """POST inside a savepoint that is rolled back; returns (response, tables changed, page).

    ``page`` is the page a successful POST redirects to (plain or htmx), fetched before the
    rollback: what was just saved must also display without a 500.
    """
    with transaction.atomic():
        before = snapshot()
        if content_type is None:
            response = client.post(url, body, **headers)
        else:  # sent as is: client.post would re-encode a body with a charset
            response = client.generic("POST", url, body, content_type=content_type, **headers)
        location = response.headers.get("HX-Redirect") or response.headers.get("Location") or ""
        page = client.get(location) if location.startswith("/") else None
        changed = changed_tables(before, snapshot())
        transaction.set_rollback(True)
    return response, changed, page


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every project table, in primary-key order."""
    return {
        model._meta.db_table: list(model.objects.order_by("pk").values_list())
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [table for table in before if before[table] != after[table]]


# --- 500s this fuzzer found, fixed, and pinned here -----------------------------------------


def test_meeting_in_year_one_is_refused_not_a_500(client, world):
    client.force_login(world.user)
    data = VIEWS["meeting-create"].valid(world) | {"starts_at": "0001-01-01T00:00"}
    response = client.post(reverse("networks:meeting-create", args=[world.network.pk]), data)
    assert response.status_code == 422
    assert "tussen 2000 en 2100" in response.text
    assert client.get(reverse("networks:meeting-list", args=[world.network.pk])).status_code == 200


def test_goal_target_signaling_nan_is_refused_not_a_500(client, world):
    client.force_login(world.user)
    data = VIEWS["goal-edit"].valid(world) | {"target_value": "sNaN"}
    response = client.post(reverse("networks:goal-edit", args=[world.operational_goal.pk]), data)
    assert response.status_code == 422


@pytest.mark.parametrize("view_name", list(VIEWS))
@FUZZ_SETTINGS
@given(data=st.data())
def test_form_view_survives_any_post(client, world, view_name, data):
    view = VIEWS[view_name]
    client.force_login(world.user)
    url = view.url(world)
    if view.other_urls is not None:
        url = data.draw(st.one_of(st.just(url), view.other_urls(world)), label="url")
    body, content_type, headers, _sent = data.draw(
        submissions(view.fields(world), view.valid(world)), label="submission"
    )

    response, changed, page = post(client, url, body, content_type, headers)

    event(f"HTTP {response.status_code}")  # pytest --hypothesis-show-statistics shows the mix
    assert response.status_code < 500, (view_name, url, response.status_code)
    if page is not None:
        assert page.status_code < 500, (view_name, "page after the redirect", page.status_code)
    if 400 <= response.status_code < 500:
        assert not changed, f"{view_name} answered {response.status_code} but changed {changed}"


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("view_name", list(VIEWS))
def test_valid_submission_is_accepted(client, world, view_name, htmx):
    """The fuzzer's starting point is a submission the view accepts and saves: so the mutated
    examples reach the services behind each form, not only its validation."""
    view = VIEWS[view_name]
    client.force_login(world.user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response, changed, page = post(client, view.url(world), view.valid(world), None, headers)
    assert response.status_code in (200, 302), (view_name, response.status_code)
    assert page is None or page.status_code == 200, (view_name, page.status_code)
    assert changed, f"{view_name} accepted the submission but saved nothing"


# For the completeness check in tests/test_post_views_fuzzed.py: URL names that only answer GET.
GET_ONLY_URL_NAMES = {
    "networks:list",
    "networks:detail",
    "networks:meeting-list",
    "networks:meeting-detail",
    "networks:attachment-download",
    "networks:action-list",
    "networks:goal-list",
    "networks:goal-detail",
    "networks:agreement-list",
    "networks:agreement-detail",
    "networks:agreement-document",
    "networks:assessment-list",
    "networks:assessment-detail",
    "networks:partner-load",
    "reports:index",
    "reports:network",
    "reports:region",
    "reports:run-status",
    "reports:run-download",
    "reports:run-export",
}


FUZZED_URL_NAMES = {view.url_name for view in VIEWS.values()}
