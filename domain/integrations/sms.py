"""The SMS-sender interface, its recording fake, and the choice between them and Twilio.

``send`` returns the provider's message id or raises a ``ProviderError`` (the outreach delivery
records a FAILED recipient with the reason). ``VCC_SMS_PROVIDER=twilio`` selects the real client
(``domain.integrations.twilio``). The fake keeps every message in memory, can be told which
numbers fail, prints messages in demo mode and appends them to ``VCC_FAKE_SMS_FILE`` when set.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Protocol

from domain import clock
from domain.integrations.http import ProviderRejected
from domain.settings import ConfigurationError, get_settings

log = logging.getLogger(__name__)


class SmsError(ProviderRejected):
    """The fake refuses a number it was told to fail (as Twilio answers 400 to a bad number)."""

    def __init__(self, message: str) -> None:
        super().__init__("sms", 400, message)


@dataclass(frozen=True)
class SmsMessage:
    id: str
    to: str
    body: str
    sent_at: datetime


class SmsSender(Protocol):
    def send(self, to: str, body: str) -> str: ...


class RecordingSmsSender:
    def __init__(
        self, *, echo: bool = False, file: str | None = None, fail_numbers: Iterable[str] = ()
    ) -> None:
        self.messages: list[SmsMessage] = []
        self.echo = echo
        self.file = file
        self.fail_numbers = set(fail_numbers)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def send(self, to: str, body: str) -> str:
        if to in self.fail_numbers:
            raise SmsError(f"undeliverable number {to}")
        with self._lock:
            msg = SmsMessage(
                id=f"FAKE-SMS-{next(self._ids)}", to=to, body=body, sent_at=clock.now()
            )
            self.messages.append(msg)
            if self.file:
                os.makedirs(os.path.dirname(os.path.abspath(self.file)), exist_ok=True)
                with open(self.file, "a", encoding="utf-8") as fh:
                    record = asdict(msg) | {"sent_at": msg.sent_at.isoformat()}
                    fh.write(json.dumps(record) + "\n")
        if self.echo:
            print(f"[demo sms] to={to}\n{body}\n", flush=True)
        log.info("sms recorded", extra={"to": to})
        return msg.id

    def sent_to(self, to: str) -> list[SmsMessage]:
        return [m for m in self.messages if m.to == to]


_sender: SmsSender | None = None


def get_sms_sender() -> SmsSender:
    global _sender
    if _sender is None:
        settings = get_settings()
        if settings.sms_provider == "twilio":
            from domain.integrations.twilio import TwilioSmsSender

            p = settings.integrations
            for name, value in (
                ("TWILIO_ACCOUNT_SID", p.twilio_account_sid),
                ("TWILIO_AUTH_TOKEN", p.twilio_auth_token),
                ("TWILIO_FROM_NUMBER", p.twilio_from_number),
            ):
                if not value:
                    raise ConfigurationError(f"{name}: not set (VCC_SMS_PROVIDER=twilio)")
            assert p.twilio_account_sid and p.twilio_auth_token and p.twilio_from_number
            _sender = TwilioSmsSender(
                p.twilio_account_sid, p.twilio_auth_token, p.twilio_from_number, p.twilio_base_url
            )
        else:
            _sender = RecordingSmsSender(
                echo=settings.is_demo, file=os.environ.get("VCC_FAKE_SMS_FILE")
            )
    return _sender


def set_sms_sender(sender: SmsSender | None) -> None:
    """Install a sender (tests) or forget the current one (``None``)."""
    global _sender
    _sender = sender
