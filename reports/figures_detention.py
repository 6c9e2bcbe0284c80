"""The practice report section of detention networks (issue 20 §7): reach per domain of the offer
(activities, places, participants, sessions held, sessions lost to security events, waiting),
and the trajectory guidance (guided detainees, plans made, referrals, transfers in and out,
releases, releases prepared in time), with a cohort of the guidance started in the period.

Seven queries whatever the data: activities per domain, sessions per domain, enrolments per
domain, guidance counts, releases, transfer counts, the cohort; in a report of more than one
prison (a region, Flanders) an eighth: the breakdown per prison, one row per prison with its
figures as correlated subqueries. Counts of people (participants, waiting,
detainees, transfers, releases) are suppressed below 5 by the snapshot layer; counts of
activities, places and sessions identify nobody.
"""

import datetime

from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cases.models import Guidance, GuidanceReferral, PlanGoal, Transfer
from instruments.models import Activity, ActivitySession, Enrolment
from networks.detention import DOMAINS
from networks.models import Network

from . import cohorts
from .sections import fact, section, table

# Prepared in time: the release warning (three months ahead) came at least this long before.
PREPARED_DAYS = 60
DAYS_30_90 = (datetime.timedelta(days=30), datetime.timedelta(days=90))


def has_detention_work(networks) -> bool:
    return any(network.kind == "detention" for network in networks)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _per_network(queryset, network_field: str, aggregate) -> Coalesce:
    """A count (or sum) over ``queryset`` for the network row at OuterRef("pk"), 0 when none."""
    rows = (
        queryset.filter(**{network_field: OuterRef("pk")})
        .order_by()
        .values(network_field)
        .annotate(n=aggregate)
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def per_prison_table(network_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """The breakdown per prison of a report over several (issue 20 §7): one query. Participants
    and waiting count a detainee once per prison; transfers in and out include those between two
    prisons of the same report (each prison sees its own side)."""
    since, until = _aware(start), _aware(end + datetime.timedelta(days=1))
    now = min(timezone.now(), until)
    running = Activity.objects.filter(starts_on__lte=end, ends_on__gte=start)
    sessions = ActivitySession.objects.filter(starts_at__gte=since, starts_at__lt=until)
    enrolments = Enrolment.objects.filter(requested_at__lt=until)
    accepted = Transfer.objects.filter(
        status=Transfer.Status.ACCEPTED, decided_at__gte=since, decided_at__lt=until
    )
    prisons = (
        Network.objects.filter(pk__in=network_ids)
        .annotate(
            fig_activities=_per_network(running, "network_id", Count("pk")),
            fig_places=_per_network(running, "network_id", Sum("places")),
            fig_participants=_per_network(
                enrolments.filter(
                    Q(enrolled_at__isnull=False, enrolled_at__lt=until)
                    & (Q(ended_at__isnull=True) | Q(ended_at__gte=since))
                ),
                "activity__network_id",
                Count("detainee_code", distinct=True),
            ),
            fig_held=_per_network(
                sessions.filter(status=ActivitySession.Status.PLANNED, starts_at__lt=now),
                "activity__network_id",
                Count("pk"),
            ),
            fig_lost=_per_network(
                sessions.filter(cancel_reason=ActivitySession.CancelReason.SECURITY),
                "activity__network_id",
                Count("pk"),
            ),
            fig_waiting=_per_network(
                enrolments.filter(
                    Q(requested_at__gte=since)
                    & (Q(enrolled_at__isnull=True) | Q(enrolled_at__gt=F("requested_at")))
                ),
                "activity__network_id",
                Count("detainee_code", distinct=True),
            ),
            fig_guided=_per_network(
                Guidance.objects.filter(
                    Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
                ),
                "network_id",
                Count("pk"),
            ),
            fig_transfers_in=_per_network(accepted, "to_network_id", Count("pk")),
            fig_transfers_out=_per_network(accepted, "guidance__network_id", Count("pk")),
        )
        .order_by("name", "pk")
    )
    fields = (
        "activities",
        "places",
        "participants",
        "held",
        "lost",
        "waiting",
        "guided",
        "transfers_in",
        "transfers_out",
    )
    rows = [[prison.name, *(getattr(prison, f"fig_{name}") for name in fields)] for prison in prisons]
    total = [_("Totaal"), *(sum(row[i] for row in rows) for i in range(1, len(fields) + 1))]
    return table(
        "detention_per_prison",
        _("Per gevangenis"),
        [
            _("Gevangenis"),
            _("Activiteiten"),
            _("Plaatsen"),
            _("Deelnemers"),
            _("Sessies gehouden"),
            _("Sessies verloren door veiligheid"),
            _("Op wachtlijst gezet"),
            _("Begeleidingen lopend"),
            _("Overplaatsingen in"),
            _("Overplaatsingen uit"),
        ],
        rows,
        total=total,
        # counts of people: participants, waiting, guided detainees, transfers
        count_columns=[3, 6, 7, 8, 9],
        chart=False,
    )


def detention_sections(
    networks, start: datetime.date, end: datetime.date, *, as_of: datetime.date | None = None
) -> list[dict]:
    network_ids = [network.pk for network in networks if network.kind == "detention"]
    as_of = as_of or timezone.localdate()
    since, until = _aware(start), _aware(end + datetime.timedelta(days=1))
    now = min(timezone.now(), until)

    # 1. activities running in the period, per domain
    activities = {
        row["domain"]: row
        for row in Activity.objects.filter(network_id__in=network_ids, starts_on__lte=end, ends_on__gte=start)
        .values("domain")
        .annotate(n=Count("pk"), places=Coalesce(Sum("places"), Value(0), output_field=IntegerField()))
        .order_by()
    }
    # 2. sessions in the period, per domain: held (planned and started) and lost to security
    sessions = {
        row["activity__domain"]: row
        for row in ActivitySession.objects.filter(
            activity__network_id__in=network_ids, starts_at__gte=since, starts_at__lt=until
        )
        .values("activity__domain")
        .annotate(
            held=Count("pk", filter=Q(status=ActivitySession.Status.PLANNED, starts_at__lt=now)),
            lost=Count("pk", filter=Q(cancel_reason=ActivitySession.CancelReason.SECURITY)),
        )
        .order_by()
    }
    # 3. participants (on a list at some moment of the period) and waiting (put on a waiting list
    #    in the period), per domain; a detainee counts once per domain
    enrolments = {
        row["activity__domain"]: row
        for row in Enrolment.objects.filter(activity__network_id__in=network_ids, requested_at__lt=until)
        .values("activity__domain")
        .annotate(
            participants=Count(
                "detainee_code",
                distinct=True,
                filter=Q(enrolled_at__isnull=False, enrolled_at__lt=until)
                & (Q(ended_at__isnull=True) | Q(ended_at__gte=since)),
            ),
            waiting=Count(
                "detainee_code",
                distinct=True,
                filter=Q(requested_at__gte=since)
                & (Q(enrolled_at__isnull=True) | Q(enrolled_at__gt=F("requested_at"))),
            ),
        )
        .order_by()
    }
    rows = []
    for code, label in DOMAINS:
        a, s, e = activities.get(code, {}), sessions.get(code, {}), enrolments.get(code, {})
        rows.append(
            [
                capfirst(str(label)),
                a.get("n", 0),
                a.get("places", 0),
                e.get("participants", 0),
                s.get("held", 0),
                s.get("lost", 0),
                e.get("waiting", 0),
            ]
        )
    total = [_("Totaal"), *(sum(row[i] for row in rows) for i in range(1, 7))]
    # Participants and waiting are distinct per domain: someone in two domains counts in both,
    # so their totals are not the number of detainees reached (said in the definition).
    offer = section(
        "detention_offer",
        _("Aanbod in de gevangenis"),
        _("Bereik van het aanbod per domein in de periode."),
        _(
            "Activiteiten die in de periode liepen, hun plaatsen, de gedetineerden die in de periode op een "
            "deelnemerslijst stonden (per domein één keer geteld), de sessies die plaatsvonden, de sessies die "
            "wegvielen door een veiligheidsincident (lockdown, incident, staking) en de gedetineerden die in de "
            "periode op een wachtlijst kwamen. Wie in twee domeinen deelneemt, telt in beide."
        ),
        [
            table(
                "detention_offer_by_domain",
                _("Bereik per domein"),
                [
                    _("Domein"),
                    _("Activiteiten"),
                    _("Plaatsen"),
                    _("Deelnemers"),
                    _("Sessies gehouden"),
                    _("Sessies verloren door veiligheid"),
                    _("Op wachtlijst gezet"),
                ],
                rows,
                total=total,
                count_columns=[3, 6],
                chart=False,
            ),
            *([per_prison_table(network_ids, start, end)] if len(network_ids) > 1 else []),
        ],
        [
            fact(_("Sessies gehouden"), total[4], is_count=False),
            fact(_("Sessies verloren door veiligheidsincidenten"), total[5], is_count=False),
        ],
    )

    # 4. guidance in the period (one query)
    guidance = Guidance.objects.filter(network_id__in=network_ids).aggregate(
        started=Count("pk", filter=Q(started_on__range=(start, end), transferred_from__isnull=True)),
        running=Count(
            "pk", filter=Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        ),
        with_plan=Count(
            "pk",
            filter=Q(
                Exists(
                    PlanGoal.objects.filter(
                        guidance=OuterRef("pk"), created_at__gte=since, created_at__lt=until
                    )
                )
            ),
        ),
        referred=Count(
            "pk",
            filter=Q(
                Exists(
                    GuidanceReferral.objects.filter(
                        guidance=OuterRef("pk"), created_at__gte=since, created_at__lt=until
                    )
                )
            ),
        ),
        released=Count("pk", filter=Q(ended_on__range=(start, end), end_reason=Guidance.EndReason.RELEASED)),
    )
    # released in the period and warned in time (one query; the day arithmetic in Python keeps it
    # the same on SQLite and PostgreSQL)
    released = Guidance.objects.filter(
        network_id__in=network_ids, ended_on__range=(start, end), end_reason=Guidance.EndReason.RELEASED
    ).values_list("ended_on", "release_warned_on")
    guidance["released_prepared"] = sum(
        1 for ended, warned in released if warned and (ended - warned).days >= PREPARED_DAYS
    )
    # 5. transfers decided in the period, in and out (one query)
    transfers = Transfer.objects.filter(
        Q(guidance__network_id__in=network_ids) | Q(to_network_id__in=network_ids),
        status=Transfer.Status.ACCEPTED,
        decided_at__gte=since,
        decided_at__lt=until,
    ).aggregate(
        out=Count("pk", filter=Q(guidance__network_id__in=network_ids) & ~Q(to_network_id__in=network_ids)),
        into=Count("pk", filter=Q(to_network_id__in=network_ids) & ~Q(guidance__network_id__in=network_ids)),
        within=Count("pk", filter=Q(to_network_id__in=network_ids, guidance__network_id__in=network_ids)),
    )
    # 6. the cohort: guidance started in the period, to its first plan goal and first referral
    milestones = [
        cohorts.Milestone("plan", _("Eerste doel in het plan"), "first_goal", within=DAYS_30_90),
        cohorts.Milestone("referral", _("Eerste toeleiding"), "first_referral", within=DAYS_30_90),
    ]
    started = Guidance.objects.filter(
        network_id__in=network_ids, started_on__range=(start, end), transferred_from__isnull=True
    ).annotate(first_goal=Min("goals__created_at"), first_referral=Min("referrals__created_at"))
    cohort = cohorts.combined(
        cohorts.cohort_figures(
            started, start_field="started_on", milestones=milestones, as_of=as_of
        ).values(),
        milestones,
    )
    guided = section(
        "detention_guidance",
        _("Trajectbegeleiding van gedetineerden"),
        _("Begeleide gedetineerden, plannen, toeleiding, overplaatsingen en vrijlatingen in de periode."),
        _(
            "Gestart: nieuwe trajectbegeleidingen (niet de overnames na een overplaatsing). Lopend: begeleidingen "
            "die in de periode liepen. Plannen gemaakt: begeleidingen met een doel dat in de periode in het detentie- "
            "en re-integratieplan kwam. Vrijlatingen tijdig voorbereid: vrijgelaten in de periode, met de "
            "waarschuwing (drie maanden vooraf) minstens 60 dagen voor de vrijlating. Overplaatsingen: aanvaard in de "
            "periode; tussen twee gevangenissen van hetzelfde rapport telt een overplaatsing als intern."
        ),
        [
            cohorts.funnel_table(
                "detention_guidance_cohort",
                _("Cohorte: begeleidingen gestart in de periode"),
                cohort,
                milestones,
                start_label=_("Gestart"),
            )
        ],
        [
            fact(_("Begeleidingen gestart"), guidance["started"], is_count=True, key="guidance_started"),
            fact(_("Begeleidingen lopend"), guidance["running"], is_count=True),
            fact(_("Plannen gemaakt of aangevuld"), guidance["with_plan"], is_count=True),
            fact(_("Toegeleid of doorverwezen"), guidance["referred"], is_count=True),
            fact(_("Vrijgelaten"), guidance["released"], is_count=True, key="released"),
            fact(_("Vrijlatingen tijdig voorbereid"), guidance["released_prepared"], is_count=True),
            fact(_("Overplaatsingen naar een andere gevangenis"), transfers["out"], is_count=True),
            fact(_("Overplaatsingen uit een andere gevangenis"), transfers["into"], is_count=True),
            fact(
                _("Overplaatsingen tussen gevangenissen van dit rapport"), transfers["within"], is_count=True
            ),
        ],
    )
    return [offer, guided]
