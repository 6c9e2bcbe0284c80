from .accounts import InvitationForm, ReminderPreferencesForm
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
from .structure import (
    DateInput,
    MembershipEditForm,
    MembershipForm,
    NetworkFilterForm,
    NetworkMembershipForm,
    OrganisationForm,
)

__all__ = [
    "ActionItemForm",
    "ActionStatusForm",
    "AgendaItemForm",
    "AttachmentForm",
    "AttendanceForm",
    "DateInput",
    "DecisionForm",
    "InvitationForm",
    "MeetingForm",
    "MembershipEditForm",
    "MembershipForm",
    "MinutesForm",
    "NetworkFilterForm",
    "NetworkMembershipForm",
    "OrganisationForm",
    "ReminderPreferencesForm",
]
