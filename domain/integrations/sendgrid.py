"""SendGrid email (v3 Mail Send) behind ``EmailSender``: login codes, alerts, outreach, digests."""

from __future__ import annotations

import httpx

from domain.integrations.http import ProviderHttp


class SendGridEmailSender:
    provider = "sendgrid"

    def __init__(self, api_key: str, sender: str, base_url: str, **http: object) -> None:
        self.sender = sender
        self.http = ProviderHttp(
            self.provider,
            base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            **http,  # type: ignore[arg-type]
        )

    def send(self, to: str, subject: str, body: str) -> str | None:
        """Hand the message to SendGrid; its message id (``X-Message-Id``) when it gives one."""
        payload = {
            "personalizations": [{"to": [{"email": to}]}],
            "from": {"email": self.sender},
            "subject": subject,
            "content": [{"type": "text/plain", "value": body}],
        }
        return self.http.request("POST", "/v3/mail/send", json=payload, parse=_accepted)


def _accepted(response: httpx.Response) -> str | None:
    if response.status_code != 202:  # SendGrid answers 202 Accepted, nothing else means queued
        raise ValueError(f"unexpected status {response.status_code}")
    return response.headers.get("X-Message-Id")
