"""Twilio SMS (Programmable Messaging) behind ``SmsSender``: outreach messages."""

from __future__ import annotations

import httpx

from domain.integrations.http import ProviderHttp, json_object


class TwilioSmsSender:
    provider = "twilio"

    def __init__(
        self, account_sid: str, auth_token: str, from_number: str, base_url: str, **http: object
    ) -> None:
        self.account_sid = account_sid
        self.from_number = from_number
        self.http = ProviderHttp(
            self.provider,
            base_url,
            auth=(account_sid, auth_token),
            **http,  # type: ignore[arg-type]
        )

    def send(self, to: str, body: str) -> str:
        """Queue the SMS with Twilio; its message SID."""
        return self.http.request(
            "POST",
            f"/2010-04-01/Accounts/{self.account_sid}/Messages.json",
            data={"To": to, "From": self.from_number, "Body": body},
            parse=_sid,
        )


def _sid(response: httpx.Response) -> str:
    sid = json_object(response)["sid"]
    if not isinstance(sid, str) or not sid:
        raise ValueError("no message sid")
    return sid
