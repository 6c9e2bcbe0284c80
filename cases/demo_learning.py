"""Demo data of the planmakers' learning network (issue 19 §6), on top of cases/demo_planmakers.py:
three themes in every state (signalled with a finished signal note, discussed with an advice and
no note yet, proposed and waiting for the next meeting), invited expertise with a client
representative, a planned learning-network meeting and this year's forum where the note was
presented. Invented people only; no client data.

Idempotent: themes are found by title, meetings by their body and day, the note by its theme; a
second run adds nothing.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ijh.models import User
from networks import services_learning
from networks.models import (
    Body,
    Bottleneck,
    LearningTheme,
    Meeting,
    Network,
    Organisation,
    SignalNote,
    ThemeExpert,
)

from . import demo_planmakers
from . import learning as counts

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
ADDRESSEE = "Agentschap Opgroeien – afdeling beleid"

# (title, question, bottleneck titles, findings, advice, meeting: "first"/"second"/None)
THEMES = [
    (
        "Jongeren met een combinatie van problemen vallen tussen twee stoelen",
        "In vier trajecten weigerden voorzieningen een jongere omdat die ‘te veel’ of ‘te weinig’ "
        "was voor hun erkenning; intussen wachtte de jongere op de K-dienst.",
        ["IQ-grens sluit jongeren met gedragsproblemen uit", "Wachtlijst kinder- en jeugdpsychiatrie"],
        "Toelatingscriteria worden strikt gelezen; niemand voelt zich eigenaar van de jongere die "
        "tussen twee erkenningen valt. De wachttijd maakt de situatie erger.",
        "Laat een regionale tafel afwijken van de toelatingscriteria zolang een gedeeld plan loopt, "
        "en reserveer crisiscapaciteit in de K-diensten voor jongeren in een geblokkeerd traject.",
        "first",
    ),
    (
        "Continuïteit bij 18 jaar en tijdens een opname",
        "Begeleidingen en schoolinschrijvingen stoppen op vaste momenten, midden in een traject.",
        ["Modules stoppen bij 18 jaar", "School schrijft uit tijdens opname"],
        "Breuken vallen samen met momenten van de regels, niet van de jongere. Relationele "
        "continuïteit staat op de helling.",
        "Laat begeleiding doorlopen tot het gedeeld plan afgerond is, en houd de schoolinschrijving "
        "open tijdens een opname met onderwijs op maat.",
        "second",
    ),
    (
        "Eén verhaal, één plan",
        "Gezinnen vertellen hun verhaal telkens opnieuw; voor kinderen onder 12 is er geen time-out.",
        ["Geen gedeeld dossier tussen diensten", "Geen plaats in time-out voor jongeren onder 12"],
        "",
        "",
        None,
    ),
]
# (theme index, kind, name, organisation or other organisation, expertise)
EXPERTS = [
    (0, ThemeExpert.Kind.CLIENT_REPRESENTATIVE, "Lien Verhelst", "Cliëntenvereniging Jeugdhulp West",
     "Ervaringsdeskundige: zelf opgegroeid in de bijzondere jeugdzorg"),
    (0, ThemeExpert.Kind.PROVIDER, "", "Dienst Ondersteuningsplan West (VAPH)", "Toelating VAPH-voorzieningen"),
    (0, ThemeExpert.Kind.PROVIDER, "", "CGG Mandel en Leie", "Wachtlijst en crisisopnames"),
    (1, ThemeExpert.Kind.CLIENT_REPRESENTATIVE, "Yusuf Aydin", "Cliëntenvereniging Jeugdhulp West",
     "Ervaringsdeskundige: overgang naar meerderjarigheid"),
    (1, ThemeExpert.Kind.EXPERT, "", "Vrij CLB Westhoek", "Onderwijs tijdens opname"),
]  # fmt: skip


@transaction.atomic
def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    network = networks.get(demo_planmakers.NETWORK)
    if network is None:
        return {"learning_themes": 0}
    body = Body.objects.filter(network=network, kind=Body.Kind.LEARNING_NETWORK).first()
    forum_body = Body.objects.filter(network=network, kind=Body.Kind.FORUM).first()
    if body is None or forum_body is None:
        return {"learning_themes": 0}
    coordinator = User.objects.get(username=demo_planmakers.COORDINATOR[0])
    held = list(Meeting.objects.filter(body=body, starts_at__lt=timezone.now()).order_by("starts_at"))
    meetings = {"first": held[0] if held else None, "second": held[-1] if held else None}
    # The next meeting of the learning network, where the third theme is on the agenda.
    _meeting(
        network, body, today + datetime.timedelta(days=21), "Vergaderzaal Co-ncept, Roeselare", coordinator
    )
    forum = _meeting(
        network,
        forum_body,
        today - datetime.timedelta(days=14),
        "Provinciehuis Boeverbos, Brugge",
        coordinator,
    )
    organisations = {
        org.name: org for org in Organisation.objects.filter(network_memberships__network=network)
    }
    created = 0
    themes = []
    for title, question, bottleneck_titles, findings, advice, meeting_key in THEMES:
        theme, new = LearningTheme.objects.get_or_create(
            network=network,
            title=title,
            defaults={
                "question": question, "findings": findings, "advice": advice, "proposed_by": coordinator,
                "proposed_on": today - datetime.timedelta(days=170),
            },
        )  # fmt: skip
        themes.append(theme)
        if not new:
            continue
        created += 1
        theme.bottlenecks.set(Bottleneck.objects.filter(network=network, title__in=bottleneck_titles))
        meeting = meetings.get(meeting_key) if meeting_key else None
        if meeting is not None:
            theme.discussed_in.add(meeting)
            theme.status = LearningTheme.Status.DISCUSSED
            theme.save(update_fields=["status"])
            for bottleneck in theme.bottlenecks.all():
                bottleneck.discussed_in.add(meeting)
    for index, kind, name, organisation, expertise in EXPERTS:
        ThemeExpert.objects.get_or_create(
            theme=themes[index],
            kind=kind,
            expertise=expertise,
            defaults={
                "name": name,
                "organisation": organisations.get(organisation),
                "organisation_name": "" if organisation in organisations else organisation,
                "meeting": themes[index].discussed_in.first(),
                "invited_by": coordinator,
            },
        )
    _signal_note(network, themes[0], forum, coordinator, today)
    return {"learning_themes": created}


def _meeting(network, body, day, location, coordinator) -> Meeting:
    existing = Meeting.objects.filter(body=body, starts_at__date=day).first()
    if existing is not None:
        return existing
    return Meeting.objects.create(
        network=network,
        body=body,
        starts_at=datetime.datetime.combine(day, datetime.time(13, 30), tzinfo=TZ),
        location=location,
        created_by=coordinator,
    )


def _signal_note(network, theme, forum, coordinator, today) -> None:
    """The first theme's note, rendered here (no worker needed to show it) and presented at the
    forum. The demo bottlenecks were passed on already (cases/demo_planmakers.py)."""
    if SignalNote.objects.filter(network=network, theme=theme).exists():
        return
    from networks.tasks import render_signal_note

    rows = list(theme.bottlenecks.order_by("category", "level", "pk"))
    ids = [b.pk for b in rows]
    note = SignalNote.objects.create(
        network=network, theme=theme, title=theme.title, addressed_to=ADDRESSEE, request_key=f"theme-{theme.pk}",
        requested_by=coordinator, presented_at=forum,
        snapshot=services_learning.build_snapshot(
            network=network, theme=theme, bottlenecks=rows, title=theme.title, addressed_to=ADDRESSEE,
            advice=theme.advice, blocked=counts.blocked_per_bottleneck(ids), blocked_total=counts.blocked_total(ids),
            day=today,
        ),
    )  # fmt: skip
    note.bottlenecks.set(rows)
    LearningTheme.objects.filter(pk=theme.pk).update(status=LearningTheme.Status.SIGNALLED)
    render_signal_note.apply(args=[note.pk])
