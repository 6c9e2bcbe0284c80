"""The planmakers section of the practice report (issue 19): aanmeldingen, decisions, phases
reached, outcomes, the cohort aanmelding → accepted → mandate → shared plan, and bottlenecks by
category and level, and the start and three-month meetings due vs held (on time or late). Every count of trajectories is a count of young people: suppressed below 5
(``count_columns``, ``is_count``). Bottleneck counts identify nobody and show as they are; the
trajectories they block are people and are suppressed. Four queries.
"""

import datetime

from django.utils.translation import gettext as _

from cases.figures_trajectories import SCHEDULED_KINDS, meeting_figures, trajectory_figures
from cases.models import Trajectory, TrajectoryMeeting
from networks.models import Bottleneck, Network

from . import cohorts
from .cohorts import DAYS_30_60_90, Milestone
from .sections import fact as _fact
from .sections import section as _section
from .sections import table as _table


def has_planmaker_work(networks) -> bool:
    return any(network.kind == Network.Kind.PLANMAKER for network in networks)


def trajectory_milestones() -> list[Milestone]:
    return [
        Milestone("accepted", _("Aanvaard (verbinden gestart)"), "connecting_on", within=DAYS_30_60_90),
        Milestone("mandate", _("Mandaat"), "mandate_on", within=DAYS_30_60_90),
        Milestone("plan", _("Gedeeld plan"), "plan_on", within=DAYS_30_60_90),
    ]


def planmaker_sections(
    networks: list[Network], start: datetime.date, end: datetime.date, *, as_of: datetime.date | None = None
) -> list[dict]:
    network_ids = [network.pk for network in networks if network.kind == Network.Kind.PLANMAKER]
    figures = trajectory_figures(network_ids=network_ids, start=start, end=end)
    meeting_counts = meeting_figures(network_ids=network_ids, start=start, end=end)
    meeting_kinds = dict(TrajectoryMeeting.Kind.choices)
    meeting_columns = ("due", "held", "on_time", "late", "not_held")
    cohort = cohorts.cohort_figures(
        Trajectory.objects.filter(network_id__in=network_ids, referred_on__range=(start, end)),
        start_field="referred_on",
        milestones=trajectory_milestones(),
        group_by=None,
        as_of=as_of,
    ).get(None) or cohorts.Cohort.empty(trajectory_milestones())
    outcomes = dict(Trajectory.Outcome.choices)
    phases = dict(Trajectory.Phase.choices)
    categories = dict(Bottleneck.Category.choices)
    levels = dict(Bottleneck.Level.choices)
    closed = figures["reached"][Trajectory.Phase.CLOSED]
    return [
        _section(
            "planmakers",
            _("Planmakers"),
            _(
                "Vastgelopen trajecten die bij de planmakers aangemeld werden, hoe ver ze kwamen en wat ze blokkeert."
            ),
            _(
                "Periodecijfers. Aanmeldingen: aangemeld in de periode. Aanvaard en niet aanvaard: de "
                "coördinator besliste in de periode, ook over een aanmelding van een vorige periode. Fasen: "
                "trajecten die de fase in de periode bereikten. Uitkomsten: trajecten afgesloten in de periode. "
                "Cohort: de aanmeldingen van de periode, gevolgd tot de dag waarop de cijfers berekend werden "
                "(aanvaard, mandaat, gedeeld plan; binnen 30, 60 en 90 dagen; mediaan dagen vanaf 5 trajecten). "
                "Samenwerkingsoverleg: start- en driemaandenoverleggen die in de periode te houden waren, en "
                "of ze tegen de einddatum gehouden werden, op tijd (uiterlijk op de dag waartegen ze te houden "
                "waren) of te laat; niet meegeteld als het traject vóór die dag afgesloten werd. "
                "Knelpunten: gesignaleerd tot het einde van de periode, per categorie en niveau, met het aantal "
                "trajecten waarin ze spelen, en per status op de einddatum."
            ),
            [
                _table(
                    "planmaker_phases",
                    _("Trajecten die een fase bereikten"),
                    [_("Fase"), _("Trajecten")],
                    [[str(phases[phase]), count] for phase, count in figures["reached"].items()],
                    count_columns=[1],
                ),
                {
                    **_table(
                        "planmaker_outcomes",
                        _("Afgesloten trajecten per uitkomst"),
                        [_("Uitkomst"), _("Trajecten")],
                        [[str(outcomes[code]), count] for code, count in figures["outcomes"].items()],
                        total=[_("Totaal"), closed],
                        count_columns=[1],
                    ),
                    "total_same_as": [[1, {"fact": "closed"}]],
                },
                cohorts.funnel_table(
                    "planmaker_cohort",
                    _("Cohort: aanmeldingen van de periode en wat ermee gebeurde"),
                    cohort,
                    trajectory_milestones(),
                    start_label=_("Aanmeldingen in de periode"),
                ),
                {
                    **_table(
                        "planmaker_meetings",
                        _("Samenwerkingsoverleg: te houden en gehouden"),
                        [
                            _("Overleg"),
                            _("Te houden in de periode"),
                            _("Gehouden"),
                            _("Op tijd"),
                            _("Te laat"),
                            _("Niet gehouden"),
                        ],
                        [
                            [str(meeting_kinds[kind]), *(meeting_counts[kind][c] for c in meeting_columns)]
                            for kind in SCHEDULED_KINDS
                        ],
                        total=[
                            _("Totaal"),
                            *(
                                sum(meeting_counts[kind][c] for kind in SCHEDULED_KINDS)
                                for c in meeting_columns
                            ),
                        ],
                        count_columns=[1, 2, 3, 4, 5],
                    ),
                    # Each meeting is a young person's: due = held + not held, held = on time + late.
                    "row_sums": [[1, [2, 5]], [2, [3, 4]]],
                },
                _table(
                    "planmaker_bottlenecks",
                    _("Knelpunten per categorie en niveau"),
                    [_("Categorie"), _("Niveau"), _("Nieuw in de periode"), _("Knelpunten"), _("Trajecten")],
                    [
                        [
                            str(categories.get(row["category"], row["category"])),
                            str(levels.get(row["level"], row["level"])),
                            row["signalled"],
                            row["total"],
                            row["trajectories"],
                        ]
                        for row in figures["bottlenecks"]
                    ],
                    count_columns=[4],
                ),
                _table(
                    "planmaker_bottleneck_status",
                    _("Knelpunten per status op de einddatum"),
                    [_("Status"), _("Knelpunten")],
                    [
                        [str(label), sum(row[key] for row in figures["bottlenecks"])]
                        for key, label in (
                            ("open", _("gesignaleerd, nog niet besproken")),
                            ("discussed", Bottleneck.Status.DISCUSSED.label),
                            ("passed_on", Bottleneck.Status.PASSED_ON.label),
                            ("resolved", Bottleneck.Status.ANSWERED.label),
                            ("not_resolvable", Bottleneck.Status.NOT_RESOLVABLE.label),
                        )
                    ],
                ),
            ],
            [
                _fact(_("Aanmeldingen"), figures["referred"], is_count=True, key="referred"),
                _fact(_("Aanvaard"), figures["accepted"], is_count=True, key="accepted"),
                _fact(_("Niet aanvaard"), figures["declined"], is_count=True, key="declined"),
                _fact(_("Lopend op de einddatum"), figures["active_at_end"], is_count=True),
                _fact(_("Afgesloten"), closed, is_count=True, key="closed"),
            ],
        )
    ]
