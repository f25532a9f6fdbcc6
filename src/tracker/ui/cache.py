"""What pages read, read once per data revision and shared by every session.

Every committed write moves the data revision (`tracker.db.unit_of_work`), so a
value cached under a revision is never stale; while the database does not
answer, the value last read is shown, with a clear notice, so that the page
(and the form someone was filling) stays on screen.

Cached data is shared, not copied, by every session (`st.cache_resource`):
nothing a page draws changes it, and a copy per page run (`st.cache_data`
unpickles one each time) would cost time and memory at national scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.catalogue import queries as catalogue_queries
from tracker.db import settings
from tracker.db.engine import reading
from tracker.errors import ServiceUnavailable
from tracker.followup import queries
from tracker.followup.views import organisation_names
from tracker.review_sessions.queries import decisions_frame, review_sessions_frame
from tracker.ui.database import engine, revision
from tracker.ui.language import current_language
from tracker.ui.outage import service_unavailable_notice

LAST_READ_KEPT = 256


@st.cache_resource(show_spinner=False)
def _last_read() -> dict[tuple, object]:
    """The last data read from each database, shared by every session."""
    return {}


def _remember(key: tuple, value: object) -> None:
    kept = _last_read()
    kept.pop(key, None)
    kept[key] = value
    while len(kept) > LAST_READ_KEPT:
        kept.pop(next(iter(kept)))


def or_last_read(key: tuple, read):
    """`read()`, remembered under `key`; while the database does not answer,
    the value last remembered (with a notice), or the error if there is none."""
    try:
        value = read()
    except ServiceUnavailable:
        if key not in _last_read():
            raise
        service_unavailable_notice(current_language())
        return _last_read()[key]
    _remember(key, value)
    return value


@dataclass(frozen=True)
class Snapshot:
    """The data every page run shows, read once per data revision: the twenty
    proposals and the organisations. (The history, up to millions of rows, is
    never read whole for a page: see `reads`.)"""

    proposals: pd.DataFrame
    organisations: pd.DataFrame
    names: dict[str, str]  # organisation code → short name
    is_demo: bool
    revision: int
    url: str  # the database's, so that two databases never share a cached value


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(_engine: Engine, url: str, revision: int) -> Snapshot:
    with reading(_engine) as session:
        organisations = catalogue_queries.organisations_frame(session)
        return Snapshot(
            proposals=queries.proposals_frame(session),
            organisations=organisations,
            names=organisation_names(organisations),
            is_demo=settings.is_demo(session),
            revision=revision,
            url=url,
        )


def snapshot() -> Snapshot:
    """The current data; re-read as soon as any write moves the revision."""
    db = engine()
    url = str(db.url)
    return or_last_read((url, "snapshot"), lambda: _snapshot(db, url, revision(db)))


@st.cache_resource(show_spinner=False, max_entries=4)
def _review_sessions(_engine: Engine, url: str, revision: int) -> pd.DataFrame:
    with reading(_engine) as session:
        return review_sessions_frame(session)


def review_sessions(data: Snapshot) -> pd.DataFrame:
    """The CNCD's recorded review sessions, at the snapshot's revision."""
    db = engine()
    return or_last_read(
        (data.url, "review_sessions"), lambda: _review_sessions(db, data.url, data.revision)
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _decisions(_engine: Engine, url: str, revision: int) -> pd.DataFrame:
    with reading(_engine) as session:
        return decisions_frame(session)


def decisions(data: Snapshot) -> pd.DataFrame:
    """The working group's decisions, at the snapshot's revision."""
    db = engine()
    return or_last_read((data.url, "decisions"), lambda: _decisions(db, data.url, data.revision))


@st.cache_resource(show_spinner=False, max_entries=128)
def _read(_engine: Engine, url: str, revision: int, name: str, arguments: tuple, _reader):
    with reading(_engine) as session:
        return _reader(session, *arguments)


def read(data: Snapshot, name: str, reader, *arguments):
    """`reader(session, *arguments)` (a capability's query), read once per data
    revision (the snapshot's) and arguments, and shared by every session; the
    last value read if the database stops answering."""
    db = engine()
    return or_last_read(
        (data.url, name, arguments),
        lambda: _read(db, data.url, data.revision, name, arguments, reader),
    )
