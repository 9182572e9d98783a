"""The email-sender interface, its recording fake, and the choice between them and SendGrid.

``VCC_EMAIL_PROVIDER=sendgrid`` selects the real client (``domain.integrations.sendgrid``). The
fake is selected explicitly (``VCC_EMAIL_PROVIDER=fake``, the default in demo and tests). It
keeps every message in memory, prints it in demo mode so a newcomer can read login codes in the
terminal, and appends it to ``VCC_FAKE_MAIL_FILE`` when set (end-to-end tests read codes there).
It never runs in production (``domain.settings`` refuses that configuration at start), and its
log line names the recipient only: a body or subject may carry a sign-in code.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Protocol

from domain import clock
from domain.settings import ConfigurationError, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailMessage:
    to: str
    subject: str
    body: str
    sent_at: datetime


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> str | None:
        """Hand the message over; the provider's message id when it gives one, else a
        ``domain.integrations.http.ProviderError``."""
        ...


class RecordingEmailSender:
    def __init__(self, *, echo: bool = False, file: str | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.echo = echo
        self.file = file
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def send(self, to: str, subject: str, body: str) -> str | None:
        msg = EmailMessage(to=to, subject=subject, body=body, sent_at=clock.now())
        with self._lock:
            message_id = f"FAKE-EMAIL-{next(self._ids)}"
            self.messages.append(msg)
            if self.file:
                os.makedirs(os.path.dirname(os.path.abspath(self.file)), exist_ok=True)
                with open(self.file, "a", encoding="utf-8") as fh:
                    record = asdict(msg) | {"sent_at": msg.sent_at.isoformat()}
                    fh.write(json.dumps(record) + "\n")
        if self.echo:
            print(f"[demo email] to={to} subject={subject!r}\n{body}\n", flush=True)
        log.info("email recorded", extra={"to": to})
        return message_id

    def last_to(self, to: str) -> EmailMessage | None:
        for msg in reversed(self.messages):
            if msg.to == to:
                return msg
        return None


_sender: EmailSender | None = None


def get_email_sender() -> EmailSender:
    global _sender
    if _sender is None:
        settings = get_settings()
        if settings.email_provider == "sendgrid":
            from domain.integrations.sendgrid import SendGridEmailSender

            key = settings.sendgrid_api_key
            if not key:
                raise ConfigurationError("SENDGRID_API_KEY: not set (VCC_EMAIL_PROVIDER=sendgrid)")
            _sender = SendGridEmailSender(
                key, settings.email_from, settings.integrations.sendgrid_base_url
            )
        else:
            if settings.env == "production":  # get_settings refuses this already
                raise ConfigurationError("VCC_EMAIL_PROVIDER=fake cannot run in production")
            _sender = RecordingEmailSender(
                echo=settings.is_demo, file=os.environ.get("VCC_FAKE_MAIL_FILE")
            )
    return _sender


def set_email_sender(sender: EmailSender | None) -> None:
    """Install a sender (tests) or forget the current one (``None``)."""
    global _sender
    _sender = sender
