"""Every response that shows client data logs the read, once per request (DESIGN.md §5; issue 16).

The completeness check walks every URL of the case area (``cases:`` namespace) with the objects
of tests/world.py, as each of their owners in turn (the team member first), with and without
htmx. Every GET that answers 200 must have written exactly one read event (``.viewed`` or
``.downloaded``, with the kind of page and, where there is one, the client file). Pages that
show no client data are listed in a ``NOT_A_READ_URL_NAMES`` set in the test module of their area
(this one for the cases pages), each with its reason; an area that wants its read pages checked
for being reached at all lists them in ``READ_LOGGED_URL_NAMES``.
"""

import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from cases.models import CaseDocument, Consent
from ijh.models import AuditEvent

from ..world import CLIENT_LAST_NAME, build_world, routes

# GET pages of the case area that show no client-identifying data.
NOT_A_READ_URL_NAMES = {
    # The row of a document being generated: its kind, status and date, no client data.
    "cases:document-status",
    # The form for a new case: nothing of an existing client yet.
    "cases:create",
}
READ_LOGGED_URL_NAMES = {
    "cases:list",
    "cases:detail",
    "cases:edit",
    "cases:timeline",
    "cases:viewers",
    "cases:consent-evidence",
    "cases:conference-request",
    "cases:conference-inbox",
    "cases:conference-detail",
    "cases:conference-session",
    "cases:referral-inbox",
    "cases:referral-detail",
    "cases:referral-create",
    "cases:document-download",
}

TESTS = Path(__file__).parents[1]
READ_ACTIONS = (".viewed", "downloaded")


def _declared(attribute: str) -> set[str]:
    declared: set[str] = set()
    for path in sorted(TESTS.rglob("test_*.py")):
        if attribute not in path.read_text():
            continue
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        declared |= set(getattr(importlib.import_module(module_name), attribute, ()))
    return declared


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    objects = world.theirs.objects
    # Files behind the downloads.
    consent = Consent.objects.get(pk=objects["consent_id"])
    consent.evidence.save("formulier.pdf", ContentFile(b"%PDF-1.4 toestemming"), save=True)
    document = CaseDocument.objects.get(pk=objects["document_id"])
    document.file.save("document.pdf", ContentFile(b"%PDF-1.4 document"), save=True)
    return world


def _reads() -> int:
    return sum(AuditEvent.objects.filter(action__endswith=suffix).count() for suffix in READ_ACTIONS)


def _shows_client_data(response) -> bool:
    if not response.get("Content-Type", "").startswith("text/html"):
        return True  # a download of a client's document
    return CLIENT_LAST_NAME in response.content.decode(errors="replace")


def test_every_200_of_the_case_area_logs_one_read(world):
    """Walk every case URL with their objects as each of their owners: a 200 that shows the
    client's name (or is a download) must have logged exactly one read; a page that logs must log
    once; every page declared as a read must be reached by some owner and log."""
    owners = world.theirs.personas
    order = ["caseworker", *[key for key in owners if key != "caseworker"]]
    clients = {key: Client(raise_request_exception=True) for key in order}
    for key, client in clients.items():
        client.force_login(owners[key])
    not_a_read = _declared("NOT_A_READ_URL_NAMES")
    expected_reads = _declared("READ_LOGGED_URL_NAMES")
    problems, logged = [], set()
    for route in routes("cases"):
        path = route.path(world.theirs.objects)
        for htmx in (False, True):
            headers = {"HX-Request": "true"} if htmx else {}
            for key in order:
                before = _reads()
                response = clients[key].get(path, headers=headers)
                if response.status_code != 200:
                    continue
                written = _reads() - before
                where = f"{route.url_name}{' (htmx)' if htmx else ''} as {key}"
                if written > 1:
                    problems.append(f"{where}: {written} reads in one request")
                elif written == 1:
                    logged.add(route.url_name)
                elif _shows_client_data(response) and route.url_name not in not_a_read:
                    problems.append(f"{where}: shows the client but logged no read")
    assert problems == []
    assert sorted(expected_reads - logged) == [], "declared read pages that logged no read for any owner"


def test_every_case_url_answering_get_is_declared(world):
    """A GET page of the case area is a logged read or declared as not one."""
    declared = _declared("NOT_A_READ_URL_NAMES") | _declared("READ_LOGGED_URL_NAMES")
    client = Client()
    client.force_login(world.theirs.personas["caseworker"])
    undeclared = []
    for route in routes("cases"):
        response = client.get(route.path(world.theirs.objects))
        post_only = response.status_code == 405 and "GET" not in response.get("Allow", "")
        if not post_only and route.url_name not in declared:
            undeclared.append(route.url_name)
    assert undeclared == []


def test_a_read_names_the_file_and_the_page(world, client):
    client.force_login(world.theirs.personas["caseworker"])
    objects = world.theirs.objects
    client.get(f"/dossiers/clientoverleg/overleg/{objects['session_id']}/")
    event = AuditEvent.objects.filter(action__endswith=".viewed").latest("id")
    assert event.case_id == objects["case_id"] and event.detail == "session"
    assert event.changed_fields == []


def test_viewers_page_groups_reads_per_person_and_day(world, client, django_assert_num_queries):
    caseworker = world.theirs.personas["caseworker"]
    objects = world.theirs.objects
    client.force_login(caseworker)
    for url in (
        f"/dossiers/{objects['case_id']}/",
        f"/dossiers/{objects['case_id']}/tijdlijn/",
        f"/dossiers/clientoverleg/{objects['conference_id']}/",
        f"/dossiers/verwijzingen/{objects['referral_id']}/",
    ):
        client.get(url)
    response = client.get(f"/dossiers/{objects['case_id']}/inzage/")
    text = response.content.decode()
    # One row for the caseworker today, naming the kinds of page they read.
    assert text.count("<tr>") == 2  # header + one person-day
    for label in ("dossier", "tijdlijn", "cliëntoverleg", "verwijzing en gegevensfiche"):
        assert label in text
