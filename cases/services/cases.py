"""Cases, the case team and consent."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.mail import absolute_url, send_mail_once
from ijh.models import User
from networks.models import Organisation

from ..models import (
    Case,
    CaseTeamMember,
    Client,
    ConferenceSession,
    Consent,
    Referral,
    SessionInvitation,
    SharingReview,
    TimelineEvent,
)


def log_event(
    *,
    case: Case,
    by: User | None,
    kind: str,
    obj: models.Model | None = None,
    detail: str = "",
    action: str = "",
    changed_fields=(),
) -> TimelineEvent:
    """One line on the case timeline and one audit event. ``detail`` must not hold client data
    that the team would not already see; it is never copied into the audit log."""
    target = obj if obj is not None else case
    event = TimelineEvent.objects.create(
        case=case,
        kind=kind,
        detail=detail[:250],
        actor=by if by is not None and by.is_authenticated else None,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
    )
    audit.record(
        by,
        action or f"{target._meta.model_name}.{kind}",
        target,
        network_id=case.network_id,
        case_id=case.pk,  # the file's history in the audit log, writes beside reads
        changed_fields=changed_fields,
    )
    return event


def covering_consent(
    *, case: Case, purpose: str, organisation: Organisation | None = None, on=None
) -> Consent:
    """The consent (or legal ground) that allows this sharing, or a ValidationError in Dutch.

    A withdrawn consent blocks from its day on: the message says so, so the caseworker knows why.
    """
    consent = case.consents.covering(purpose, organisation, on=on).order_by("-given_on", "-id").first()
    if consent is not None:
        return consent
    label = Consent.Purpose(purpose).label
    withdrawn = case.consents.filter(withdrawn_on__isnull=False, **{Consent.PURPOSE_FIELDS[purpose]: True})
    if organisation is not None:
        withdrawn = withdrawn.filter(organisations=organisation)
    if withdrawn.exists():
        message = _(
            "De toestemming voor %(purpose)s is ingetrokken. Zonder nieuwe toestemming of wettelijke grond "
            "worden geen gegevens meer gedeeld."
        )
    elif organisation is not None:
        message = _(
            "Er is geen geldige toestemming of wettelijke grond voor %(purpose)s die %(org)s noemt. "
            "Registreer eerst de toestemming."
        )
    else:
        message = _(
            "Er is geen geldige toestemming of wettelijke grond voor %(purpose)s. Registreer eerst de toestemming."
        )
    raise ValidationError(message % {"purpose": label, "org": organisation}, code="no_consent")


@transaction.atomic
def open_case(
    *, client: Client, network, lead_organisation: Organisation, by: User, opened_on=None, summary: str = ""
) -> Case:
    """A new client file; the person opening it is on the team as lead, for the lead organisation."""
    client.full_clean()
    client.save()
    case = Case.objects.create(
        network=network,
        client=client,
        lead_organisation=lead_organisation,
        opened_on=opened_on or timezone.localdate(),
        summary=summary,
        created_by=by,
    )
    CaseTeamMember.objects.create(
        case=case,
        organisation=lead_organisation,
        user=by,
        role=CaseTeamMember.Role.LEAD,
        since=case.opened_on,
        added_by=by,
    )
    audit.record(by, "client.created", client, network_id=network.pk)
    log_event(
        case=case, by=by, kind=TimelineEvent.Kind.OPENED, detail=str(lead_organisation), action="case.opened"
    )
    return case


@transaction.atomic
def update_case(*, case: Case, client: Client, by: User, changed_fields: list[str]) -> Case:
    """Saves the case and its client (both edited on one form)."""
    if not changed_fields:
        return case
    client.full_clean()
    client.save()
    case.full_clean()
    case.save()
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.UPDATED,
        action="case.updated",
        changed_fields=changed_fields,
    )
    return case


@transaction.atomic
def close_case(*, case: Case, by: User, closed_on: datetime.date) -> Case:
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("De afsluitdatum ligt vóór de openingsdatum.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("Een dossier sluit je vandaag of achteraf af, niet vooraf.")})
    case.closed_on = closed_on
    case.save(update_fields=["closed_on"])
    # The team stays the team of the closed case: it keeps reading the file until retention
    # anonymises it (DESIGN.md §5). Ending the rows here would lock the team out of its own files.
    log_event(
        case=case, by=by, kind=TimelineEvent.Kind.CLOSED, action="case.closed", changed_fields=["closed_on"]
    )
    return case


@transaction.atomic
def add_team_member(
    *,
    case: Case,
    organisation: Organisation,
    by: User,
    user: User | None = None,
    role: str = CaseTeamMember.Role.CASEWORKER,
    since: datetime.date | None = None,
) -> CaseTeamMember:
    """Adding an organisation other than the ones already on the team shares the client's data
    with it, so it needs a consent (or legal ground) for the case team naming that organisation."""
    today = timezone.localdate()
    since = since or today
    # Decided on today, whatever ``since`` says: the sharing happens now. A backdated start must
    # not revive an ended row or a consent that was withdrawn in between.
    already_on_team = case.team.active(today).filter(organisation=organisation).exists()
    consent = None
    if not already_on_team and organisation.pk != case.lead_organisation_id:
        consent = covering_consent(
            case=case, purpose=Consent.Purpose.CASE_TEAM, organisation=organisation, on=today
        )
        if since != today:
            covering_consent(
                case=case, purpose=Consent.Purpose.CASE_TEAM, organisation=organisation, on=since
            )
    member = CaseTeamMember.objects.create(
        case=case, organisation=organisation, user=user, role=role, since=since, consent=consent, added_by=by
    )
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.TEAM_ADDED,
        obj=member,
        detail=f"{user.get_full_name() + ', ' if user else ''}{organisation}",
        action="case_team.added",
    )
    return member


@transaction.atomic
def end_team_member(
    *, member: CaseTeamMember, by: User, until: datetime.date | None = None
) -> CaseTeamMember:
    until = until or timezone.localdate()
    if until < member.since:
        raise ValidationError({"until": _("De einddatum ligt vóór de begindatum.")})
    member.until = until
    member.save(update_fields=["until"])
    log_event(
        case=member.case,
        by=by,
        kind=TimelineEvent.Kind.TEAM_ENDED,
        obj=member,
        detail=str(member),
        action="case_team.ended",
        changed_fields=["until"],
    )
    return member


@transaction.atomic
def record_consent(*, consent: Consent, organisations, by: User) -> Consent:
    """``consent`` is an unsaved, validated instance (from the form)."""
    consent.recorded_by = by
    consent.save()
    consent.organisations.set(organisations)
    log_event(
        case=consent.case,
        by=by,
        kind=TimelineEvent.Kind.CONSENT_RECORDED,
        obj=consent,
        detail=", ".join(
            str(label)
            for purpose, label in Consent.Purpose.choices
            if getattr(consent, Consent.PURPOSE_FIELDS[purpose])
        ),
        action="consent.recorded",
    )
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, by: User, withdrawn_on: datetime.date, note: str = "") -> Consent:
    """From ``withdrawn_on`` on, nothing new is shared on this consent. What was shared under it
    is listed for the team to end or keep (``SharingReview``; decided in services/sharing.py);
    invitations to sessions still to come are cancelled now, with a message to the chair."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Deze toestemming is al ingetrokken."))
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
    log_event(
        case=consent.case,
        by=by,
        kind=TimelineEvent.Kind.CONSENT_WITHDRAWN,
        obj=consent,
        action="consent.withdrawn",
        changed_fields=["withdrawn_on", "withdrawal_note"],
    )
    _list_what_was_shared(consent=consent)
    _cancel_future_invitations(consent=consent, by=by)
    return consent


def _list_what_was_shared(*, consent: Consent) -> None:
    """Team rows added under the consent and still running, and referrals still under way."""
    team_rows = CaseTeamMember.objects.filter(case_id=consent.case_id, consent=consent).filter(
        models.Q(until__isnull=True) | models.Q(until__gte=consent.withdrawn_on)
    )
    referrals = Referral.objects.filter(consent=consent).exclude(
        status__in=(Referral.Status.DECLINED, Referral.Status.WITHDRAWN)
    )
    SharingReview.objects.bulk_create(
        [SharingReview(consent=consent, team_member=row) for row in team_rows]
        + [SharingReview(consent=consent, referral=referral) for referral in referrals],
        ignore_conflicts=True,
    )


def _cancel_future_invitations(*, consent: Consent, by: User) -> None:
    """Invitations to planned sessions of conferences that rely on this consent: cancelled, each
    on the record, and the chair told (pseudonym only: a mail leaves the product)."""
    invitations = list(
        SessionInvitation.objects.filter(
            session__conference__consent=consent,
            session__status=ConferenceSession.Status.PLANNED,
            session__starts_at__gte=timezone.now(),
            cancelled_on__isnull=True,
        ).select_related("session__conference__chair", "session__conference__case__client")
    )
    if not invitations:
        return
    today = timezone.localdate()
    reason = _("toestemming ingetrokken op %(day)s") % {"day": consent.withdrawn_on.strftime("%d/%m/%Y")}
    SessionInvitation.objects.filter(pk__in=[invitation.pk for invitation in invitations]).update(
        cancelled_on=today, cancel_reason=reason
    )
    SharingReview.objects.bulk_create(
        [
            SharingReview(
                consent=consent,
                invitation=invitation,
                decision=SharingReview.Decision.CANCELLED,
                decided_by=by,
                decided_at=timezone.now(),
            )
            for invitation in invitations
        ],
        ignore_conflicts=True,
    )
    conferences = {
        invitation.session.conference_id: invitation.session.conference for invitation in invitations
    }
    for invitation in invitations:
        audit.record(
            by,
            "session_invitation.cancelled",
            invitation,
            network_id=consent.case.network_id,
            case_id=consent.case_id,
            changed_fields=["cancelled_on", "cancel_reason"],
        )
    for conference in conferences.values():
        count = sum(1 for invitation in invitations if invitation.session.conference_id == conference.pk)
        log_event(
            case=consent.case,
            by=by,
            kind=TimelineEvent.Kind.INVITATIONS_CANCELLED,
            obj=conference,
            detail=_("%(n)s uitnodiging(en) voor komende overleggen") % {"n": count},
            action="conference.invitations_cancelled",
        )
        _tell_the_chair(conference=conference, consent=consent, count=count)


def _tell_the_chair(*, conference, consent: Consent, count: int) -> None:
    chair = conference.chair
    if chair is None or not chair.email:
        return
    pseudonym = conference.case.client.pseudonym
    send_mail_once(
        key=f"consent-withdrawn:{consent.pk}:conference:{conference.pk}",
        to=chair.email,
        subject=_("Uitnodigingen geannuleerd: toestemming ingetrokken (%(pseudonym)s)")
        % {"pseudonym": pseudonym},
        template="notice",
        context={
            "name": chair.get_full_name(),
            "paragraphs": [
                _(
                    "De toestemming waarop het cliëntoverleg voor %(pseudonym)s steunt, werd ingetrokken op "
                    "%(day)s. Daarom zijn %(n)s uitnodiging(en) voor komende overleggen geannuleerd; nieuwe "
                    "overleggen of uitnodigingen kunnen pas met een nieuwe toestemming."
                )
                % {"pseudonym": pseudonym, "day": consent.withdrawn_on.strftime("%d/%m/%Y"), "n": count},
            ],
            "link": absolute_url(reverse("cases:conference-detail", args=[conference.pk])),
            "link_label": _("Open het cliëntoverleg"),
        },
    )
