"""Small facts about the database: which kind of data it holds, its revision."""

from __future__ import annotations

from sqlalchemy import Integer, Text, cast, event, insert, select, update
from sqlalchemy.orm import Session

from tracker import logs
from tracker.db.models import Setting

DATASET_KEY = "dataset"  # "demo" while the follow-up data is demonstration data
REVISION_KEY = "revision"  # bumped by every write, so caches are never stale


def get(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put(session: Session, key: str, value: str) -> None:
    row = session.scalar(select(Setting).where(Setting.key == key))
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def bump_revision(session: Session) -> None:
    """Add one to the revision in the database itself: two writers committing
    at once each add theirs (a read-then-write would lose one, and a cache keyed
    on the revision would then keep serving the data before the second)."""
    bumped = session.execute(
        update(Setting)
        .where(Setting.key == REVISION_KEY)
        .values(value=cast(cast(Setting.value, Integer) + 1, Text))
        .execution_options(synchronize_session=False)
    )
    if not bumped.rowcount:
        session.execute(insert(Setting).values(key=REVISION_KEY, value="1"))


CHANGED = "tracker_changed"  # session.info: this unit of work changed data
CHANGE_LOG = "tracker_change_log"  # session.info: the log lines to write once committed


def mark_changed(session: Session, log_line: dict[str, object] | None = None) -> None:
    """Say that this unit of work changes data: its commit bumps the revision
    once, last (so the revision row is the last lock any writer takes), and
    then writes the change's log line."""
    session.info[CHANGED] = True
    if log_line is not None:
        session.info.setdefault(CHANGE_LOG, []).append(log_line)


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    if session.info.pop(CHANGED, False):
        bump_revision(session)


@event.listens_for(Session, "after_commit")
def _log_on_commit(session: Session) -> None:
    if session.get_nested_transaction() is None:  # the outermost commit: it is written
        for line in session.info.pop(CHANGE_LOG, []):
            logs.change(**line)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, ended) -> None:
    if ended.parent is None:  # rolled back, or already handled at commit
        session.info.pop(CHANGED, None)
        session.info.pop(CHANGE_LOG, None)


def revision(session: Session) -> int:
    return int(get(session, REVISION_KEY) or 0)


def is_demo(session: Session) -> bool:
    return get(session, DATASET_KEY) == "demo"
