"""Whatever is posted to the account and invitation views: a Dutch answer, never a 500, and a
refused post changes no account, role or invitation (issue 21, "Bad input")."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ijh.models import User
from networks import invitations
from networks.models import Invitation, Membership

from ..factories import MembershipFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# For tests/test_post_views_fuzzed.py.
FUZZED_URL_NAMES = {
    "networks:invitation-create",
    "networks:invitation-resend",
    "networks:invitation-revoke",
    "account:invitation",
    "account:password-reset",
    "account:password-reset-confirm",
    "account:password-change",
    "account:session-end",
    "account:preferences",
}
GET_ONLY_URL_NAMES = {
    "networks:invitation-list",
    "networks:person-search",
    "account:profile",
    "account:password-reset-sent",
}

FUZZ = settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "0", "-1", "99999999999999999999", "a@b.c", " X@Example.ORG ", "\x00", "on", "2026-02-30"]
    ),
    st.text(min_size=300, max_size=400),
)


def bodies(names):
    return st.dictionaries(
        st.sampled_from([*names, "x", "is_superuser", "user"]), VALUES, max_size=len(names) + 2
    )


def fingerprint():
    return (
        User.objects.count(),
        User.objects.filter(is_active=True).count(),
        Membership.objects.count(),
        list(Invitation.objects.order_by("pk").values_list("token_hash", "accepted_at", "revoked_at")),
    )


@pytest.fixture
def world(network, manager):
    organisation = NetworkMembershipFactory(network=network).organisation
    invitation = invitations.invite(
        by=manager.user,
        membership=Membership(network=network, role="steering_member", organisation=organisation),
        first_name="Nele",
        last_name="Nieuw",
        email="nele@example.org",
    )
    return {"organisation": organisation, "invitation": invitation}


def post_fuzz(client, url, names, *, refused_changes_nothing=True):
    @FUZZ
    @given(body=bodies(names), htmx=st.booleans())
    def run(body, htmx):
        before = fingerprint()
        with transaction.atomic():
            sid = transaction.savepoint()
            response = client.post(url, body, headers={"HX-Request": "true"} if htmx else {})
            assert response.status_code < 500
            if response.status_code >= 400 and refused_changes_nothing:
                assert fingerprint() == before
            transaction.savepoint_rollback(sid)

    run()


def test_fuzz_invitation_create(client, world, network, manager):
    client.force_login(manager.user)
    post_fuzz(
        client,
        reverse("networks:invitation-create", args=[network.pk]),
        ["first_name", "last_name", "email", "role", "organisation", "since", "until", "mandate", "bodies"],
    )


def test_fuzz_invitation_resend_and_revoke(client, world, manager):
    client.force_login(manager.user)
    for name in ("networks:invitation-resend", "networks:invitation-revoke"):
        post_fuzz(client, reverse(name, args=[world["invitation"].pk]), ["confirm"])


def test_fuzz_the_invitation_link(client, world):
    token = world["invitation"].renew()
    world["invitation"].save()
    post_fuzz(
        client, reverse("account:invitation", args=[token]), ["new_password1", "new_password2", "action"]
    )
    post_fuzz(
        client, reverse("account:invitation", args=["vervalst"]), ["new_password1", "new_password2", "action"]
    )


def test_fuzz_password_reset(client, world):
    post_fuzz(client, reverse("account:password-reset"), ["email"])
    post_fuzz(
        client,
        reverse("account:password-reset-confirm", args=["MQ", "set-password"]),
        ["new_password1", "new_password2"],
    )


def test_fuzz_the_profile_forms(client, network):
    user = UserFactory(username="fuzz-persoon")
    MembershipFactory(user=user, network=network)
    client.force_login(user)
    post_fuzz(client, reverse("account:password-change"), ["old_password", "new_password1", "new_password2"])
    post_fuzz(
        client,
        reverse("account:preferences"),
        ["mail_meeting_invitations", "mail_agreement_reminders", "mail_action_reminders"],
        refused_changes_nothing=False,
    )
    post_fuzz(client, reverse("account:session-end", args=[1]), ["x"])
