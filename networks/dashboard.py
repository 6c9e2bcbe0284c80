from ijh.dashboard import register_panel
from ijh.models import User

from .models import Membership


@register_panel("my-roles", template="networks/_dashboard_roles.html", order=10)
def my_roles(user: User) -> dict:
    # One query: the user's active roles with their network (and its region) or region.
    roles = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("network__region", "region", "organisation")
        .order_by("network__name", "region__name", "role")
    )
    return {"roles": list(roles)}
