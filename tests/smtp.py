"""A real SMTP server for tests (aiosmtpd), on 127.0.0.1 in the test process, that keeps what arrives.

``smtp_server`` (fixture in tests/conftest.py) starts one, points Django's SMTP backend at it and
yields it: ``server.messages`` are the mails received, parsed; ``server.refuse_next(n, code)``
answers the next n deliveries with an SMTP error, as a relay that is busy (4xx) or refuses (5xx).
"""

import email
import email.policy
import logging
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_DATA(self, smtp_server, session, envelope) -> str:
        with self.server.lock:
            if self.server.refusals:
                self.server.refusals -= 1
                return self.server.refusal_answer
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.server.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refusals = 0
        self.refusal_answer = "451 4.3.0 Try again later"
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def refuse_next(self, count: int = 1, answer: str = "451 4.3.0 Try again later") -> None:
        with self.lock:
            self.refusals, self.refusal_answer = count, answer

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message for _rcpt, message in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [message for rcpt, message in self.received if address in rcpt]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")

    def env(self) -> dict[str, str]:
        """Environment for a worker process that should deliver here."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}
