"""Home page panel for the coordinator of a planmaker network: the learning network is behind on
its meetings this year (research 003: "minstens 4x/jaar") or has no forum planned yet ("minstens
1x/jaar"). One query, and none for people who coordinate no network."""

from django.db.models import Count, Q
from django.utils import timezone

from ijh.dashboard import register_panel
from ijh.models import User

from .dashboard import home_roles
from .models import MIN_FORUMS_PER_YEAR, MIN_LEARNING_MEETINGS_PER_YEAR, Body, Membership, Network


@register_panel("learning-network-behind", template="networks/_dashboard_learning.html", order=25)
def learning_network_behind(user: User) -> dict:
    year = timezone.localdate().year
    # Planmaker networks the user coordinates, from the roles the home page already has: no
    # query for everyone else.
    coordinated = {role.network_id for role in home_roles(user) if role.role == Membership.Role.COORDINATOR}
    if not coordinated:
        return {"behind": [], "year": year, "minimum": MIN_LEARNING_MEETINGS_PER_YEAR}
    in_year = Q(meetings__starts_at__year=year)
    networks = (
        Network.objects.filter(kind=Network.Kind.PLANMAKER, pk__in=coordinated)
        .annotate(
            learning=Count("meetings", filter=in_year & Q(meetings__body__kind=Body.Kind.LEARNING_NETWORK)),
            forums=Count("meetings", filter=in_year & Q(meetings__body__kind=Body.Kind.FORUM)),
        )
        .order_by("name")
    )
    behind = [
        network
        for network in networks
        if network.learning < MIN_LEARNING_MEETINGS_PER_YEAR or network.forums < MIN_FORUMS_PER_YEAR
    ]
    return {"behind": behind, "year": year, "minimum": MIN_LEARNING_MEETINGS_PER_YEAR}
