# ruff: noqa: F811 (pm and referable are fixtures imported from .planmakers)
"""The planmakers' learning network (issue 19 §6): themes, discussions that move bottlenecks,
invited expertise with a client representative, signal notes made by the worker (no client data,
counts suppressed below 5), the yearly forum, the "at least 4 meetings a year" warning, access
and query counts."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Trajectory
from ijh.models import AuditEvent
from networks import services_learning as services
from networks.access import get_theme_for_user
from networks.models import Body, Bottleneck, LearningTheme, SignalNote, ThemeExpert
from networks.tasks import render_signal_note

from ..factories import (
    BodyFactory,
    CaseFactory,
    ConsentFactory,
    MeetingFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
)
from .planmakers import TODAY, pm  # noqa: F401

pytestmark = pytest.mark.django_db

# No page of the learning network shows client data (themes and notes hold none; counts only).
NOT_A_READ_URL_NAMES = {
    "cases:learning-network",
    "cases:learning-theme",
    "cases:learning-forum",
    "cases:learning-note-status",
    "cases:learning-note-download",
}

TZ = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=TZ)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=TZ)


class Learning:
    pass


def block(bottleneck: Bottleneck, n: int, pm) -> None:
    """Links ``n`` trajectories (on fresh cases, names included) to the bottleneck."""
    for _ in range(n):
        case = CaseFactory(network=pm.network, client__last_name="Geheimnaam")
        trajectory = Trajectory.objects.create(
            case=case, network=pm.network, referring_organisation=case.lead_organisation,
            referred_by=pm.coordinator, question="Q", involved="I", referrer_engaged=True,
            consent=ConsentFactory(case=case), referred_on=datetime.date(2026, 1, 10),
        )  # fmt: skip
        trajectory.bottlenecks.add(bottleneck)


@pytest.fixture
def ln(pm):
    """The planmaker network's learning network with two held meetings and one planned this year,
    a forum body, and three bottlenecks: a waiting list blocking 6 trajectories, an admission rule
    blocking 3, and a school bottleneck blocking none."""
    learning = Learning()
    learning.pm = pm
    learning.body = BodyFactory(network=pm.network, kind=Body.Kind.LEARNING_NETWORK, name="Lerend netwerk")
    learning.held = MeetingFactory(body=learning.body, starts_at=at(datetime.date(2026, 3, 10)))
    learning.held2 = MeetingFactory(body=learning.body, starts_at=at(datetime.date(2026, 5, 12)))
    learning.planned = MeetingFactory(body=learning.body, starts_at=at(datetime.date(2026, 9, 8)))
    learning.forum_body = BodyFactory(network=pm.network, kind=Body.Kind.FORUM, name="Forum planmakers")

    def bottleneck(title, category, level):
        return Bottleneck.objects.create(
            network=pm.network, title=title, category=category, level=level,
            description=f"{title}: wat blokkeert, niet wie.", concerns="Toegangspoort",
            signalled_on=datetime.date(2026, 2, 1),
        )  # fmt: skip

    learning.waiting = bottleneck("Wachtlijst residentiële zorg", "waiting_list", "meso")
    learning.admission = bottleneck("IQ-grens sluit jongeren uit", "admission", "macro")
    learning.school = bottleneck("Geen onderwijs tijdens opname", "school", "meso")
    block(learning.waiting, 6, pm)
    block(learning.admission, 3, pm)
    learning.staff = MembershipFactory(regional_staff=True, region=pm.network.region).user
    learning.outsider = UserFactory(username="buiten")
    MembershipFactory(user=learning.outsider)  # a steering member of another network
    return learning


@pytest.fixture
def theme(ln):
    return services.propose_theme(
        network=ln.pm.network, by=ln.pm.planmaker, title="Jongeren tussen twee stoelen",
        question="In drie trajecten weigeren diensten omwille van IQ of wachtlijsten.",
        bottlenecks=[ln.waiting, ln.admission],
    )  # fmt: skip


@pytest.fixture
def discussed(ln, theme):
    services.discuss_theme(
        theme=theme, by=ln.pm.coordinator, meeting=ln.held, findings="Herkend door alle diensten."
    )
    LearningTheme.objects.filter(pk=theme.pk).update(
        advice="Maak een uitzondering op de IQ-grens mogelijk en verkort de wachtlijst via een regionale pool."
    )
    theme.refresh_from_db()
    return theme


# --- themes and discussions -------------------------------------------------------------------------


def test_discussing_a_theme_moves_its_open_bottlenecks_with_an_audit_event_each(ln, theme):
    ln.admission.status = Bottleneck.Status.DISCUSSED
    ln.admission.discussed_on = datetime.date(2026, 2, 20)
    ln.admission.save()
    before = AuditEvent.objects.filter(action="bottleneck.discussed").count()

    services.discuss_theme(theme=theme, by=ln.pm.planmaker, meeting=ln.held, findings="Gedeelde bevinding")

    ln.waiting.refresh_from_db()
    ln.admission.refresh_from_db()
    theme.refresh_from_db()
    assert theme.status == LearningTheme.Status.DISCUSSED and "Gedeelde bevinding" in theme.findings
    assert ln.waiting.status == Bottleneck.Status.DISCUSSED and ln.waiting.discussed_on == datetime.date(
        2026, 3, 10
    )
    assert ln.admission.discussed_on == datetime.date(2026, 2, 20)  # already discussed: kept
    assert set(ln.waiting.discussed_in.all()) == {ln.held} == set(ln.admission.discussed_in.all())
    events = AuditEvent.objects.filter(action="bottleneck.discussed")
    assert events.count() == before + 1 and events.last().object_id == str(ln.waiting.pk)
    assert AuditEvent.objects.filter(action="learning_theme.discussed", object_id=str(theme.pk)).exists()
    ln.school.refresh_from_db()
    assert ln.school.status == Bottleneck.Status.SIGNALLED  # not in the theme


@pytest.mark.parametrize("which", ["planned", "forum", "twice"])
def test_a_discussion_needs_a_held_meeting_of_the_learning_network_once(ln, theme, which):
    if which == "twice":
        services.discuss_theme(theme=theme, by=ln.pm.planmaker, meeting=ln.held)
        meeting = ln.held
    elif which == "forum":
        meeting = MeetingFactory(body=ln.forum_body, starts_at=at(datetime.date(2026, 4, 1)))
    else:
        meeting = ln.planned
    with pytest.raises(ValidationError):
        services.discuss_theme(theme=theme, by=ln.pm.planmaker, meeting=meeting)


def test_planmaker_proposes_a_theme_and_invites_a_client_representative(client, ln):
    client.force_login(ln.pm.planmaker)
    response = client.post(
        reverse("cases:learning-theme-create", args=[ln.pm.network.pk]),
        {"title": "Onderwijs tijdens opname", "question": "Q", "bottlenecks": [ln.school.pk]},
    )
    theme = LearningTheme.objects.get(title="Onderwijs tijdens opname")
    assert response.status_code == 302 and list(theme.bottlenecks.all()) == [ln.school]
    page = client.get(reverse("cases:learning-theme", args=[theme.pk])).content.decode()
    assert 'data-warning="no-client-rep"' in page

    response = client.post(
        reverse("cases:learning-theme-expert", args=[theme.pk]),
        {"kind": "client_rep", "name": "Sam Ervaring", "organisation_name": "Cliëntenvereniging West",
         "expertise": "Eigen ervaring met opnames", "meeting": ln.planned.pk},
    )  # fmt: skip
    assert response.status_code == 302
    expert = theme.experts.get()
    assert expert.kind == ThemeExpert.Kind.CLIENT_REPRESENTATIVE and expert.meeting == ln.planned
    page = client.get(reverse("cases:learning-theme", args=[theme.pk])).content.decode()
    assert 'data-warning="no-client-rep"' not in page and "ervaringsdeskundige" in page


def test_expertise_without_anyone_is_refused_in_dutch(client, ln, theme):
    client.force_login(ln.pm.planmaker)
    response = client.post(
        reverse("cases:learning-theme-expert", args=[theme.pk]), {"kind": "expert", "expertise": "X"}
    )
    assert response.status_code == 422 and "Geef een naam of een organisatie." in response.content.decode()
    assert not theme.experts.exists()


def test_theme_page_counts_exact_for_the_team_and_suppressed_for_steering(client, ln, theme):
    url = reverse("cases:learning-theme", args=[theme.pk])
    client.force_login(ln.pm.planmaker)
    page = client.get(url).content.decode()
    assert "<td>3</td>" in page and "<td>6</td>" in page
    client.force_login(ln.pm.steering)
    page = client.get(url).content.decode()
    assert "<td>&lt; 5</td>" in page and "<td>6</td>" in page and "<td>3</td>" not in page
    assert "Geheimnaam" not in page


# --- signal notes -----------------------------------------------------------------------------------


def test_signal_note_end_to_end(
    client, ln, discussed, fake_broker, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ln.pm.coordinator)
    url = reverse("cases:learning-theme-note", args=[discussed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"addressed_to": "Agentschap Opgroeien – afdeling beleid"})
    assert response.status_code == 302
    note = SignalNote.objects.get()
    assert fake_broker.ids("networks.tasks.render_signal_note") == [note.pk]
    # a double click queues nothing more
    client.post(url, {"addressed_to": "Agentschap Opgroeien – afdeling beleid"})
    assert SignalNote.objects.count() == 1
    # the bottlenecks are signalled to the administration, each with an audit event
    for bottleneck in (ln.waiting, ln.admission):
        bottleneck.refresh_from_db()
        assert bottleneck.status == Bottleneck.Status.PASSED_ON
        assert bottleneck.passed_to == "Agentschap Opgroeien – afdeling beleid"
        assert AuditEvent.objects.filter(action="bottleneck.passed_on", object_id=str(bottleneck.pk)).exists()
    discussed.refresh_from_db()
    assert discussed.status == LearningTheme.Status.SIGNALLED
    status = client.get(reverse("cases:learning-note-status", args=[note.pk])).content.decode()
    assert "hx-trigger" in status  # polls while pending

    render_signal_note.apply(args=[note.pk])
    note.refresh_from_db()
    assert note.status == SignalNote.Status.DONE, note.error
    render_signal_note.apply(args=[note.pk])  # idempotent: a done note is left alone
    assert SignalNote.objects.get().attempts == 1

    download = client.get(reverse("cases:learning-note-download", args=[note.pk]))
    pdf = b"".join(download.streaming_content)
    (tmp_path / "signaalnota.pdf").write_bytes(pdf)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Jongeren tussen twee stoelen" in text
    assert "uitzondering op de IQ-grens" in text  # the advice
    assert "Wachtlijst residentiële zorg" in text and "IQ-grens sluit jongeren uit" in text
    assert "Geen onderwijs tijdens opname" not in text  # not in the theme
    assert "< 5" in text and ": 6" in text  # 3 suppressed, 6 shown
    assert "Geheimnaam" not in text and "Lotte" not in text  # no client data
    status = client.get(reverse("cases:learning-note-status", args=[note.pk])).content.decode()
    assert "Signaalnota downloaden" in status and "hx-trigger" not in status


def test_counts_are_suppressed_in_the_note_even_for_the_team(ln, discussed, fake_broker):
    note = services.request_signal_note(
        network=ln.pm.network, by=ln.pm.coordinator, theme=discussed, addressed_to="Agentschap",
        blocked={ln.waiting.pk: 6, ln.admission.pk: 3}, blocked_total=9,
    )  # fmt: skip
    rows = {row["title"]: row["blocked"] for row in note.snapshot["bottlenecks"]}
    assert rows == {"Wachtlijst residentiële zorg": "6", "IQ-grens sluit jongeren uit": "< 5"}
    assert note.snapshot["blocked_total"] == "9"


@pytest.mark.parametrize("missing", ["discussion", "advice", "addressee"])
def test_a_signal_note_needs_a_discussion_an_advice_and_an_addressee(client, ln, theme, missing):
    if missing != "discussion":
        services.discuss_theme(theme=theme, by=ln.pm.coordinator, meeting=ln.held)
    if missing != "advice":
        LearningTheme.objects.filter(pk=theme.pk).update(advice="Advies")
    client.force_login(ln.pm.coordinator)
    response = client.post(
        reverse("cases:learning-theme-note", args=[theme.pk]),
        {"addressed_to": "" if missing == "addressee" else "Agentschap"},
    )
    assert response.status_code == 422
    assert not SignalNote.objects.exists()
    ln.waiting.refresh_from_db()
    assert ln.waiting.status != Bottleneck.Status.PASSED_ON


def test_signal_note_of_a_selection_of_bottlenecks(client, ln, fake_broker):
    Bottleneck.objects.filter(pk=ln.school.pk).update(
        status="discussed", discussed_on=datetime.date(2026, 3, 10)
    )
    client.force_login(ln.staff)  # regional staff make notes too
    response = client.post(
        reverse("cases:learning-note-select", args=[ln.pm.network.pk]),
        {"title": "Onderwijs", "advice": "Onderwijs op maat tijdens opname.", "addressed_to": "Departement Onderwijs",
         "bottlenecks": [ln.school.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    note = SignalNote.objects.get()
    assert note.theme is None and list(note.bottlenecks.all()) == [ln.school]
    ln.school.refresh_from_db()
    assert ln.school.status == Bottleneck.Status.PASSED_ON


def test_a_failing_render_marks_the_note_failed(ln, discussed, fake_broker, monkeypatch):
    from networks import signal_note

    note = services.request_signal_note(
        network=ln.pm.network,
        by=ln.pm.coordinator,
        theme=discussed,
        addressed_to="A",
        blocked={},
        blocked_total=0,
    )

    def boom(note):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(signal_note, "render_pdf", boom)
    render_signal_note.apply(args=[note.pk])
    note.refresh_from_db()
    assert note.status == SignalNote.Status.FAILED and "RuntimeError" in note.error and not note.file


# --- forum and the yearly warning -----------------------------------------------------------------


def test_forum_lists_the_years_themes_and_notes_and_records_the_presentation(
    client, ln, discussed, fake_broker
):
    forum = MeetingFactory(body=ln.forum_body, starts_at=at(datetime.date(2026, 11, 20)))
    note = services.request_signal_note(
        network=ln.pm.network,
        by=ln.pm.coordinator,
        theme=discussed,
        addressed_to="A",
        blocked={},
        blocked_total=0,
    )
    old = LearningTheme.objects.create(
        network=ln.pm.network, title="Thema van vorig jaar", proposed_on=datetime.date(2025, 3, 1)
    )
    client.force_login(ln.pm.planmaker)
    page = client.get(reverse("cases:learning-forum", args=[ln.pm.network.pk])).content.decode()
    assert discussed.title in page and note.title in page and old.title not in page
    assert 'data-warning="no-forum"' not in page
    response = client.post(reverse("cases:learning-note-present", args=[note.pk]), {"meeting": forum.pk})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.presented_at == forum
    page = client.get(
        reverse("cases:learning-forum", args=[ln.pm.network.pk]) + "?jaar=2025"
    ).content.decode()
    assert old.title in page and discussed.title not in page and 'data-warning="no-forum"' in page
    # a learning-network meeting is not a forum
    response = client.post(reverse("cases:learning-note-present", args=[note.pk]), {"meeting": ln.held.pk})
    assert response.status_code == 422


def test_warning_when_the_learning_network_has_fewer_than_four_meetings_this_year(client, ln):
    client.force_login(ln.pm.coordinator)
    url = reverse("cases:learning-network", args=[ln.pm.network.pk])
    assert 'data-warning="behind"' in client.get(url).content.decode()  # 3 this year
    home = client.get(reverse("home")).content.decode()
    assert 'data-warning="learning-behind"' in home
    MeetingFactory(body=ln.body, starts_at=at(datetime.date(2026, 12, 1)))
    MeetingFactory(body=ln.body, starts_at=at(datetime.date(2025, 12, 1)))  # last year: not counted
    assert 'data-warning="behind"' not in client.get(url).content.decode()
    assert 'data-warning="learning-behind"' in client.get(reverse("home")).content.decode()  # still no forum
    MeetingFactory(body=ln.forum_body, starts_at=at(datetime.date(2026, 11, 20)))
    assert 'data-warning="learning-behind"' not in client.get(reverse("home")).content.decode()
    # a planmaker does not get the coordinator's panel
    client.force_login(ln.pm.planmaker)
    assert "learning-panel-title" not in client.get(reverse("home")).content.decode()


# --- access -----------------------------------------------------------------------------------------


def test_steering_member_reads_but_does_not_write(client, ln, discussed):
    client.force_login(ln.pm.steering)
    for url in (
        reverse("cases:learning-network", args=[ln.pm.network.pk]),
        reverse("cases:learning-theme", args=[discussed.pk]),
        reverse("cases:learning-forum", args=[ln.pm.network.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert 'method="post" action="/dossiers/planmakers/' not in response.content.decode()
    assert (
        client.post(reverse("cases:learning-theme-update", args=[discussed.pk]), {"title": "X"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("cases:learning-theme-note", args=[discussed.pk]), {"addressed_to": "X"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("cases:learning-theme-create", args=[ln.pm.network.pk]), {"title": "X"}
        ).status_code
        == 403
    )


def test_planmaker_edits_themes_but_the_note_is_the_coordinators(ln, discussed):
    assert get_theme_for_user(ln.pm.planmaker, discussed.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_theme_for_user(ln.pm.planmaker, discussed.pk, signal=True)
    assert get_theme_for_user(ln.pm.coordinator, discussed.pk, signal=True)
    assert get_theme_for_user(ln.staff, discussed.pk, signal=True)


def test_outsiders_get_404_everywhere(client, ln, discussed, fake_broker):
    note = services.request_signal_note(
        network=ln.pm.network,
        by=ln.pm.coordinator,
        theme=discussed,
        addressed_to="A",
        blocked={},
        blocked_total=0,
    )
    other_staff = MembershipFactory(regional_staff=True, region=RegionFactory(code="limburg")).user
    for user in (ln.outsider, other_staff):
        client.force_login(user)
        for name, arg in (
            ("cases:learning-network", ln.pm.network.pk), ("cases:learning-forum", ln.pm.network.pk),
            ("cases:learning-theme", discussed.pk), ("cases:learning-note-status", note.pk),
            ("cases:learning-note-download", note.pk),
        ):  # fmt: skip
            assert client.get(reverse(name, args=[arg])).status_code == 404, name
        for name, arg in (
            ("cases:learning-theme-update", discussed.pk), ("cases:learning-theme-expert", discussed.pk),
            ("cases:learning-theme-discuss", discussed.pk), ("cases:learning-theme-note", discussed.pk),
            ("cases:learning-theme-create", ln.pm.network.pk), ("cases:learning-note-select", ln.pm.network.pk),
            ("cases:learning-note-present", note.pk),
        ):  # fmt: skip
            assert client.post(reverse(name, args=[arg]), {"title": "X"}).status_code == 404, name
        with pytest.raises(Http404):
            get_theme_for_user(user, discussed.pk)


# --- query counts -----------------------------------------------------------------------------------


def _more(ln, n: int) -> None:
    for i in range(n):
        theme = services.propose_theme(
            network=ln.pm.network, by=ln.pm.planmaker, title=f"Thema {i}", bottlenecks=[ln.waiting, ln.school]
        )
        services.invite_expert(
            theme=theme, by=ln.pm.planmaker, kind="client_rep", expertise="E", name=f"P{i}"
        )
        services.discuss_theme(theme=theme, by=ln.pm.planmaker, meeting=ln.held)
        LearningTheme.objects.filter(pk=theme.pk).update(advice="A")
        services.request_signal_note(
            network=ln.pm.network,
            by=ln.pm.coordinator,
            theme=theme,
            addressed_to="A",
            blocked={},
            blocked_total=0,
        )


@pytest.mark.parametrize("extra", [0, 4])
def test_learning_pages_queries_do_not_grow(
    client, ln, discussed, fake_broker, django_assert_num_queries, extra
):
    _more(ln, extra)
    client.force_login(ln.pm.coordinator)
    # session, user, the network with the edit/signal flags, "works on bottlenecks", the themes with
    # their counts, blocked trajectories per theme, the year's meetings by kind, the meetings of
    # the year, the signal notes with their themes, the bottlenecks of the two forms; then the
    # session is saved for the idle timeout (savepoint, update, release)
    with django_assert_num_queries(14):
        assert client.get(reverse("cases:learning-network", args=[ln.pm.network.pk])).status_code == 200
    # session, user, the theme with its flags, "works on bottlenecks", its bottlenecks, blocked per
    # bottleneck, blocked in total, experts with organisation and meeting, meetings, notes; the
    # forms: bottlenecks, organisations, learning meetings (expert and discussion forms); session
    # save (3)
    with django_assert_num_queries(17):
        assert client.get(reverse("cases:learning-theme", args=[discussed.pk])).status_code == 200
    # session, user, the network with its flags, the forum meetings, the year's themes with their
    # counts, the year's notes with theme and forum, the year's meetings by kind; session save (3)
    with django_assert_num_queries(10):
        assert client.get(reverse("cases:learning-forum", args=[ln.pm.network.pk])).status_code == 200


# --- demo -------------------------------------------------------------------------------------------


def test_demo_has_themes_in_every_state_and_a_rendered_note_and_loads_once(settings, tmp_path):
    import io as _io

    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    call_command("load_demo", stdout=_io.StringIO())

    def rows():
        return (
            list(LearningTheme.objects.order_by("pk").values_list("pk", "status")),
            ThemeExpert.objects.count(),
            list(SignalNote.objects.order_by("pk").values_list("pk", "status", "presented_at")),
            list(Bottleneck.objects.order_by("pk").values_list("pk", "status")),
        )

    first = rows()
    assert {status for _pk, status in first[0]} == set(LearningTheme.Status.values)
    assert ThemeExpert.objects.filter(kind=ThemeExpert.Kind.CLIENT_REPRESENTATIVE).exists()
    note = SignalNote.objects.get()
    assert note.status == SignalNote.Status.DONE and note.presented_at.body.kind == Body.Kind.FORUM
    call_command("load_demo", stdout=_io.StringIO())
    assert rows() == first


def test_learning_themes_are_in_every_fuzz_and_read_list():
    # the sets above and in test_learning_fuzz.py are what the completeness tests read
    from . import test_learning_fuzz

    assert {"cases:learning-theme-note"} <= test_learning_fuzz.FUZZED_URL_NAMES
    assert NOT_A_READ_URL_NAMES == test_learning_fuzz.GET_ONLY_URL_NAMES
