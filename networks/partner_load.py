"""Partner load (samenwerkingsmoeheid): how much collaboration weighs on the organisations and
people of one network, counted across ALL networks, not only this one.

Per organisation that is an active member of the network, and per person with an active role in
it: the number of networks they take part in, the number of bodies they sit in (seats of active
memberships) and the number of meetings they were invited to in the last half year. Each figure is
a correlated COUNT subquery, so a list costs one query however long it is.
"""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.models import User

from .models import Attendance, Membership, Network, NetworkMembership, Organisation
from .queries import distinct_count_per_row

# "Invited in the last half year": meetings that started at most this long ago (and not later than now).
INVITATION_WINDOW = datetime.timedelta(days=183)

# Sort keys offered on the page (Dutch, they show in the URL) → the annotation that leads.
SORTS = {
    "vergaderingen": "meeting_count",
    "organen": "body_count",
    "netwerken": "network_count",
}
SORT_LABELS = {
    "vergaderingen": _("vergaderingen"),
    "organen": _("organen"),
    "netwerken": _("netwerken"),
}
DEFAULT_SORT = "vergaderingen"
_LOAD_FIELDS = ("meeting_count", "body_count", "network_count")


def _ordering(sort: str, *names: str) -> list[str]:
    """Highest load first on the chosen figure, then the other figures, then by name."""
    leading = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return [f"-{leading}", *(f"-{field}" for field in _LOAD_FIELDS if field != leading), *names]


def _window(now: datetime.datetime | None) -> tuple[datetime.datetime, datetime.datetime]:
    now = now or timezone.now()
    return now - INVITATION_WINDOW, now


def organisation_load(
    network: Network,
    *,
    sort: str = DEFAULT_SORT,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Organisation]:
    """Member organisations of ``network`` with ``network_count``, ``body_count``, ``meeting_count``.

    - networks: active organisation memberships (NetworkMembership), any network;
    - bodies: distinct bodies in which someone representing the organisation holds a seat through
      an active role (Membership.bodies), any network;
    - meetings: distinct meetings of the last half year with an invitation on behalf of the
      organisation (Attendance.organisation), so two colleagues at one meeting count once.
    """
    since, until = _window(now)
    active_organisation_memberships = NetworkMembership.objects.active(today)
    seats = Membership.bodies.through.objects.filter(membership__in=Membership.objects.active(today))
    invitations = Attendance.objects.filter(meeting__starts_at__gte=since, meeting__starts_at__lte=until)
    return (
        Organisation.objects.filter(
            pk__in=active_organisation_memberships.filter(network=network).values("organisation_id")
        )
        .select_related("sector")
        .annotate(
            network_count=distinct_count_per_row(active_organisation_memberships, "organisation", "network"),
            body_count=distinct_count_per_row(seats, "membership__organisation", "body"),
            meeting_count=distinct_count_per_row(invitations, "organisation", "meeting"),
        )
        .order_by(*_ordering(sort, "name", "pk"))
    )


def person_load(
    network: Network,
    *,
    sort: str = DEFAULT_SORT,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[User]:
    """People with an active role in ``network``, with the same three figures counted per person.

    ``roles_here`` holds their active roles in this network (with the organisation they represent),
    fetched in one extra query for the whole list.
    """
    since, until = _window(now)
    active_roles = Membership.objects.active(today)
    seats = Membership.bodies.through.objects.filter(membership__in=active_roles)
    invitations = Attendance.objects.filter(meeting__starts_at__gte=since, meeting__starts_at__lte=until)
    return (
        User.objects.filter(pk__in=active_roles.filter(network=network).values("user_id"))
        .annotate(
            # Region-wide roles (staff, admin) are not a seat in a network.
            network_count=distinct_count_per_row(
                active_roles.filter(network__isnull=False), "user", "network"
            ),
            body_count=distinct_count_per_row(seats, "membership__user", "body"),
            meeting_count=distinct_count_per_row(invitations, "user", "meeting"),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=active_roles.filter(network=network).select_related("organisation"),
                to_attr="roles_here",
            )
        )
        .order_by(*_ordering(sort, "last_name", "first_name", "pk"))
    )
