"""Writes on the networks domain that also record an audit event."""

from django.db import transaction

from ijh import audit
from ijh.models import User

from .models import Membership, NetworkMembership, Organisation


@transaction.atomic
def create_organisation(*, organisation: Organisation, by: User) -> Organisation:
    organisation.save()
    audit.record(by, "organisation.created", organisation)
    return organisation


@transaction.atomic
def add_organisation_to_network(*, membership: NetworkMembership, by: User) -> NetworkMembership:
    membership.save()
    audit.record(
        by, "network.organisation_added", membership, changed_fields=["organisation", "kind", "since"]
    )
    return membership


@transaction.atomic
def grant_role(*, membership: Membership, by: User) -> Membership:
    membership.save()
    audit.record(by, "network.role_granted", membership, changed_fields=["user", "role", "organisation"])
    return membership
