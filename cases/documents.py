"""The generated case documents as documents: the facts of each kind read from the database, HTML
from a template in cases/templates/cases/documents/pdf/, then PDF through ijh/pdf.py.

Runs in the worker (cases/tasks.py). Web processes only import the small helpers at the top
(``parse_source``, ``source_of``, ``KINDS_BY_SOURCE``); WeasyPrint is imported lazily by
``ijh.pdf``.

Who reads these: conference documents go to the case team, the chair and the family, so they
carry the client's name; the referral letter goes to another organisation and carries only the
client fields the referral's ``shared_fields`` snapshot lists (the consent at the time).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Model, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import (
    CarePlanItem,
    CaseDocument,
    CaseTeamMember,
    ClientConference,
    ConferenceSession,
    DataField,
    Referral,
    SessionInvitation,
)

Kind = CaseDocument.Kind

# What each kind is made from; the panel offers these kinds on that source's page.
KINDS_BY_SOURCE = {
    "conference": (Kind.CONFERENCE_REQUEST, Kind.CARE_PLAN, Kind.FOLLOW_UP_SHEET),
    "session": (Kind.INVITATIONS, Kind.ATTENDANCE_LIST),
    "referral": (Kind.REFERRAL_LETTER,),
}
SOURCE_TYPE_OF_KIND = {kind: source_type for source_type, kinds in KINDS_BY_SOURCE.items() for kind in kinds}
SOURCE_MODELS = {"conference": ClientConference, "session": ConferenceSession, "referral": Referral}

# File names never carry a client's name: the kind in Dutch and the pseudonym.
FILE_STEMS = {
    Kind.CONFERENCE_REQUEST: "aanvraag-clientoverleg",
    Kind.INVITATIONS: "uitnodigingen",
    Kind.ATTENDANCE_LIST: "aanwezigheidslijst",
    Kind.CARE_PLAN: "werkplan",
    Kind.FOLLOW_UP_SHEET: "opvolgingsfiche",
    Kind.REFERRAL_LETTER: "verwijsbrief",
}

# Stylesheet and fonts are read from the repository's static folder, as for the practice report.
ASSETS_BASE_URL = (settings.BASE_DIR / "static").as_uri() + "/"


def parse_source(source: str) -> tuple[str, int]:
    """ "session:40" → ("session", 40); ValueError for anything else."""
    source_type, _sep, raw_id = source.partition(":")
    if source_type not in SOURCE_MODELS or not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 12:
        raise ValueError(f"not a document source: {source!r}")
    return source_type, int(raw_id)


def source_of(obj: Model) -> str:
    for source_type, model in SOURCE_MODELS.items():
        if isinstance(obj, model):
            return f"{source_type}:{obj.pk}"
    raise TypeError(f"documents are not made from {type(obj).__name__}")


def download_name(document: CaseDocument) -> str:
    day = timezone.localtime(document.finished_at or document.requested_at).date()
    return f"{FILE_STEMS[document.kind]}-{document.case.client.pseudonym}-{day:%Y-%m-%d}.pdf"


# --- contents -----------------------------------------------------------------------------------


@dataclass
class Owner:
    name: str
    organisation: str


def _owner(item: CarePlanItem) -> Owner:
    person = str(item.owner) if item.owner_id else item.owner_label
    organisation = item.owner_organisation.name if item.owner_organisation_id else ""
    return Owner(name=person or organisation, organisation=organisation if person else "")


def _conference(conference_id: int) -> ClientConference:
    return ClientConference.objects.select_related(
        "case__client",
        "network",
        "requesting_organisation__sector",
        "requested_by",
        "consent",
        "chair",
        "case_manager",
        "decided_by",
    ).get(pk=conference_id)


def _plan_items(conference: ClientConference) -> list[CarePlanItem]:
    items = list(
        conference.plan_items.select_related(
            "domain", "owner", "owner_organisation", "made_in", "reviewed_in"
        ).order_by("domain__order", "domain__name", "due_on", "id")
    )
    for item in items:
        item.owner_display = _owner(item)
    return items


def _by_domain(items: list[CarePlanItem]) -> list[dict]:
    groups: list[dict] = []
    for item in items:
        if not groups or groups[-1]["domain"].pk != item.domain_id:
            groups.append({"domain": item.domain, "items": []})
        groups[-1]["items"].append(item)
    return groups


def _conference_request(conference_id: int) -> dict:
    conference = _conference(conference_id)
    return {
        "conference": conference,
        "case": conference.case,
        "client": conference.case.client,
        "network": conference.network,
        "consent": conference.consent,
    }


def _care_plan(conference_id: int) -> dict:
    conference = _conference(conference_id)
    items = [item for item in _plan_items(conference) if item.status != CarePlanItem.Status.DROPPED]
    sessions = list(conference.sessions.exclude(status=ConferenceSession.Status.CANCELLED))
    return {
        "conference": conference,
        "case": conference.case,
        "client": conference.case.client,
        "network": conference.network,
        "domains": _by_domain(items),
        "item_count": len(items),
        "sessions": sessions,
    }


def _follow_up_sheet(conference_id: int) -> dict:
    conference = _conference(conference_id)
    items = _plan_items(conference)
    counts = dict.fromkeys(CarePlanItem.Status, 0)
    for item in items:
        counts[CarePlanItem.Status(item.status)] += 1
    last_session = (
        conference.sessions.filter(status=ConferenceSession.Status.HELD).order_by("-starts_at").first()
    )
    return {
        "conference": conference,
        "case": conference.case,
        "client": conference.case.client,
        "network": conference.network,
        "domains": _by_domain(items),
        "item_count": len(items),
        "counts": [{"label": status.label, "value": counts[status]} for status in CarePlanItem.Status],
        "last_session": last_session,
        "today": timezone.localdate(),
    }


# The family first, then their network, then the professionals.
INVITEE_ORDER = models.Case(
    *(
        models.When(kind=kind, then=models.Value(position))
        for position, kind in enumerate(
            (
                SessionInvitation.Kind.CLIENT,
                SessionInvitation.Kind.PARENT,
                SessionInvitation.Kind.OTHER,
                SessionInvitation.Kind.PROFESSIONAL,
            )
        )
    ),
    default=models.Value(9),
)


def _session(session_id: int) -> ConferenceSession:
    return (
        ConferenceSession.objects.select_related(
            "conference__case__client", "conference__network", "conference__chair"
        )
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=SessionInvitation.objects.select_related("organisation").order_by(
                    INVITEE_ORDER, "name", "id"
                ),
            )
        )
        .get(pk=session_id)
    )


def _invitations(session_id: int) -> dict:
    session = _session(session_id)
    conference = session.conference
    return {
        "session": session,
        "conference": conference,
        "case": conference.case,
        "client": conference.case.client,
        "network": conference.network,
        "invitations": list(session.invitations.all()),
    }


def _attendance_list(session_id: int) -> dict:
    context = _invitations(session_id)
    # Before the session the list is printed to be signed on the day: the column stays empty.
    context["recorded"] = context["session"].status == ConferenceSession.Status.HELD
    return context


def _referral_letter(referral_id: int) -> dict:
    referral = Referral.objects.select_related(
        "case__client",
        "network",
        "from_organisation",
        "to_organisation",
        "agreement",
        "consent",
        "sent_by",
    ).get(pk=referral_id)
    case, client = referral.case, referral.case.client
    shared = set(referral.shared_fields or [])
    # Only what the snapshot of the consent lists; anything else stays out of the letter.
    fields: list[dict] = []
    if DataField.NAME in shared:
        fields.append({"label": _("Naam"), "value": client.full_name or "–"})
    if DataField.BIRTH_DATE in shared:
        birth = client.birth_date.strftime("%d/%m/%Y") if client.birth_date else "–"
        fields.append({"label": _("Geboortedatum"), "value": birth})
    if DataField.GENDER in shared:
        fields.append({"label": _("Gender"), "value": client.get_gender_display()})
    if DataField.POSTCODE in shared:
        fields.append({"label": _("Postcode"), "value": client.postcode or "–"})
    plan_items: list[CarePlanItem] = []
    if DataField.CARE_PLAN in shared:
        plan_items = list(
            CarePlanItem.objects.filter(conference__case=case, status=CarePlanItem.Status.OPEN)
            .select_related("domain", "owner", "owner_organisation")
            .order_by("domain__order", "due_on", "id")
        )
        for item in plan_items:
            item.owner_display = _owner(item)
    team: list[str] = []
    if DataField.TEAM in shared:
        team = sorted(
            {
                row.organisation.name
                for row in CaseTeamMember.objects.active().filter(case=case).select_related("organisation")
            }
        )
    return {
        "referral": referral,
        "case": case,
        "client": client,
        "network": referral.network,
        "agreement": referral.agreement,
        "fields": fields,
        "share_context": DataField.QUESTION in shared,
        "share_plan": DataField.CARE_PLAN in shared,
        "share_team": DataField.TEAM in shared,
        "plan_items": plan_items,
        "team": team,
        "shared_labels": [DataField(value).label for value in DataField.values if value in shared],
    }


BUILDERS = {
    Kind.CONFERENCE_REQUEST: _conference_request,
    Kind.INVITATIONS: _invitations,
    Kind.ATTENDANCE_LIST: _attendance_list,
    Kind.CARE_PLAN: _care_plan,
    Kind.FOLLOW_UP_SHEET: _follow_up_sheet,
    Kind.REFERRAL_LETTER: _referral_letter,
}


def render_html(document: CaseDocument, *, today: datetime.date | None = None) -> str:
    """The document's HTML, in Dutch whoever asked for it (the worker has no request)."""
    source_type, source_id = parse_source(document.source)
    if SOURCE_TYPE_OF_KIND[document.kind] != source_type:
        raise ValueError(f"{document.kind} is not made from a {source_type}")
    day = today or timezone.localdate()
    with translation.override("nl-be"):
        context = BUILDERS[CaseDocument.Kind(document.kind)](source_id)
        if context["case"].pk != document.case_id:
            raise ValueError("the source belongs to another case")
        title = CaseDocument.Kind(document.kind).label
        context.update(
            {
                "title": title[:1].upper() + title[1:],
                "kind": document.kind,
                "generated": day,
                "generated_iso": day.isoformat(),
            }
        )
        return render_to_string(f"cases/documents/pdf/{document.kind}.html", context)


def render_pdf(document: CaseDocument) -> bytes:
    from ijh.pdf import html_to_pdf

    return html_to_pdf(render_html(document), base_url=ASSETS_BASE_URL)
