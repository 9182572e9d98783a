"""FMCSA carrier lookup (QCMobile API) behind ``CarrierLookup``, and its fake.

One call per carrier: ``GET /carriers/{dot}`` (or ``/carriers/docket-number/{mc}`` by MC
number) answers the carrier record, from which the snapshot is read:

- authority: ``commonAuthorityStatus`` / ``contractAuthorityStatus`` (``A`` active, ``I``
  inactive, ``N`` none). Active when either is ``A`` and ``allowedToOperate`` is ``Y``; inactive
  when neither is active or FMCSA does not allow the carrier to operate. Any other code is an
  unknown status: a ``ProviderBadResponse``, never a good carrier;
- safety rating: ``safetyRating`` ``S`` / ``C`` / ``U`` (empty or ``N``: not rated);
- insurance on file: ``bipdInsuranceOnFile`` (the amount on file, in thousands of dollars) > 0.

The snapshot speaks the freight wing's words as plain strings (this shared package imports no
wing); ``domain.freight`` turns them into its enums.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from domain.integrations.http import (
    ProviderBadResponse,
    ProviderHttp,
    ProviderUnavailable,
    json_object,
)
from domain.settings import ConfigurationError, get_settings

PROVIDER = "fmcsa"
AUTHORITY = ("ACTIVE", "INACTIVE", "REVOKED", "PENDING")
SAFETY = ("SATISFACTORY", "CONDITIONAL", "UNSATISFACTORY", "NOT_RATED")
_AUTHORITY_CODES = {"A", "I", "N"}
_SAFETY_CODES = {"S": "SATISFACTORY", "C": "CONDITIONAL", "U": "UNSATISFACTORY", "N": "NOT_RATED"}


@dataclass(frozen=True)
class FmcsaSnapshot:
    dot_number: str
    authority_status: str  # one of AUTHORITY
    safety_rating: str  # one of SAFETY
    insurance_on_file: bool
    legal_name: str | None = None


class CarrierLookup(Protocol):
    def lookup(
        self,
        *,
        dot_number: str | None = None,
        mc_number: str | None = None,
        on_file: FmcsaSnapshot | None = None,
    ) -> FmcsaSnapshot:
        """The carrier's snapshot, or a ``ProviderError``."""
        ...


def _yes_no(carrier: dict[str, Any], key: str) -> bool:
    value = carrier[key]
    if value not in ("Y", "N"):
        raise ProviderBadResponse(PROVIDER, f"{key} is {value!r}, not Y or N")
    return bool(value == "Y")


def parse_carrier(body: dict[str, Any]) -> FmcsaSnapshot:
    """The snapshot of a QCMobile answer; ``ProviderBadResponse`` for anything unexpected."""
    content = body.get("content")
    if isinstance(content, list):  # by docket number: a list of matches
        if not content:
            raise ProviderBadResponse(PROVIDER, "no carrier with this number")
        content = content[0]
    if not isinstance(content, dict) or not isinstance(content.get("carrier"), dict):
        raise ProviderBadResponse(PROVIDER, "no carrier record in the answer")
    carrier: dict[str, Any] = content["carrier"]
    codes = []
    for key in ("commonAuthorityStatus", "contractAuthorityStatus"):
        code = carrier[key]
        if code not in _AUTHORITY_CODES:
            raise ProviderBadResponse(PROVIDER, f"unknown authority status {code!r}")
        codes.append(code)
    allowed = _yes_no(carrier, "allowedToOperate")
    authority = "ACTIVE" if "A" in codes and allowed else "INACTIVE"
    rating_code = carrier["safetyRating"] or "N"
    if rating_code not in _SAFETY_CODES:
        raise ProviderBadResponse(PROVIDER, f"unknown safety rating {rating_code!r}")
    insurance = carrier["bipdInsuranceOnFile"]
    try:
        amount = float(insurance if insurance not in (None, "") else 0)
    except (TypeError, ValueError):
        raise ProviderBadResponse(PROVIDER, f"insurance on file is {insurance!r}") from None
    dot = carrier["dotNumber"]
    if dot in (None, ""):
        raise ProviderBadResponse(PROVIDER, "no DOT number in the answer")
    name = carrier.get("legalName")
    return FmcsaSnapshot(
        dot_number=str(dot),
        authority_status=authority,
        safety_rating=_SAFETY_CODES[rating_code],
        insurance_on_file=amount > 0,
        legal_name=str(name) if name else None,
    )


def _parse(response: httpx.Response) -> FmcsaSnapshot:
    return parse_carrier(json_object(response))


class FmcsaClient:
    provider = PROVIDER

    def __init__(self, webkey: str, base_url: str, **http: object) -> None:
        self.webkey = webkey
        self.http = ProviderHttp(self.provider, base_url, **http)  # type: ignore[arg-type]

    def lookup(
        self,
        *,
        dot_number: str | None = None,
        mc_number: str | None = None,
        on_file: FmcsaSnapshot | None = None,
    ) -> FmcsaSnapshot:
        if dot_number:
            path = f"/carriers/{_digits(dot_number)}"
        elif mc_number:
            path = f"/carriers/docket-number/{_digits(mc_number)}"
        else:
            raise ValueError("a DOT or an MC number is needed")
        return self.http.request("GET", path, params={"webKey": self.webkey}, parse=_parse)


def _digits(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    if not digits:
        raise ValueError(f"not a carrier number: {number!r}")
    return digits


class FakeCarrierLookup:
    """The demo's and tests' FMCSA: answers what it was told (``answers[dot]``), else the snapshot
    on file (the demo's carriers keep their seeded standing), else a carrier in good standing;
    ``down = True`` is an outage. Counts calls (``calls``)."""

    provider = PROVIDER
    rate_limited = False  # no pacing needed (the nightly refresh paces the real one)

    def __init__(self, answers: Iterable[FmcsaSnapshot] = ()) -> None:
        self.answers = {a.dot_number: a for a in answers}
        self.down = False
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def lookup(
        self,
        *,
        dot_number: str | None = None,
        mc_number: str | None = None,
        on_file: FmcsaSnapshot | None = None,
    ) -> FmcsaSnapshot:
        key = dot_number or f"MC{mc_number}"
        with self._lock:
            self.calls.append(key)
        if self.down:
            raise ProviderUnavailable(PROVIDER, "connection failed (fake outage)")
        told = self.answers.get(key)
        if told is not None:
            return told
        if on_file is not None:
            return on_file
        return FmcsaSnapshot(
            dot_number=key,
            authority_status="ACTIVE",
            safety_rating="SATISFACTORY",
            insurance_on_file=True,
            legal_name=None,
        )


_lookup: CarrierLookup | None = None


def get_carrier_lookup() -> CarrierLookup:
    global _lookup
    if _lookup is None:
        settings = get_settings()
        p = settings.integrations
        if p.fmcsa_provider == "fmcsa":
            if not p.fmcsa_webkey:
                raise ConfigurationError("FMCSA_WEBKEY: not set (VCC_FMCSA_PROVIDER=fmcsa)")
            _lookup = FmcsaClient(p.fmcsa_webkey, p.fmcsa_base_url)
        else:
            if settings.env == "production":  # get_settings refuses this already
                raise ConfigurationError("VCC_FMCSA_PROVIDER=fake cannot run in production")
            _lookup = FakeCarrierLookup()
    return _lookup


def set_carrier_lookup(lookup: CarrierLookup | None) -> None:
    """Install a lookup (tests) or forget the current one (``None``)."""
    global _lookup
    _lookup = lookup


__all__ = ["CarrierLookup", "FakeCarrierLookup", "FmcsaClient", "FmcsaSnapshot"]
