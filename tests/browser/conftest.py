"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's ``live_server``.

No browser is downloaded: ``CHROMIUM_PATH`` (default ``/usr/bin/chromium``) must exist.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

# Playwright's sync API runs an asyncio event loop in the test thread; Django's ORM refuses to
# run inside one unless told it is safe (it is: the loop is idle while test code runs).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_ROOT / "var" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=nl-BE",
]
# Date inputs follow the browser's UI language, which headless Chromium on Linux takes from the
# LANGUAGE environment variable (not from --lang nor the context's locale) and only when Debian's
# chromium-l10n package brings the Dutch locale files: then screenshots show 22-11-2026 as our
# users see it, not 11/22/2026.
CHROMIUM_ENV = {"LANGUAGE": "nl_BE:nl"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(
            f"Chromium niet gevonden op {executable}. Voer `make deps-browser` uit "
            f"(of zet CHROMIUM_PATH). / Chromium not found at {executable}. "
            f"Run `make deps-browser` (or set CHROMIUM_PATH).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, env={**os.environ, **CHROMIUM_ENV}
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (own cookies), Belgian Dutch, desktop size."""
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the real login form and wait until we have left it."""
    login_url = live_server.url + reverse("login")
    page.goto(login_url)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: not url.startswith(login_url))


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save ``var/screenshots/<name>.png`` under the project root and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name.removesuffix('.png')}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def watch_csp(page) -> list[str]:
    """Collect console errors about the Content-Security-Policy: a blocked script or style."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return violations
