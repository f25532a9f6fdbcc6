"""Small facts about the database: which kind of data it holds, its revision."""

from __future__ import annotations

from sqlalchemy import Integer, Text, cast, insert, select, update
from sqlalchemy.orm import Session

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


def revision(session: Session) -> int:
    return int(get(session, REVISION_KEY) or 0)


def is_demo(session: Session) -> bool:
    return get(session, DATASET_KEY) == "demo"
