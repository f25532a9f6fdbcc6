"""Small facts about the database: which kind of data it holds, its revision."""

from __future__ import annotations

from sqlalchemy import select
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
    put(session, REVISION_KEY, str(int(get(session, REVISION_KEY) or 0) + 1))


def revision(session: Session) -> int:
    return int(get(session, REVISION_KEY) or 0)


def is_demo(session: Session) -> bool:
    return get(session, DATASET_KEY) == "demo"
