from .structure import DateInput, MembershipForm, NetworkFilterForm, NetworkMembershipForm, OrganisationForm

__all__ = ["DateInput", "MembershipForm", "NetworkFilterForm", "NetworkMembershipForm", "OrganisationForm"]
