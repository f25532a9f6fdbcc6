"""The unit of work: one transaction, and what its commit brings with it.

Every write of the tracker is an **action** (`@action`): one user intent that
takes the acting user, checks the permission, validates, writes and records
its audit row, in one transaction that the action opens and commits itself.
Pages, the command line, the API's routes, the importer and the seeder call
actions with the engine; nothing else writes.

What a commit brings is written here, and nowhere else:
- the data revision is bumped once, last, so that every cache keyed on it is
  re-read (`mark_changed`; two writers committing at once each add theirs);
- the change's log lines are written once the commit succeeded, never for a
  change that was rolled back (a dry-run import, a refused file).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tracker import logs
from tracker.db import settings
from tracker.db.engine import session_factory, unavailable_as_named_error

P = ParamSpec("P")
R = TypeVar("R")

_PENDING = "tracker_unit_of_work"  # session.info: what the commit will bring


@dataclass
class _Pending:
    changed: bool = False
    log_lines: list[dict[str, object]] = field(default_factory=list)


def _pending(session: Session) -> _Pending:
    return session.info.setdefault(_PENDING, _Pending())


def mark_changed(session: Session, log_line: dict[str, object] | None = None) -> None:
    """Say that this unit of work changes data: its commit bumps the revision
    once, last (so the revision row is the last lock any writer takes), and
    then writes the change's log line."""
    pending = _pending(session)
    pending.changed = True
    if log_line is not None:
        pending.log_lines.append(log_line)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work that may write: committed when the block ends, rolled
    back on error. (Reads use `tracker.db.engine.reading`.)"""
    with unavailable_as_named_error(), session_factory(engine)() as session:
        with session.begin():
            yield session
            pending = session.info.pop(_PENDING, None)
            if pending is not None and pending.changed:
                settings.bump_revision(session)
        # committed: only now is the change real, and worth a log line
        if pending is not None:
            for line in pending.log_lines:
                logs.change(**line)


@contextmanager
def savepoint(session: Session, *, keep: Callable[[], bool]) -> Iterator[None]:
    """A part of the unit of work that is kept only if `keep()` says so at its
    end (a dry-run import checks everything, then keeps nothing): rolled back,
    it leaves neither rows, nor a revision bump, nor log lines behind."""
    pending = _pending(session)
    changed, lines = pending.changed, len(pending.log_lines)
    nested = session.begin_nested()
    try:
        yield
    except BaseException:
        nested.rollback()
        pending.changed, pending.log_lines[lines:] = changed, []
        raise
    if keep():
        nested.commit()
    else:
        nested.rollback()
        pending.changed, pending.log_lines[lines:] = changed, []


# Actions ------------------------------------------------------------------------

ACTIONS: dict[str, Callable[..., object]] = {}  # every action, by its dotted name


def action(
    body: Callable[Concatenate[Session, P], R],
) -> Callable[Concatenate[Engine | Session, P], R]:
    """Make `body(session, actor, …)` an action called as `name(engine, actor, …)`:
    it opens its own transaction on the engine and commits it when `body`
    returns (rolled back if it raises).

    Given a `Session` instead, the action joins that unit of work, as Zulip's
    nested `transaction.atomic` does: an action composed of others (the
    importer's rows, the seeder's demonstration data) commits once for all of
    them, and a test can run an action inside a transaction it rolls back."""

    @functools.wraps(body)
    def run(db: Engine | Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if isinstance(db, Session):
            return body(db, *args, **kwargs)
        if not isinstance(db, Engine):
            raise TypeError(f"{body.__qualname__} takes an engine (or a session), not {db!r}")
        with transaction(db) as session:
            return body(session, *args, **kwargs)

    ACTIONS[f"{body.__module__}.{body.__qualname__}"] = run
    return run
