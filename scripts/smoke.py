"""CI smoke check of the embedded default, started exactly as `make run` starts it.

A fresh VAR_DIR (new SQLite file, new filesystem broker), scripts/run.sh in its own process group,
then: the login page, a login, the dashboard, the network list, a worker ping answered through the
filesystem broker, /health/. Everything is stopped at the end, whatever happened.
"""

import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=15) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict, headers: dict | None = None) -> tuple[int, str]:
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode(),
            headers={"Referer": self.base + path, "X-CSRFToken": token, **(headers or {})},
        )
        with self.opener.open(request, timeout=15) as response:
            return response.status, response.read().decode()


def totp(secret_base32: str, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as an authenticator app computes it."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    print(f"smoke: ok – {message}")


def main() -> int:
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="ijh-smoke-")
    env = {**os.environ, "VAR_DIR": var_dir, "PORT": str(port), "HOST": "127.0.0.1", "DEBUG": "1"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)  # the embedded default, whatever the CI environment says
    log_path = Path(var_dir) / "run.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/aanmelden/", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the app did not start") from None
                time.sleep(0.5)
        browser = Browser(base)
        status, body = browser.get("/aanmelden/")
        check(status == 200 and "Aanmelden" in body, "login page answers in Dutch")
        status, body = browser.post(
            "/aanmelden/", {"username": "beheerder", "password": "demo-ijh-2026", "next": "/"}
        )
        # The functional admin needs the TOTP second step: set it up as a person with an app would.
        check(status == 200 and "authenticator" in body, "admin login asks for the second step")
        secret = re.search(r'class="secret">([A-Z2-7]+)<', body).group(1)
        status, body = browser.post("/aanmelden/tweede-stap/", {"token": totp(secret), "next": "/"})
        check(status == 200 and "Mijn netwerken en rollen" in body, "demo login reaches the dashboard")
        status, body = browser.get("/netwerken/")
        check(status == 200 and "RTJ Waas en Dender" in body, "network list shows demo networks")
        status, body = browser.post("/systeem/ping/", {}, headers={"HX-Request": "true"})
        match = re.search(r"/systeem/ping/(\d+)/", body)
        check(status == 200 and match is not None, "worker ping queued")
        answered = False
        for _ in range(60):
            status, body = browser.get(f"/systeem/ping/{match.group(1)}/")
            if 'data-ping-status="done"' in body:
                answered = True
                break
            time.sleep(0.5)
        check(answered, "the Celery worker answered through the filesystem broker")
        log.flush()
        check(
            str(Path(var_dir).resolve() / "mail") in log_path.read_text(),
            "make run says where the demo's mails land",
        )
        anonymous = Browser(base)
        anonymous.get("/wachtwoord-vergeten/")
        status, body = anonymous.post("/wachtwoord-vergeten/", {"email": "beheerder@example.org"})
        check(status == 200 and "Kijk in je mailbox" in body, "password reset answers")
        # The beat's reminder jobs may write other demo mails beside it; the reset mail is the one
        # to beheerder with a reset link.
        reset_mails = []
        for _ in range(120):
            reset_mails = [
                text
                for text in (path.read_text() for path in (Path(var_dir) / "mail").glob("*.eml"))
                if "beheerder@example.org" in text and "/wachtwoord-vergeten/" in text
            ]
            if reset_mails:
                break
            time.sleep(0.5)
        check(len(reset_mails) == 1, "the worker wrote the reset mail under var/mail/")
        status, body = browser.get("/health/")
        check(status == 200 and '"broker": "ok"' in body, "/health/ reports database and broker ok")
        return 0
    except Exception as exc:
        print(f"smoke: FAILED – {exc}", file=sys.stderr)
        log.flush()
        print(log_path.read_text()[-4000:], file=sys.stderr)
        return 1
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
