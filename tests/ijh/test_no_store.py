"""Issue 22 §2: nothing a logged-in person sees is kept by a browser or a proxy (``no-store``).

Walks every named URL of the product (the apps' namespaces and the root's own pages) with the
objects of tests/world.py, as the people who own them, and asserts the header on every answer:
pages, partials, downloads, redirects, refusals.
"""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from ijh.models import WorkerPing

from ..world import build_world, routes


def _namespaces() -> list[str]:
    found = {""}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace and entry.namespace != "admin":
            found.add(entry.namespace)
    return sorted(found)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _path(route, objects: dict) -> str:
    if route.namespace:
        return route.path(objects)
    # The root's own pages (home, system, second factor, login, logout) have no namespace.
    return reverse(route.name, kwargs={kwarg: objects[kwarg] for kwarg in route.kwargs})


def _assert_no_store(response, label: str, failures: list[str]) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    if "no-store" not in directives or any(part.startswith("public") for part in directives):
        failures.append(f"{label}: {response.status_code} Cache-Control={response.get('Cache-Control')!r}")


def test_every_authenticated_url_sends_no_store(world):
    # "name": a single-sign-on provider (none configured here: its pages answer 404, with the header).
    objects = {**world.theirs.objects, "ping_id": WorkerPing.objects.create().pk, "name": "vlaanderen"}
    all_routes = [route for route in routes(*_namespaces()) if route.name not in {"health", "set_language"}]
    assert len(all_routes) > 100
    failures: list[str] = []
    # Their caseworker reaches the case pages, their coordinator the network pages (200s with
    # data); a superuser gets the operations pages. Every other answer must carry it too.
    for who in ("caseworker", "coordinator"):
        client = Client()
        client.force_login(world.theirs.personas[who])
        reached = 0
        for route in all_routes:
            path = _path(route, objects)
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(path, headers=headers)
                reached += response.status_code == 200
                _assert_no_store(response, f"{route.url_name} as {who}", failures)
        assert reached > 20, who
    root = Client()
    root.force_login(world.neighbours["superuser"])
    for path in ("/systeem/", "/beheer/", "/beheer/ijh/auditevent/"):
        response = root.get(path)
        assert response.status_code == 200, path
        _assert_no_store(response, path, failures)
    assert failures == []


def test_a_view_that_asks_for_caching_is_overridden(rf, world):
    from django.http import HttpResponse

    from ijh.middleware import NoStoreForAuthenticatedMiddleware

    def cached_view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = world.theirs.personas["caseworker"]
    response = NoStoreForAuthenticatedMiddleware(cached_view)(request)
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "max-age=0"} <= directives and "public" not in directives
