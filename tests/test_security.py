"""Every URL asks for a login unless it is on the public list; production settings pass check --deploy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

# Names that must answer without a login (the single-sign-on pair answers 404 while it is off).
PUBLIC = {"login", "health", "set_language", "oidc-start", "oidc-callback"}
PUBLIC |= {"oidc-provider-start", "oidc-provider-callback"}  # one pair per named provider


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own staff login
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _example_path(route: str) -> str:
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<str:[^>]+>", "x", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


# The account area's pages for people who cannot log in yet (issue 21): an invitation link and
# "wachtwoord vergeten" (request, answer, link).
PUBLIC |= {"invitation", "password-reset", "password-reset-sent", "password-reset-confirm"}


@pytest.mark.django_db
def test_every_url_requires_login_unless_public(client):
    checked = 0
    for route, pattern in _patterns(get_resolver()):
        name = pattern.name or ""
        if name in PUBLIC or "i18n" in route:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(_example_path(route))
            assert response.status_code in (302, 405), (route, method, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/aanmelden/"), route
        checked += 1
    assert checked > 40


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "ijh.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-9f83hq48",
        "ALLOWED_HOSTS": "ijh.example.be",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "BEHIND_TLS_PROXY": "1",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _compose_app_environment() -> dict[str, str]:
    """The environment docker-compose.yml gives the app by default, with a value for the
    variables it requires (``${VAR:?...}``). A small reader for this file's own style."""
    text = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    block = text.split("x-app-env: &app-env", 1)[1].split("\nx-app:", 1)[0]
    required = {
        "POSTGRES_PASSWORD": "compose-test-password",
        "APP_DB_PASSWORD": "compose-app-password",
        "SECRET_KEY": "s" * 60 + "-compose-check-key",
    }
    env = {}
    for line in block.splitlines():
        match = re.match(r"^  ([A-Z_]+): (.*)$", line)
        if not match:
            continue
        name, value = match.groups()
        value = value.strip().strip('"')

        def resolve(found: re.Match) -> str:
            variable, operator, rest = found.group(1), found.group(2) or "", found.group(3) or ""
            if operator == ":?":
                return required[variable]
            return rest if operator == ":-" else ""

        env[name] = re.sub(r"\$\{([A-Z_]+)(:-|:\?)?([^}]*)\}", resolve, value)
    return env


def test_compose_defaults_pass_their_own_deploy_check(tmp_path):
    """Issue 22 §3: with the environment docker-compose.yml gives, check --deploy is clean."""
    env = _compose_app_environment()
    assert env["DEBUG"] == "0" and env["SECURE_SSL_REDIRECT"] == "1" and int(env["SECURE_HSTS_SECONDS"]) > 0
    env.update(
        {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "ijh.settings",
            "VAR_DIR": str(tmp_path),
            "MEDIA_ROOT": str(tmp_path / "private"),
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_publishes_the_web_port_to_the_proxy_only():
    """BEHIND_TLS_PROXY=1 trusts X-Forwarded-Proto: only a proxy on the host may reach gunicorn."""
    text = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    published = re.findall(r'^\s+- "([^"]*:8000)"', text, re.M)
    assert published and all(port.startswith("127.0.0.1:") for port in published)
    assert "BEHIND_TLS_PROXY: ${BEHIND_TLS_PROXY:-1}" in text


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/aanmelden/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_login_is_locked_after_five_failures_even_with_the_right_password(client, settings):
    from tests.factories import UserFactory

    UserFactory(username="els")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/aanmelden/", {"username": "els", "password": "fout"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post("/aanmelden/", {"username": "els", "password": "fout"}).status_code == 429
    response = client.post("/aanmelden/", {"username": "els", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.text.lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_good_login_resets_the_count(client, settings):
    from tests.factories import UserFactory

    UserFactory(username="els")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/aanmelden/", {"username": "els", "password": "fout"})
    assert (
        client.post("/aanmelden/", {"username": "els", "password": "correct-horse-battery"}).status_code
        == 302
    )
    client.logout()
    client.post("/aanmelden/", {"username": "els", "password": "fout"})
    assert (
        client.post("/aanmelden/", {"username": "els", "password": "correct-horse-battery"}).status_code
        == 302
    )
