"""The one way to write to the audit log. Later apps call ``audit.record(...)`` in their services.

What is stored: who, when, which action, which object (type and id), which network, and the
*names* of changed fields. Never field values: they may identify a child.
"""

from collections.abc import Iterable

from django.db import models

from .models import AuditEvent, User


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    network_id: int | None = None,
    case_id: int | None = None,
    changed_fields: Iterable[str] = (),
    detail: str = "",
) -> AuditEvent:
    """Append one event. ``network_id`` defaults to ``obj.network_id`` when the object has one;
    ``case_id`` names the client file the event concerns (for the team's read log); ``detail``
    is a short label, never client data."""
    if network_id is None and obj is not None:
        network_id = getattr(obj, "network_id", None)
    authenticated = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        network_id=network_id,
        case_id=case_id,
        changed_fields=sorted(set(changed_fields)),
        detail=detail[:80],
    )


def changed_field_names(form) -> list[str]:
    """The field names a bound Django form changed, for ``record(changed_fields=...)``."""
    return list(form.changed_data)
