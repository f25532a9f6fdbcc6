"""passwords (split from tracker.services.accounts)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from tracker import config
from tracker.domain.vocabulary import Role
from tracker.errors import ValidationError

MIN_PASSWORD_LENGTH = 12


MAX_FAILED_ATTEMPTS = 5
MAX_PASSWORD_LENGTH = 200  # checked here, never cut by a form
MAX_DISPLAY_NAME = 200


LOCK_DURATION = timedelta(minutes=15)


ACCOUNT_ROLES = (Role.CONTRIBUTOR, Role.REVIEWER, Role.ADMINISTRATOR)


# Deliberately plain: no quotes, brackets or other characters that could mean
# something to Markdown or HTML where an address is shown.
EMAIL = re.compile(r"^[a-z0-9][a-z0-9._%+'-]*@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")


# argon2id with the library's recommended parameters. The test suite sets
# TRACKER_FAST_PASSWORD_HASHING=1 for the cheapest argon2id parameters: still
# argon2id, but thousands of times faster; never set it on a server.
HASHER = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if config.fast_password_hashing()
    else PasswordHasher()
)


@cache
def _dummy_hash() -> str:
    return HASHER.hash("not a real password, only for equal timing")


def normalise_email(email: object) -> str:
    text = str(email or "").strip().lower()
    if not EMAIL.match(text) or len(text) > 254:
        raise ValidationError("auth.bad_email", value=str(email or "")[:80])
    return text


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError("auth.password_too_short", minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("error.text_too_long", field="password", limit=MAX_PASSWORD_LENGTH)
    if is_common(password):
        raise ValidationError("auth.password_common")


COMMON_CHECKED_UP_TO = 72  # zxcvbn's own limit; no common password is longer


def is_common(password: str) -> bool:
    """Whether the whole password is one of the common passwords of zxcvbn's
    list (30,000, from leaked password sets), in any case, reversed or with
    l33t substitutions (`qwerty123456`, `654321ytrewq`, `P@ssw0rd1234`)."""
    if len(password) > COMMON_CHECKED_UP_TO:
        return False
    result = zxcvbn(password, max_length=COMMON_CHECKED_UP_TO)
    return any(
        match["i"] == 0
        and match["j"] == len(password) - 1
        and match.get("dictionary_name") == "passwords"
        for match in result["sequence"]
    )


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def idle_timeout() -> timedelta:
    """How long a session may stay idle: `TRACKER_IDLE_MINUTES` (30 by default),
    read at each use so that the server's setting is the one applied."""
    return timedelta(minutes=config.idle_minutes())


def is_idle(last_activity: datetime, at: datetime) -> bool:
    """Whether a session has been idle too long and must end."""
    return at - last_activity > idle_timeout()
