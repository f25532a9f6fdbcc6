"""Server-side sessions: what keeps a person signed in across reloads and tabs.

A Streamlit script cannot set a cookie, so signing in takes two steps:

1. the sign-in page checks the password (`accounts.sign_in`) and asks for a
   one-time code (`issue_code`: random, valid one minute, single use);
2. the browser posts that code to the `/auth/session` route
   (`tracker.web.auth_routes`), which exchanges it for a session (`redeem_code`)
   and sets the session token in an HttpOnly cookie.

Every script run then finds the session from that cookie (`resolve`). Codes
and tokens are random; only their SHA-256 hashes are stored, so a copy of the
database opens no session. A session ends after `passwords.idle_timeout()`
(`TRACKER_IDLE_MINUTES`, 30 minutes by default) without activity, after `ABSOLUTE_LIFETIME` whatever happens, at sign-out,
and when its account is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from tracker import audit
from tracker.accounts import passwords
from tracker.accounts import queries as account_queries
from tracker.clock import aware, now
from tracker.db.models import Account, AccountSession, SignInCode
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Actor

ABSOLUTE_LIFETIME = timedelta(hours=12)
CODE_LIFETIME = timedelta(seconds=60)
# last_activity is written at most this often: one write a minute per person,
# not one per click. The idle timeout is therefore exact to within a minute
# (within a thirtieth of itself when it is shorter than 30 minutes).
TOUCH_INTERVAL = timedelta(minutes=1)
# Ended sessions and spent codes are deleted after this (the audit log keeps
# who signed in and out, and when).
KEEP_ENDED = timedelta(days=7)
MAX_NEXT_LENGTH = 2000


class Ended:
    """Why a session ended (`account_sessions.ended_reason`)."""

    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    LIFETIME = "lifetime"
    DISABLED = "disabled"
    PASSWORD = "password"


def digest(secret: str) -> str:
    """The SHA-256 of a token or code: what the database keeps instead of it."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_code(session: Session, account_id: int, *, at: datetime | None = None) -> str:
    """A one-time sign-in code for an account whose password was just checked."""
    at = at or now()
    code = secrets.token_urlsafe(32)
    session.add(
        SignInCode(
            code_hash=digest(code),
            account_id=account_id,
            created_at=at,
            expires_at=at + CODE_LIFETIME,
        )
    )
    _purge(session, at)
    session.flush()
    return code


@action
def redeem_code(session: Session, code: str, *, at: datetime | None = None) -> str | None:
    """Spend a code and open a session; the session's token, or None when the
    code is unknown, spent, too old, or its account disabled meanwhile."""
    at = at or now()
    if not isinstance(code, str) or not code or len(code) > 200:
        return None
    # One UPDATE that only a live, unspent code passes: of two requests racing
    # with the same code, one wins.
    spent = session.execute(
        update(SignInCode)
        .where(
            SignInCode.code_hash == digest(code),
            SignInCode.used_at.is_(None),
            SignInCode.expires_at >= at,
        )
        .values(used_at=at)
        .returning(SignInCode.account_id)
    ).scalar_one_or_none()
    if spent is None:
        return None
    account = session.get(Account, spent)
    if account is None or not account.active:
        return None
    return open_session(session, account, at=at)


def open_session(session: Session, account: Account, *, at: datetime | None = None) -> str:
    """A new session for `account`; returns the token the browser keeps."""
    at = at or now()
    token = secrets.token_urlsafe(32)
    session.add(
        AccountSession(
            token_hash=digest(token),
            account_id=account.id,
            created_at=at,
            last_activity=at,
            expires_at=at + ABSOLUTE_LIFETIME,
            ended_reason="",
        )
    )
    audit.record(
        session,
        account_queries.actor_for(account),
        "session.sign_in",
        "account",
        account.email,
        at=at,
        origin="sign-in",
    )
    session.flush()
    return token


@dataclass(frozen=True)
class Resolved:
    """Who a session token stands for: an actor, or None and, when the
    session has just run out, the message to show once."""

    actor: Actor | None
    notice: str | None = None


@action
def resolve(session: Session, token: str | None, *, at: datetime | None = None) -> Resolved:
    """The actor of a live session; ends a session that has run out."""
    at = at or now()
    if not isinstance(token, str) or not token or len(token) > 200:
        return Resolved(None)
    row = session.scalar(select(AccountSession).where(AccountSession.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return Resolved(None)
    account = session.get(Account, row.account_id)
    if account is None or not account.active:
        _end(session, row, Ended.DISABLED, at)
        return Resolved(None)
    last_activity = aware(row.last_activity)
    if at >= aware(row.expires_at):
        _end(session, row, Ended.LIFETIME, at, account)
        return Resolved(None, "session.lifetime_expired")
    if passwords.is_idle(last_activity, at):
        _end(session, row, Ended.IDLE, at, account)
        return Resolved(None, "auth.expired")
    if at - last_activity >= touch_interval():
        row.last_activity = at
        session.flush()
    return Resolved(account_queries.actor_for(account))


def touch_interval() -> timedelta:
    """How often `last_activity` is written: a minute, or a thirtieth of a
    shorter idle timeout (else a session used all along could end as idle)."""
    return min(TOUCH_INTERVAL, passwords.idle_timeout() / 30)


@action
def sign_out(session: Session, token: str | None, *, at: datetime | None = None) -> bool:
    """End the session of this token (and only that one); False if there was none."""
    at = at or now()
    if not isinstance(token, str) or not token or len(token) > 200:
        return False
    row = session.scalar(select(AccountSession).where(AccountSession.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return False
    _end(session, row, Ended.SIGNED_OUT, at, session.get(Account, row.account_id))
    return True


def end_account_sessions(
    session: Session, account_id: int, reason: str, *, at: datetime | None = None
) -> int:
    """End every live session of an account (disabled, new password…) and
    spend its unused codes; the number of sessions ended."""
    at = at or now()
    ended = session.execute(
        update(AccountSession)
        .where(AccountSession.account_id == account_id, AccountSession.revoked_at.is_(None))
        .values(revoked_at=at, ended_reason=reason)
    ).rowcount
    session.execute(
        update(SignInCode)
        .where(SignInCode.account_id == account_id, SignInCode.used_at.is_(None))
        .values(used_at=at)
    )
    return ended or 0


def live_sessions(session: Session, account_id: int) -> int:
    """How many sessions of an account are not ended (expiry is checked on use)."""
    rows = session.scalars(
        select(AccountSession.id).where(
            AccountSession.account_id == account_id, AccountSession.revoked_at.is_(None)
        )
    ).all()
    return len(rows)


def safe_next(value: object, default: str = "/") -> str:
    """A path on this site to go to after signing in or out, or `default`.

    Only a relative path starting with a single `/` passes: no scheme, no host,
    no `//` or `/\\` (which browsers read as another host), no control
    character. This is what keeps `/auth/session` from being an open redirect.
    The path is judged as a proxy or a browser could read it too: decoded
    (`%2e`, `%2f`, `%5c`, twice encoded) and with its dot segments, so that
    `/.//evil.example` or `/%2e//evil.example` never becomes `//evil.example`.
    """
    text = str(value or "")
    if not text or len(text) > MAX_NEXT_LENGTH:
        return default
    if not text.startswith("/") or text.startswith(("//", "/\\")):
        return default
    decoded = _fully_decoded(text)
    if decoded is None or "\\" in decoded or any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        return default
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return default
    path = _fully_decoded(parts.path) or ""
    segments = path.split("/")[1:]
    if "" in segments[:-1] or any(s in (".", "..") for s in segments):
        return default  # `//` anywhere, `/./`, `/../`: a proxy may fold them into a host
    return text


def _fully_decoded(text: str, rounds: int = 4) -> str | None:
    """`text` with its percent-encoding undone until nothing changes (None when
    it still changes after `rounds`: nobody encodes a path that often)."""
    for _ in range(rounds):
        decoded = unquote(text)
        if decoded == text:
            return text
        text = decoded
    return None


def _end(
    session: Session,
    row: AccountSession,
    reason: str,
    at: datetime,
    account: Account | None = None,
) -> None:
    row.revoked_at = at
    row.ended_reason = reason
    if account is not None:
        action = "session.sign_out" if reason == Ended.SIGNED_OUT else "session.expire"
        changes = None if reason == Ended.SIGNED_OUT else {"ended_reason": (None, reason)}
        audit.record(
            session,
            account_queries.actor_for(account),
            action,
            "account",
            account.email,
            changes,
            at=at,
            origin="session",
        )
    session.flush()


def _purge(session: Session, at: datetime) -> None:
    """Forget spent codes and sessions ended (or run out) a while ago."""
    horizon = at - KEEP_ENDED
    session.execute(delete(SignInCode).where(SignInCode.expires_at < horizon))
    session.execute(
        delete(AccountSession).where(
            or_(AccountSession.revoked_at < horizon, AccountSession.expires_at < horizon)
        )
    )
