from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh.dashboard import Deadline, register_deadlines, register_panel
from ijh.models import User

from .access import confirmable_grants
from .models import ActionItem, Agreement, Membership


@register_panel("my-roles", template="networks/_dashboard_roles.html", order=10)
def my_roles(user: User) -> dict:
    # One query: the user's active roles with their network (and its region) or region.
    # In their period, also those still waiting for the organisation's confirmation (marked).
    roles = (
        Membership.objects.in_period()
        .filter(user=user)
        .exclude(confirmation=Membership.Confirmation.REFUSED)
        .select_related("network__region", "region", "organisation")
        .order_by("network__name", "region__name", "role")
    )
    roles = list(roles)
    # Kept on the user for the panels after this one (``home_roles``): a panel for one kind of
    # role asks no query of everyone else.
    user.home_roles = roles
    return {"roles": roles}


def home_roles(user: User) -> list[Membership]:
    """The user's roles in effect today, from the "my roles" panel of this request when it ran
    (it runs first), else one query. Lets a panel for one role cost nothing for other people."""
    roles = getattr(user, "home_roles", None)
    if roles is None:
        roles = list(Membership.objects.in_period().filter(user=user))
    return [role for role in roles if role.confirmation in Membership.EFFECTIVE_CONFIRMATIONS]


@register_panel("grants-to-confirm", template="networks/_dashboard_grants.html", order=5)
def grants_to_confirm(user: User) -> dict:
    # One query: roles given to people of the organisations I am contact person of, waiting for me.
    grants = list(
        confirmable_grants(user)
        .select_related("user", "network", "organisation")
        .order_by("granted_at", "pk")[:20]
    )
    return {"grants": grants}


@register_panel("my-actions", template="networks/_dashboard_actions.html", order=20)
def my_actions(user: User) -> dict:
    # One query: open actions the user owns, soonest first, with where they came from.
    actions = (
        ActionItem.objects.open()
        .filter(owner=user)
        .select_related("network", "meeting__body", "owner", "owner_organisation")
        .order_by("due_on", "pk")[:50]
    )
    return {
        "actions": list(actions),
        "action_statuses": ActionItem.Status.choices,
        "today": timezone.localdate(),
    }


@register_deadlines("agreements-expiring")
def expiring_agreements(user: User) -> list[Deadline]:
    """Agreements that expire within 60 days, for the people who keep them: the network's
    coordinators and chairs and the staff of its region. One query."""
    mine = Membership.objects.active().filter(user=user)
    agreements = (
        Agreement.objects.expiring()
        .filter(
            Q(network__in=mine.filter(role__in=Membership.MANAGING_NETWORK_ROLES).values("network_id"))
            | Q(network__region__in=mine.filter(role__in=Membership.REGION_ROLES).values("region_id"))
        )
        .select_related("network")
        .order_by("valid_until")
    )
    return [
        Deadline(
            due=agreement.valid_until,
            label=_("%(title)s (%(network)s) vervalt") % {"title": agreement, "network": agreement.network},
            url=reverse("networks:agreement-detail", args=[agreement.pk]),
            kind="agreement",
        )
        for agreement in agreements
    ]
