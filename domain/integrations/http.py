"""How every call to an external provider is made: a timeout, retries, a circuit breaker.

A provider client (``fmcsa``, ``sendgrid``, ``twilio``) owns one ``ProviderHttp`` and calls
``request(method, url, parse=...)``. Each attempt runs through the provider's circuit breaker
(pybreaker: opens after 5 consecutive failed attempts, fails fast while open, lets one trial call
through 30 s later, closes on its success); the attempts are driven by tenacity: exponential
backoff with jitter, at most 3 attempts, only on timeouts, connection errors, 429 and 5xx, and
never sooner than a ``Retry-After`` the provider sent. A 4xx other than 429 is the provider
refusing *this* request (a bad phone number): not retried, and not a failure of the provider (it
does not count towards opening the breaker). An answer that cannot be read (not JSON, a field
missing, an unknown code) is a failure of the provider: counted by the breaker, not retried.

Every outcome is a ``ProviderError`` subclass; nothing else escapes a client, so a caller
records a reason instead of crashing. Error texts never carry the request URL (FMCSA's key is
a query parameter).

Breakers live in this module, one per provider name, shared by every thread of the process;
``breaker_states()`` is what the admin jobs page and ``/api/v1/health`` show.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import pybreaker
import tenacity

from domain import clock

log = logging.getLogger(__name__)

T = TypeVar("T")

ATTEMPTS = 3
# A Retry-After longer than this is not waited for in a user's request: the call fails now.
MAX_RETRY_AFTER = 30.0


class ProviderError(RuntimeError):
    """A provider call that did not succeed; ``str(exc)`` is the reason a person can read."""

    retryable = False

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.reason = message


class ProviderUnavailable(ProviderError):
    """Timeout, connection error, 429 or 5xx: worth another attempt."""

    retryable = True

    def __init__(self, provider: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(provider, message)
        self.retry_after = retry_after


class ProviderRejected(ProviderError):
    """A 4xx other than 429: the provider refuses this request (an address it will not deliver
    to, a number it does not know). Not retried; not a sign the provider is down."""

    def __init__(self, provider: str, status_code: int, message: str) -> None:
        super().__init__(provider, f"rejected ({status_code}): {message}")
        self.status_code = status_code


class ProviderBadResponse(ProviderError):
    """An answer that cannot be read: not JSON, a field missing, a code this client does not
    know. Never taken as a good answer."""


class ProviderCircuitOpen(ProviderError):
    """The provider's breaker is open: the call was not made."""


# -- breakers ---------------------------------------------------------------------------------


class _ClockStorage(pybreaker.CircuitMemoryStorage):
    """pybreaker compares the wall clock with the opening instant to decide when an open breaker
    lets a trial call through. This storage keeps that instant on the product's clock
    (``domain.clock``) and hands it back shifted by the difference between the two clocks, so the
    decision follows ``clock.now()``: identical in production, and a test moves time with
    ``clock.frozen`` instead of sleeping."""

    def __init__(self) -> None:
        super().__init__(pybreaker.STATE_CLOSED)
        self._opened_on_clock: datetime | None = None

    @property
    def opened_at(self) -> datetime | None:
        if self._opened_on_clock is None:
            return None
        return self._opened_on_clock + (datetime.now(UTC) - clock.now())

    @opened_at.setter
    def opened_at(self, value: datetime) -> None:  # pybreaker passes the wall clock
        self._opened_on_clock = clock.now()

    @property
    def opened_on_clock(self) -> datetime | None:
        return self._opened_on_clock


_breakers: dict[str, pybreaker.CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker(provider: str) -> pybreaker.CircuitBreaker:
    """The process-wide breaker of ``provider`` (created on first use)."""
    with _breakers_lock:
        found = _breakers.get(provider)
        if found is None:
            from domain.settings import get_settings

            policy = get_settings().integrations
            found = pybreaker.CircuitBreaker(
                fail_max=policy.breaker_failures,
                reset_timeout=policy.breaker_reset_seconds,
                exclude=[ProviderRejected],
                state_storage=_ClockStorage(),
                name=provider,
                throw_new_error_on_trip=False,  # the attempt's own error says what went wrong
            )
            _breakers[provider] = found
        return found


def breaker_is_open(provider: str) -> bool:
    """True while ``provider``'s breaker fails calls fast (open, trial time not reached)."""
    for state in breaker_states():
        if state.provider == provider:
            return state.is_open
    return False


def reset_breakers() -> None:
    """Forget every breaker (tests; a new policy)."""
    with _breakers_lock:
        _breakers.clear()


PROVIDERS = ("fmcsa", "sendgrid", "twilio")


@dataclass(frozen=True)
class BreakerState:
    provider: str
    state: str  # closed | open | half-open (the next call is a trial)
    consecutive_failures: int
    opened_at: datetime | None
    trial_at: datetime | None  # when an open breaker lets a trial call through
    in_use: bool  # False: the provider is configured as a fake (no calls are made)

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def providers_in_use() -> dict[str, bool]:
    """Which providers make real calls under the current configuration (the others are fakes)."""
    from domain.settings import get_settings

    settings = get_settings()
    return {
        "fmcsa": settings.integrations.fmcsa_provider == "fmcsa",
        "sendgrid": settings.email_provider == "sendgrid",
        "twilio": settings.sms_provider == "twilio",
    }


def breaker_states() -> list[BreakerState]:
    """The state of each provider's breaker, as the admin page and the health check show it."""
    in_use = providers_in_use()
    out = []
    for name in PROVIDERS:
        with _breakers_lock:
            cb = _breakers.get(name)
        if cb is None:
            out.append(BreakerState(name, "closed", 0, None, None, in_use.get(name, False)))
            continue
        storage = cb._state_storage
        opened = storage.opened_on_clock if isinstance(storage, _ClockStorage) else None
        state = cb.current_state
        trial_at = None
        if state == pybreaker.STATE_OPEN and opened is not None:
            trial_at = opened + timedelta(seconds=cb.reset_timeout)
            if clock.now() >= trial_at:
                state = pybreaker.STATE_HALF_OPEN
        out.append(
            BreakerState(
                provider=name,
                state=state,
                consecutive_failures=cb.fail_counter,
                opened_at=opened if state != pybreaker.STATE_CLOSED else None,
                trial_at=trial_at,
                in_use=in_use.get(name, True),
            )
        )
    return out


# -- calls ------------------------------------------------------------------------------------


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (a number of seconds or an HTTP date); None when absent or
    unreadable."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _reason(response: httpx.Response) -> str:
    """A short reason from an error answer: the provider's message when it sent one."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason_phrase or "").strip()[:300]
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or errors[0])[:300]
    return str(body)[:300]


class ProviderHttp:
    """The HTTP side of one provider's client."""

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = ATTEMPTS,
        max_retry_after: float = MAX_RETRY_AFTER,
    ) -> None:
        if timeout is None:
            from domain.settings import get_settings

            timeout = get_settings().integrations.timeout_seconds
        self.provider = provider
        self.timeout = timeout
        self.attempts = attempts
        self.max_retry_after = max_retry_after
        self.sleep = sleep  # tests record the waits instead of sleeping
        self.client = httpx.Client(
            base_url=base_url, timeout=timeout, headers=headers, auth=auth, follow_redirects=False
        )

    @property
    def breaker(self) -> pybreaker.CircuitBreaker:
        return breaker(self.provider)

    def close(self) -> None:
        self.client.close()

    def _attempt(self, method: str, url: str, parse: Callable[[httpx.Response], T], **kw: Any) -> T:
        name = self.provider
        try:
            response = self.client.request(method, url, **kw)
        except httpx.TimeoutException:
            raise ProviderUnavailable(name, f"no answer within {self.timeout:g} s") from None
        except httpx.TransportError as exc:
            raise ProviderUnavailable(name, f"connection failed ({type(exc).__name__})") from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise ProviderUnavailable(
                name, f"HTTP {status}: {_reason(response)}", retry_after_seconds(response)
            )
        if status >= 400:
            raise ProviderRejected(name, status, _reason(response))
        try:
            return parse(response)
        except ProviderError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise ProviderBadResponse(name, f"unreadable answer ({type(exc).__name__})") from None

    def _guarded(self, method: str, url: str, parse: Callable[[httpx.Response], T], **kw: Any) -> T:
        try:
            return self.breaker.call(self._attempt, method, url, parse, **kw)
        except pybreaker.CircuitBreakerError:
            raise ProviderCircuitOpen(
                self.provider, "circuit breaker open after repeated failures; not called"
            ) from None

    def _wait(self, state: tenacity.RetryCallState) -> float:
        backoff = tenacity.wait_random_exponential(multiplier=0.5, max=8)(state)
        exc = state.outcome.exception() if state.outcome else None
        after = getattr(exc, "retry_after", None)
        return max(backoff, after) if after is not None else backoff

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= self.attempts:
            return True
        exc = state.outcome.exception() if state.outcome else None
        after = getattr(exc, "retry_after", None)
        return after is not None and after > self.max_retry_after

    def request(
        self, method: str, url: str, *, parse: Callable[[httpx.Response], T], **kw: Any
    ) -> T:
        """Make the call under the provider's policy; the parsed answer or a ``ProviderError``."""
        retrying = tenacity.Retrying(
            stop=self._stop,
            wait=self._wait,
            retry=tenacity.retry_if_exception(
                lambda e: isinstance(e, ProviderError) and e.retryable
            ),
            sleep=self.sleep,
            reraise=True,
            before_sleep=lambda s: log.warning(
                "%s attempt %s failed, retrying: %s",
                self.provider,
                s.attempt_number,
                s.outcome.exception() if s.outcome else "",
            ),
        )
        return retrying(self._guarded, method, url, parse, **kw)


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or ``ProviderBadResponse`` (via ValueError/TypeError)."""
    body = response.json()
    if not isinstance(body, dict):
        raise TypeError("the answer is not a JSON object")
    return body
