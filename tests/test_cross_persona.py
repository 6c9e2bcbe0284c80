"""Cross-persona suites over every URL of the product (DESIGN.md §5; issues 16 and 22).

1. Every case-area URL of another persona's objects answers 404 — pages, htmx partials
   (``HX-Request: true``, also forged by someone who never saw the page) and downloads — for
   everyone who is not on their side: people with every role elsewhere, and the neighbours in
   their own network (a colleague of another organisation, a team member whose row ended
   yesterday, a caseworker whose role ended, their steering member, the Flemish administration,
   a superuser). Pages without objects (lists, inboxes) never show their client's name.
2. Every POST endpoint of the case, conference, referral, network, instrument and report areas,
   posted by each wrong persona with a body that names their objects in every field a form could
   have (mass assignment), with and without ``HX-Request``: never a 500, never a success, and
   the database as it was (counts and highest ids of every table but the audit log, sessions and
   login attempts).

The objects come from tests/world.py; a module adds its own there and is covered here.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from .world import CLIENT_FIRST_NAME, CLIENT_LAST_NAME, build_world, routes

# Pages without an object act in the poster's own scope: the Flanders report is the agency's
# own, whatever network their objects are in. These may change rows, for that persona only.
OWN_SCOPE = {
    ("reports:flanders-narrative", "agency"),
    ("reports:flanders-run-create", "agency"),
}

# Tables that change on any request, or by design on a refused one.
UNWATCHED_TABLES = {"ijh_auditevent", "django_session"}
UNWATCHED_PREFIXES = ("axes_",)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


# --- 1. GET: 404 for every case-area URL of their objects -----------------------------------------


def _assert_not_reached(response, route, who: str, htmx: bool) -> None:
    context = f"{route.url_name} as {who}{' (htmx)' if htmx else ''}"
    if response.status_code == 405:
        # POST-only endpoint: says nothing about the object; the POST suite below covers it.
        assert "GET" not in response.get("Allow", ""), context
        return
    assert response.status_code == 404, f"{context}: {response.status_code}"
    assert CLIENT_LAST_NAME not in response.content.decode(errors="replace"), context


def test_case_area_urls_of_their_objects_answer_404_to_everyone_else(world):
    case_routes = routes("cases")
    with_objects = [route for route in case_routes if route.kwargs]
    without_objects = [route for route in case_routes if not route.kwargs]
    assert len(with_objects) > 20
    failures = []
    for who, user in world.outsiders.items():
        client = _client(user)
        for route in with_objects:
            path = route.path(world.theirs.objects)
            for htmx in (False, True):
                headers = {"HX-Request": "true"} if htmx else {}
                response = client.get(path, headers=headers)
                try:
                    _assert_not_reached(response, route, who, htmx)
                except AssertionError as error:
                    failures.append(str(error))
        for route in without_objects:
            response = client.get(route.path({}))
            assert response.status_code < 500
            text = response.content.decode(errors="replace")
            if CLIENT_LAST_NAME in text or CLIENT_FIRST_NAME in text:
                failures.append(f"{route.url_name} as {who} shows their client's name")
    assert failures == []


def test_their_owners_do_reach_them(world):
    """The suite above would pass on a broken world: their own caseworker must get 200."""
    client = _client(world.theirs.personas["caseworker"])
    for name in ("detail", "conference-detail", "conference-session", "referral-detail"):
        route = next(route for route in routes("cases") if route.name == name)
        response = client.get(route.path(world.theirs.objects))
        assert response.status_code == 200, name
        assert CLIENT_LAST_NAME in response.content.decode(), name


# --- 2. POST: wrong personas change nothing --------------------------------------------------------


def _fingerprint() -> dict[str, tuple]:
    """(row count, highest id) of every table we watch, in one query."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.proxy or table in UNWATCHED_TABLES or table.startswith(UNWATCHED_PREFIXES):
            continue
        pk = model._meta.pk.column
        parts.append(
            f"SELECT '{table}', COUNT(*), MAX({connection.ops.quote_name(pk)}) FROM {connection.ops.quote_name(table)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: (count, str(highest)) for table, count, highest in cursor.fetchall()}


def _changed_rows() -> str:
    """A cheap content check on top of counts: the most recently changed-looking columns."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM ("
            " SELECT id, status, closed_on FROM cases_clientconference"
            " UNION ALL SELECT id, status, NULL FROM cases_referral"
            " UNION ALL SELECT id, role, until FROM networks_membership"
            " UNION ALL SELECT id, NULL, until FROM cases_caseteammember"
            " UNION ALL SELECT id, NULL, withdrawn_on FROM cases_consent"
            " UNION ALL SELECT id, NULL, closed_on FROM cases_case"
            ") t"
        )
        return cursor.fetchone()[0]


def _mass_assignment(world) -> dict:
    """Every field name a form of ours might have, filled with their objects and valid values."""
    theirs = world.theirs
    objects = theirs.objects
    case = objects["_case"]
    today = timezone.localdate()
    body = {
        key.split(":")[-1].removesuffix("_id"): value
        for key, value in objects.items()
        if not key.startswith("_")
    }
    body.update(
        {
            "user": theirs.personas["caseworker"].pk,
            "role": "caseworker",
            "organisation": case.lead_organisation_id,
            "network": theirs.network.pk,
            "case": case.pk,
            "since": today.isoformat(),
            "until": (today + datetime.timedelta(days=30)).isoformat(),
            "on": today.isoformat(),
            "status": "accepted",
            "step": "accepted",
            "kind": "conference_request",
            "source": f"conference:{objects['conference_id']}",
            "admissible": "true",
            "reason": "Dringend.",
            "chair": theirs.personas["chair"].pk,
            "case_manager": theirs.personas["caseworker"].pk,
            "outcome": "goals_reached",
            "closed_on": today.isoformat(),
            "withdrawn_on": today.isoformat(),
            "given_on": today.isoformat(),
            "note": "Notitie.",
            "title": "Titel",
            "text": "Tekst",
            "description": "Omschrijving",
            "name": "Naam",
            "question": "Vraag",
            "complexity": "Complex",
            "involved": "Iedereen",
            "summary": "Samenvatting",
            "first_name": "Iemand",
            "last_name": "Anders",
            "requesting_organisation": case.lead_organisation_id,
            "from_organisation": case.lead_organisation_id,
            "to_organisation": case.lead_organisation_id,
            "consent": objects["consent_id"],
            "attended": "on",
            "starts_at": (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Hier",
            "jaar": today.year - 1,
            "semester": 1,
            "mandate_status": "mandated",
            "mandate": "Alles",
            "is_superuser": "on",
            "is_staff": "on",
        }
    )
    return body


@pytest.mark.parametrize("namespace", ["cases", "networks", "instruments", "reports"])
def test_wrong_personas_posting_everywhere_change_nothing(world, namespace):
    body = _mass_assignment(world)
    failures = []
    clients = {who: _client(user) for who, user in world.outsiders.items()}
    for route in routes(namespace):
        path = route.path(world.theirs.objects) if route.kwargs else route.path({})
        before, before_rows = _fingerprint(), _changed_rows()
        for who, client in clients.items():
            if (route.url_name, who) in OWN_SCOPE:
                continue
            for htmx in (False, True):
                headers = {"HX-Request": "true"} if htmx else {}
                response = client.post(path, body, headers=headers)
                # The probe's criterion: never a 500, and (below) the database as it was. A 200 is
                # fine where the URL is a page a neighbour may read (it ignores the POST).
                if response.status_code >= 500:
                    failures.append(
                        f"{route.url_name} as {who}{' (htmx)' if htmx else ''}: {response.status_code}"
                    )
        after, after_rows = _fingerprint(), _changed_rows()
        changed = sorted(table for table in after if after[table] != before.get(table))
        if changed or before_rows != after_rows:
            failures.append(f"{route.url_name}: changed {changed or 'rows'}")
    assert failures == []
