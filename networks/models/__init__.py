"""The networks domain, one module per aggregate (DESIGN.md §3)."""

from .agreements import EXPIRY_REMINDER_DAYS, Agreement, AgreementSignatory
from .assessment import MIN_RESPONDENTS_FOR_RESULTS, Criterion, Score, SelfAssessmentRound
from .bottlenecks import Bottleneck
from .carousel import CarouselSettings
from .goals import Goal, GoalProgress
from .invitations import Invitation
from .learning import (
    MIN_FORUMS_PER_YEAR,
    MIN_LEARNING_MEETINGS_PER_YEAR,
    LearningTheme,
    SignalNote,
    ThemeExpert,
)
from .meetings import (
    ActionItem,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    ReminderWatermark,
)
from .structure import (
    Body,
    Membership,
    MembershipQuerySet,
    Network,
    NetworkMembership,
    Organisation,
    Period,
    PeriodQuerySet,
    Region,
    Sector,
)

__all__ = [
    "EXPIRY_REMINDER_DAYS",
    "MIN_FORUMS_PER_YEAR",
    "MIN_LEARNING_MEETINGS_PER_YEAR",
    "MIN_RESPONDENTS_FOR_RESULTS",
    "ActionItem",
    "AgendaItem",
    "Agreement",
    "AgreementSignatory",
    "Attachment",
    "Attendance",
    "Body",
    "Bottleneck",
    "CarouselSettings",
    "Criterion",
    "Decision",
    "Goal",
    "GoalProgress",
    "Invitation",
    "LearningTheme",
    "Meeting",
    "Membership",
    "MembershipQuerySet",
    "Minutes",
    "Network",
    "NetworkMembership",
    "Organisation",
    "Period",
    "PeriodQuerySet",
    "Region",
    "ReminderWatermark",
    "Score",
    "Sector",
    "SelfAssessmentRound",
    "SignalNote",
    "ThemeExpert",
]
