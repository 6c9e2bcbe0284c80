"""Invitations (issue 21 §1): a manager gives a role to someone without an account.

``invite`` creates the account (inactive, no password), the role (through ``services.grant_role``,
so every grant rule holds) and the invitation, and mails the one-time link. The link page
(``accept``) sets the password under Django's validators and opens the account; a staff role's
TOTP enrolment follows at the first page (networks.second_factor). Re-sending makes a new link
and kills the old one; revoking kills it and removes the role that was never used.
"""

from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.mail import absolute_url, normalise_address, send_mail_once
from ijh.models import User

from . import services
from .models import Invitation, Membership, Network, NetworkMembership


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _send(invitation: Invitation, token: str) -> None:
    membership = invitation.membership
    role = membership.get_role_display() if membership else ""
    organisation = membership.organisation if membership and membership.organisation_id else None
    paragraphs = [
        (
            _("%(inviter)s nodigt je uit in %(network)s als %(role)s namens %(organisation)s.")
            if organisation
            else _("%(inviter)s nodigt je uit in %(network)s als %(role)s.")
        )
        % {
            "inviter": invitation.invited_by or _("De coördinator"),
            "network": invitation.network,
            "role": role,
            "organisation": organisation,
        },
        _(
            "Met de link hieronder kies je een wachtwoord voor je account. De link werkt één keer en "
            "vervalt op %(expires)s. Je gebruikersnaam is %(username)s."
        )
        % {"expires": _when(invitation.expires_at), "username": invitation.user.get_username()},
    ]
    if membership and membership.confirmation == Membership.Confirmation.PENDING:
        paragraphs.append(
            _(
                "Je rol geeft toegang tot cliëntdossiers zodra een contactpersoon van %(organisation)s "
                "bevestigt dat je daar werkt."
            )
            % {"organisation": organisation}
        )
    send_mail_once(
        key=f"invitation:{invitation.pk}:{invitation.sent_count}",
        to=invitation.email,
        subject=_("Uitnodiging voor IJH Netwerken – %(network)s") % {"network": invitation.network},
        template="notice",
        context={
            "name": invitation.user.first_name,
            "paragraphs": paragraphs,
            "link": absolute_url(reverse("account:invitation", args=[token])),
            "link_label": _("Wachtwoord kiezen en aanmelden"),
        },
    )


def _never_used(address: str):
    """The account an earlier, revoked invitation made for ``address``: never logged in, no
    password. A new invitation gives it a new chance instead of refusing the address."""
    return User.objects.filter(
        username__iexact=address, email__iexact=address, last_login__isnull=True, is_active=False
    ).filter(password__startswith="!")


def email_problem(address: str) -> str | None:
    """Why ``address`` cannot be invited (Dutch), or None."""
    open_invitation = Invitation.objects.open().filter(email=address).select_related("network").first()
    if open_invitation is not None:
        return _(
            "Dit adres is al uitgenodigd (%(network)s, %(day)s). Verstuur die uitnodiging opnieuw vanuit de "
            "lijst met uitnodigingen in plaats van een tweede te maken."
        ) % {
            "network": open_invitation.network,
            "day": timezone.localtime(open_invitation.sent_at).strftime("%d/%m/%Y"),
        }
    if (
        User.objects.filter(Q(email__iexact=address) | Q(username__iexact=address))
        .exclude(pk__in=_never_used(address).values("pk"))
        .exists()
    ):
        return _(
            "Er bestaat al een account met dit e-mailadres. Zoek de persoon op naam of e-mailadres bij "
            "‘Persoon een rol geven’."
        )
    return None


@transaction.atomic
def invite(
    *,
    by: User,
    membership: Membership,
    bodies=(),
    first_name: str,
    last_name: str,
    email: str,
) -> Invitation:
    address = normalise_address(email)
    problem = email_problem(address)
    if problem:
        raise ValidationError({"email": problem})
    user = _never_used(address).first()
    if user is not None:
        user.first_name, user.last_name = first_name.strip()[:150], last_name.strip()[:150]
        user.save(update_fields=["first_name", "last_name"])
    try:
        with transaction.atomic():
            user = user or User(
                username=address[:150],
                email=address,
                first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150],
                is_active=False,
            )
            if user.pk is None:
                user.set_unusable_password()
                user.save()
    except IntegrityError as exc:  # a second manager invited the same address a moment ago
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres.")}) from exc
    membership.user = user
    membership = services.grant_role(membership=membership, by=by, bodies=bodies)
    now = timezone.now()
    invitation = Invitation(
        user=user,
        network=membership.network,
        membership=membership,
        email=address,
        invited_by=by,
        created_at=now,
    )
    token = invitation.renew(now)
    invitation.save()
    _send(invitation, token)
    audit.record(by, "account.invited", invitation, changed_fields=["email", "role"])
    return invitation


def _lock_open(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("user", "network", "membership__organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at:
        raise ValidationError(_("Deze uitnodiging is al aanvaard: de persoon heeft een account."))
    if locked.revoked_at:
        raise ValidationError(_("Deze uitnodiging is ingetrokken."))
    return locked


@transaction.atomic
def resend(*, invitation: Invitation, by: User) -> Invitation:
    locked = _lock_open(invitation)
    locked.sent_count += 1
    token = locked.renew()
    locked.renewal_requested_at = None
    locked.save(update_fields=["sent_count", "token_hash", "sent_at", "expires_at", "renewal_requested_at"])
    _send(locked, token)
    audit.record(by, "account.invitation_resent", locked, changed_fields=["expires_at"])
    return locked


@transaction.atomic
def revoke(*, invitation: Invitation, by: User | None) -> Invitation:
    locked = _lock_open(invitation)
    locked.revoked_at = timezone.now()
    locked.revoked_by = by if by is not None and by.is_authenticated else None
    locked.save(update_fields=["revoked_at", "revoked_by"])
    # The role was never used (the person never logged in): it goes with the invitation.
    if locked.membership_id and locked.user.last_login is None:
        Membership.objects.filter(pk=locked.membership_id).delete()
    audit.record(by, "account.invitation_revoked", locked)
    return locked


def find(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    from .models.invitations import hash_token

    return (
        Invitation.objects.select_related("user", "network", "invited_by", "membership")
        .filter(token_hash=hash_token(token))
        .first()
    )


def refusal(invitation: Invitation) -> str | None:
    """Why this link no longer opens the account (Dutch), or None while it does."""
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return _("Deze uitnodiging werd al gebruikt. Meld je aan met je gebruikersnaam en wachtwoord.")
    if status == Invitation.Status.REVOKED:
        return _("Deze uitnodiging werd ingetrokken. Vraag de coördinator van je netwerk om meer uitleg.")
    if status == Invitation.Status.EXPIRED:
        return _("Deze uitnodiging is verlopen op %(day)s.") % {"day": _when(invitation.expires_at)}
    return None


@transaction.atomic
def accept(*, invitation: Invitation, form: SetPasswordForm) -> User:
    """Set the password and open the account; once (the row is locked and re-checked)."""
    locked = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    problem = refusal(locked)
    if problem:
        raise ValidationError(problem)
    user = form.save(commit=False)
    user.is_active = True
    user.left_on = None
    user.save(update_fields=["password", "is_active", "left_on"])
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit.record(user, "account.invitation_accepted", locked, changed_fields=["password"])
    return user


@transaction.atomic
def request_renewal(*, invitation: Invitation) -> bool:
    """The invited person found the link expired and asks for a new one: the inviter gets a mail
    (once per link). False when there is nobody to ask."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("invited_by", "network", "user")
        .get(pk=invitation.pk)
    )
    if locked.status != Invitation.Status.EXPIRED:
        raise ValidationError(_("Voor deze uitnodiging kan je geen nieuwe link vragen."))
    inviter = locked.invited_by
    if inviter is None or not inviter.is_active or not inviter.email:
        return False
    if locked.renewal_requested_at is None:
        locked.renewal_requested_at = timezone.now()
        locked.save(update_fields=["renewal_requested_at"])
        audit.record(None, "account.invitation_renewal_requested", locked)
    send_mail_once(
        key=f"invitation-renewal:{locked.pk}:{locked.sent_count}",
        to=inviter.email,
        subject=_("%(person)s vraagt een nieuwe uitnodiging") % {"person": locked.user},
        template="notice",
        context={
            "name": inviter.first_name,
            "paragraphs": [
                _(
                    "De uitnodiging van %(person)s (%(email)s) voor %(network)s is verlopen. %(person)s vraagt "
                    "een nieuwe link. Verstuur de uitnodiging opnieuw vanuit de lijst met uitnodigingen."
                )
                % {"person": locked.user, "email": locked.email, "network": locked.network}
            ],
            "link": absolute_url(reverse("networks:invitation-list", args=[locked.network_id])),
            "link_label": _("Uitnodigingen van %(network)s") % {"network": locked.network},
        },
    )
    return True


# --- finding people for the role form ------------------------------------------------------------

SEARCH_LIMIT = 10


def search_people(network: Network, query: str) -> list[User]:
    """People a manager of ``network`` may pick: by name or e-mail among those with a role in
    the network or at one of its member organisations; anyone by their exact e-mail address.
    Never a list of everyone: at least two characters, at most ``SEARCH_LIMIT`` answers."""
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    # Subqueries, not joins: one query, no duplicates, whatever the number of roles per person.
    in_scope = Membership.objects.filter(
        Q(network=network)
        | Q(organisation_id__in=NetworkMembership.objects.filter(network=network).values("organisation_id"))
    ).values("user_id")
    match = Q()
    for term in query.split(" "):
        match &= Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
    exact = Q(email__iexact=normalise_address(query)) if "@" in query else Q(pk__in=[])
    return list(
        User.objects.filter((Q(pk__in=in_scope) & match) | exact)
        .exclude(is_superuser=True)
        .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
    )
