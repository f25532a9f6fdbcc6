"""Local accounts: creation by an administrator, sign-in, lockout, idle expiry.

Passwords are kept only as argon2id hashes (argon2-cffi). A sign-in that fails
says the same thing whether the e-mail is unknown, the password wrong, the
account disabled or locked, so that nobody can learn which accounts exist.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import pandas as pd
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker import config
from tracker.db.models import Account, Organisation
from tracker.domain.vocabulary import Role
from tracker.errors import Conflict, NotFound, ValidationError
from tracker.services import audit
from tracker.services.actors import Action, Actor, require
from tracker.services.followup import now

MIN_PASSWORD_LENGTH = 12
MAX_FAILED_ATTEMPTS = 5
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
    if os.environ.get("TRACKER_FAST_PASSWORD_HASHING") == "1"
    else PasswordHasher()
)


@cache
def _dummy_hash() -> str:
    return HASHER.hash("not a real password, only for equal timing")


def aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def normalise_email(email: object) -> str:
    text = str(email or "").strip().lower()
    if not EMAIL.match(text) or len(text) > 254:
        raise ValidationError("auth.bad_email", value=str(email or "")[:80])
    return text


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError("auth.password_too_short", minimum=MIN_PASSWORD_LENGTH)


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def find_organisation(session: Session, reference: str) -> Organisation:
    """An organisation by its code or its SIREN number."""
    text = (reference or "").strip()
    organisation = session.scalar(
        select(Organisation).where(
            or_(Organisation.code == text, Organisation.siren == text.replace(" ", ""))
        )
    )
    if organisation is None:
        raise NotFound("error.unknown_organisation", value=text[:80])
    return organisation


def actor_for(account: Account) -> Actor:
    return Actor(
        name=account.display_name,
        role=Role(account.role),
        organisation_id=account.organisation_id,
        account_id=account.id,
        email=account.email,
    )


def get_account(session: Session, email: str) -> Account:
    account = session.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        raise NotFound("auth.unknown_account", email=email)
    return account


def create_account(
    session: Session,
    actor: Actor,
    *,
    email: str,
    role: Role | str,
    password: str,
    organisation: str | None = None,
    display_name: str = "",
    at: datetime | None = None,
    origin: str = "ui",
) -> Account:
    """A new account. A contributor belongs to exactly one organisation."""
    require(actor, Action.MANAGE_ACCOUNTS)
    at = at or now()
    email = normalise_email(email)
    parsed = Role.parse(role)
    if parsed not in ACCOUNT_ROLES:
        raise ValidationError("auth.bad_role", value=str(role))
    check_password(password)
    organisation_row = find_organisation(session, organisation) if organisation else None
    if parsed is Role.CONTRIBUTOR and organisation_row is None:
        raise ValidationError("auth.contributor_needs_organisation")
    if session.scalar(select(func.count(Account.id)).where(Account.email == email)):
        raise Conflict("auth.account_exists", email=email)
    account = Account(
        email=email,
        display_name=(display_name or "").strip()[:200] or email,
        role=parsed.value,
        organisation_id=organisation_row.id if organisation_row else None,
        password_hash=HASHER.hash(password),
        active=True,
        failed_attempts=0,
        created_at=at,
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "account.create",
        "account",
        email,
        {
            "role": (None, parsed.value),
            "organisation": (None, organisation_row.code if organisation_row else None),
        },
        at=at,
        origin=origin,
    )
    return account


def set_active(
    session: Session,
    actor: Actor,
    email: str,
    active: bool,
    *,
    at: datetime | None = None,
    origin: str = "ui",
) -> Account:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    require(actor, Action.MANAGE_ACCOUNTS)
    at = at or now()
    account = get_account(session, email)
    if not active and actor.account_id == account.id:
        raise ValidationError("auth.cannot_disable_self")
    if account.active != active:
        audit.record(
            session,
            actor,
            "account.enable" if active else "account.disable",
            "account",
            account.email,
            {"active": (account.active, active)},
            at=at,
            origin=origin,
        )
        account.active = active
        session.flush()
    if not active:
        _end_sessions(session, account.id, "disabled", at)
    return account


def set_password(
    session: Session,
    actor: Actor,
    email: str,
    password: str,
    *,
    at: datetime | None = None,
    origin: str = "ui",
) -> None:
    """A new password, set by an administrator; it also lifts a lock."""
    require(actor, Action.MANAGE_ACCOUNTS)
    check_password(password)
    account = get_account(session, email)
    account.password_hash = HASHER.hash(password)
    account.failed_attempts = 0
    account.locked_until = None
    audit.record(
        session, actor, "account.password", "account", account.email, at=at or now(), origin=origin
    )
    session.flush()
    _end_sessions(session, account.id, "password", at or now())


def _end_sessions(session: Session, account_id: int, reason: str, at: datetime) -> None:
    """A disabled account, or one given a new password, is signed out everywhere."""
    # Imported here: sessions builds on this module.
    from tracker.services.sessions import end_account_sessions

    end_account_sessions(session, account_id, reason, at=at)


def accounts_frame(session: Session, actor: Actor) -> pd.DataFrame:
    require(actor, Action.MANAGE_ACCOUNTS)
    rows = session.execute(
        select(Account, Organisation.code)
        .outerjoin(Organisation, Organisation.id == Account.organisation_id)
        .order_by(Account.email)
    ).all()
    columns = ["email", "display_name", "role", "organisation", "active", "locked_until"]
    return pd.DataFrame.from_records(
        [
            {
                "email": a.email,
                "display_name": a.display_name,
                "role": a.role,
                "organisation": code or "",
                "active": a.active,
                "locked_until": aware(a.locked_until),
            }
            for a, code in rows
        ],
        columns=columns,
    )


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the actor, or None and the one message to show."""

    actor: Actor | None

    @property
    def ok(self) -> bool:
        return self.actor is not None

    message_key = "auth.failed"


def sign_in(session: Session, email: str, password: str, *, at: datetime | None = None) -> SignIn:
    """Check an e-mail and password.

    It does not raise on failure: the caller commits, so that failed attempts
    are counted. After `MAX_FAILED_ATTEMPTS` wrong passwords the account is
    locked for `LOCK_DURATION`, during which even the right password fails.
    """
    at = at or now()
    try:
        address = normalise_email(email)
    except ValidationError:
        return SignIn(None)
    account = session.scalar(select(Account).where(Account.email == address))
    if account is None or not account.active or not account.password_hash:
        _verify(_dummy_hash(), password)  # the same work, so timing tells nothing
        return SignIn(None)
    locked_until = aware(account.locked_until)
    if locked_until is not None and locked_until > at:
        _verify(_dummy_hash(), password)
        return SignIn(None)
    if not _verify(account.password_hash, password):
        account.failed_attempts = (account.failed_attempts or 0) + 1
        if account.failed_attempts >= MAX_FAILED_ATTEMPTS:
            account.failed_attempts = 0
            account.locked_until = at + LOCK_DURATION
            audit.record(
                session,
                Actor(account.email, Role.SYSTEM, email=account.email),
                "account.lock",
                "account",
                account.email,
                {"locked_until": (None, account.locked_until)},
                at=at,
                origin="sign-in",
            )
        session.flush()
        return SignIn(None)
    account.failed_attempts = 0
    account.locked_until = None
    account.last_sign_in_at = at
    if HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = HASHER.hash(password)
    session.flush()
    return SignIn(actor_for(account))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def signed_in_actor(session: Session, account_id: int) -> Actor | None:
    """The actor of a signed-in account, read again on every page, so that a
    disabled account or a changed role takes effect at once."""
    account = session.get(Account, account_id)
    if account is None or not account.active:
        return None
    return actor_for(account)


def actor_for_verified_email(session: Session, email: str) -> Actor | None:
    """Single sign-on: a verified e-mail signs in only to an existing, active account."""
    try:
        address = normalise_email(email)
    except ValidationError:
        return None
    account = session.scalar(select(Account).where(Account.email == address))
    if account is None or not account.active:
        return None
    return actor_for(account)


def idle_timeout() -> timedelta:
    """How long a session may stay idle: `TRACKER_IDLE_MINUTES` (30 by default),
    read at each use so that the server's setting is the one applied."""
    return timedelta(minutes=config.idle_minutes())


def is_idle(last_activity: datetime, at: datetime) -> bool:
    """Whether a session has been idle too long and must end."""
    return at - last_activity > idle_timeout()
