"""A real SMTP server on loopback for tests (aiosmtpd), and the messages it received.

    def test_x(smtp_server):            # pytest fixture (import it in the test module or conftest)
        ...                              # the app sends through Django's SMTP backend to it
        assert smtp_server.messages[0]["To"] == "..."

`smtp_server.refuse = True` makes it answer 554 to every message (an SMTP refusal).
"""

import asyncio
import email
import email.policy
import socket
import threading
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self.delay_seconds = 0.0  # wait this long before accepting a recipient (a slow server)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        if self.refuse:
            return "554 5.7.1 Message refused"
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, controller: Controller, handler: _Handler):
        self.controller = controller
        self.handler = handler
        self.host = controller.hostname
        self.port = controller.port

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def refuse(self) -> bool:
        return self.handler.refuse

    @refuse.setter
    def refuse(self, value: bool) -> None:
        self.handler.refuse = value

    @property
    def delay_seconds(self) -> float:
        return self.handler.delay_seconds

    @delay_seconds.setter
    def delay_seconds(self, value: float) -> None:
        self.handler.delay_seconds = value

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in str(message["To"])]

    @property
    def email_url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a received message."""
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on 127.0.0.1 (a free port) and Django's SMTP backend pointed at it."""
    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield SMTPServer(controller, handler)
    finally:
        controller.stop()
