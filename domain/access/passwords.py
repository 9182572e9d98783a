"""argon2id password hashing and the password policy (length 12+, not a common password)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.settings import get_settings

MIN_LENGTH = 12
MAX_LENGTH = 256

# A short list of the passwords that pass a length check and still fall first to guessing.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "password1234",
        "password12345",
        "password123!",
        "passwordpassword",
        "qwertyuiop12",
        "qwertyuiopas",
        "qwerty123456",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "welcome123!!",
        "administrator",
        "adminadmin12",
        "changeme1234",
        "abc123456789",
        "aaaaaaaaaaaa",
        "111111111111",
        "000000000000",
        "trustno1trustno1",
        "football1234",
        "baseball1234",
        "monkey123456",
        "sunshine1234",
        "princess1234",
        "dragon123456",
        "passw0rd1234",
        "p@ssw0rd1234",
        "p@ssword1234",
        "superman1234",
        "1q2w3e4r5t6y",
        "zaq12wsxcde3",
        "qazwsxedcrfv",
    }
)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    if get_settings().env == "test":
        # Still argon2id; cheaper parameters keep the suite fast. Hashes carry their parameters.
        return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID)
    return PasswordHasher(type=Type.ID)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why ``password`` is not acceptable, or ``None``."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) <= 2:
        return "is too common; choose something less guessable"
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        return "must not contain your email name"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so a missing account is not observable.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
