"""The cases domain (DESIGN.md §3): clients, cases, consent and the team, and the instruments
used on a case. Everything here is client data: reach it through ``cases.access`` only."""

from .carousel import CarouselSignal, CarouselSnapshot
from .cases import (
    CASE_ROLES,
    Case,
    CaseQuerySet,
    CaseTeamMember,
    Client,
    Consent,
    DataField,
    TimelineEvent,
)
from .conferences import (
    CarePlanItem,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    SessionInvitation,
)
from .crisis import CrisisCall, CrisisConflict, CrisisEpisode, CrisisStep
from .detention import Guidance, GuidanceReferral, PlanGoal, Transfer
from .documents import CaseDocument
from .referrals import Referral
from .sharing import SharingReview
from .trajectories import PLANMAKER_GRACE_DAYS, SharedPlanItem, Trajectory
from .trajectory_meetings import IntervisieEntry, SupportPerson, TrajectoryMeeting

__all__ = [
    "CASE_ROLES",
    "PLANMAKER_GRACE_DAYS",
    "CarePlanItem",
    "CarouselSignal",
    "CarouselSnapshot",
    "Case",
    "CaseDocument",
    "CaseQuerySet",
    "CaseTeamMember",
    "Client",
    "ClientConference",
    "ConferenceEvaluation",
    "ConferenceSession",
    "Consent",
    "CrisisCall",
    "CrisisConflict",
    "CrisisEpisode",
    "CrisisStep",
    "DataField",
    "Guidance",
    "GuidanceReferral",
    "IntervisieEntry",
    "PlanGoal",
    "Referral",
    "SessionInvitation",
    "SharedPlanItem",
    "SharingReview",
    "SupportPerson",
    "TimelineEvent",
    "Trajectory",
    "TrajectoryMeeting",
    "Transfer",
]
