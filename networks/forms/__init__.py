from .meetings import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AttachmentForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
)
from .structure import DateInput, MembershipForm, NetworkFilterForm, NetworkMembershipForm, OrganisationForm

__all__ = [
    "ActionItemForm",
    "ActionStatusForm",
    "AgendaItemForm",
    "AttachmentForm",
    "AttendanceForm",
    "DateInput",
    "DecisionForm",
    "MeetingForm",
    "MembershipForm",
    "MinutesForm",
    "NetworkFilterForm",
    "NetworkMembershipForm",
    "OrganisationForm",
]
