"""Whatever a user types into a form, the answer is never a 500 and nothing invalid is saved."""

import pytest
from django.urls import reverse

from networks.models import Membership, NetworkMembership, Organisation
from tests.factories import MembershipFactory, RegionFactory

pytestmark = pytest.mark.django_db

NASTY_VALUES = [
    "",
    " ",
    "x" * 10_000,
    "'; DROP TABLE networks_network; --",
    "<script>alert(1)</script>",
    "😀" * 50,
    "\x00",
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "31/12/2026",
    "0000-00-00",
]


@pytest.fixture
def admin_user(network):
    user = MembershipFactory(role=Membership.Role.ADMIN, network=None, region=network.region).user
    MembershipFactory(user=user, network=network, coordinator=True)
    return user


@pytest.mark.parametrize("value", NASTY_VALUES)
def test_forms_survive_nasty_input(client, network, admin_user, value):
    client.force_login(admin_user)
    forms = {
        reverse("networks:organisation-create"): ["name", "sector", "municipality", "postcode", "kbo_number"],
        reverse("networks:organisation-add", args=[network.pk]): ["organisation", "kind", "since", "until"],
        reverse("networks:role-add", args=[network.pk]): [
            "user",
            "role",
            "organisation",
            "mandate",
            "since",
            "until",
        ],
    }
    counts = (Organisation.objects.count(), NetworkMembership.objects.count(), Membership.objects.count())
    for url, fields in forms.items():
        response = client.post(url, dict.fromkeys(fields, value))
        assert response.status_code in (200, 400, 422), (url, value, response.status_code)
    assert (
        Organisation.objects.count(),
        NetworkMembership.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_region_fixture_is_seeded():
    assert RegionFactory(code="brussel").name == "Brussel"


def test_error_pages_render_in_production_settings_without_collected_static_files(client, settings, tmp_path):
    """A newcomer running with DEBUG=0 on a fresh checkout (no collectstatic) saw a crash instead
    of the 500 page: the manifest storage raised on every {% static %}."""
    from django.template import loader

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path  # nothing collected here
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "ijh.storage.ForgivingManifestStaticFilesStorage"},
    }
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.utils.functional import empty

    staticfiles_storage._wrapped = empty  # re-created lazily under the new settings
    try:
        for template in ("500.html", "404.html", "403.html", "503_database.html"):
            html = loader.get_template(template).render({})
            assert "<html" in html, template
        response = client.get("/bestaat-niet/")
        assert response.status_code in (302, 404)
        assert "ForgivingManifest" in type(staticfiles_storage._wrapped).__name__
    finally:
        staticfiles_storage._wrapped = empty
