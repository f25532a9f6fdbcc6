"""Validated contributions through time: what the public saw at the end of a
day, and what the secretariat validated between two days.

Every validation writes a `ContributionVersion` that is never changed
afterwards, with its `validated_at`: the versions are the contributions'
history, as `proposal_changes` is the proposals'. `validated_by` and
`validated_between` are pure functions of the frame of every version (the
definitions, which the command line and the tests use); at national scale the
pages ask the database for the same selection instead (`window_in_database`,
and `contributions.public_frame(..., until=)` for a past day), which tests
check against these definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, aliased

from tracker.clock import aware, end_of_day, end_of_day_stamp
from tracker.contributions.queries import PUBLIC_COLUMNS, _typed
from tracker.contributions.rules import PUBLIC_FIELDS
from tracker.db.models import ContributionVersion, Organisation, Proposal

VERSION_COLUMNS = [*PUBLIC_COLUMNS, "revision"]


def _version_columns(version=ContributionVersion) -> tuple:
    """The columns of `VERSION_COLUMNS`, in that order."""
    return (
        version.contribution_id,
        Proposal.number,
        Organisation.code,
        Organisation.short_name,
        Organisation.kind,
        *(getattr(version, field) for field in PUBLIC_FIELDS),
        version.validated_at,
        version.revision,
    )


def _versions(rows: Sequence, extra: Sequence[str] = ()) -> pd.DataFrame:
    width = len(VERSION_COLUMNS)
    records = [(*row[: width - 2], aware(row[width - 2]), *row[width - 1 :]) for row in rows]
    return _typed(pd.DataFrame.from_records(records, columns=[*VERSION_COLUMNS, *extra]))


def versions_frame(session: Session) -> pd.DataFrame:
    """Every validated version of every contribution, oldest validation first.
    Public fields only (no contact, no reviewer), like `public_frame`."""
    # Columns, not ORM objects: at national scale there are 100,000 versions.
    query = (
        select(*_version_columns())
        .join(Proposal, Proposal.id == ContributionVersion.proposal_id)
        .join(Organisation, Organisation.id == ContributionVersion.organisation_id)
        .order_by(ContributionVersion.validated_at, ContributionVersion.id)
    )
    return _versions(session.execute(query).all())


def _validated(versions: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(versions["validated_at"], utc=True)


def _latest_each(versions: pd.DataFrame) -> pd.DataFrame:
    """The latest revision of each contribution, by proposal then contribution."""
    latest = versions.sort_values(["id", "revision"]).groupby("id", sort=False).tail(1)
    return latest.sort_values(["proposal", "id"]).reset_index(drop=True)


def validated_by(versions: pd.DataFrame, day: date) -> pd.DataFrame:
    """The contributions as the public saw them at the end of `day`: the latest
    version of each validated by then, in its wording of then. Same columns as
    `contributions.public_frame` (and equal to it on the day of the latest
    validation or later)."""
    shown = versions[_validated(versions) <= end_of_day_stamp(day)]
    return _latest_each(shown)[PUBLIC_COLUMNS]


def validated_between(
    versions: pd.DataFrame, since: date, as_of: date, numbers: list[int] | None = None
) -> pd.DataFrame:
    """Contributions validated after the end of `since` and by the end of
    `as_of`, to the proposals `numbers` (all when None): each once, in the
    wording last validated in that window, oldest validation first, with `new`
    telling whether the public had seen none of it at `since`."""
    moments = _validated(versions)
    start, end = end_of_day_stamp(since), end_of_day_stamp(as_of)
    window = versions[(moments > start) & (moments <= end)]
    if numbers is not None:
        window = window[window["proposal"].isin(numbers)]
    seen_before = set(versions.loc[moments <= start, "id"])
    latest = _latest_each(window)
    latest["new"] = ~latest["id"].isin(seen_before)
    order = _validated(latest) if len(latest) else latest["validated_at"]
    return (
        latest.assign(_order=order)
        .sort_values(["_order", "proposal", "id"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class Window:
    """The contributions validated between two dates (`validated_between`):
    `rows`, all of them or the first ones in its order; `total` in all, of
    which `new` the public had seen nothing of before."""

    rows: pd.DataFrame
    total: int
    new: int

    @classmethod
    def of(cls, rows: pd.DataFrame) -> Window:
        return cls(rows, len(rows), int(rows["new"].sum()))


WindowReader = Callable[[date, date, Sequence[int]], Window]


def window_in_database(
    session: Session,
    since: date,
    as_of: date,
    numbers: Sequence[int],
    limit: int | None = None,
) -> Window:
    """`validated_between(versions_frame(session), since, as_of, numbers)`,
    selected and counted by the database (its first `limit` rows only, when
    given): at national scale, 100 rows read instead of every version."""
    start, end = end_of_day(since), end_of_day(as_of)
    version = ContributionVersion
    # Each contribution once: its latest revision validated in the window, to
    # one of the proposals shown (the definition filters before it takes the
    # latest, and so does this).
    latest = (
        select(version.contribution_id, func.max(version.revision).label("revision"))
        .join(Proposal, Proposal.id == version.proposal_id)
        .where(
            version.validated_at > start,
            version.validated_at <= end,
            Proposal.number.in_(list(numbers)),
        )
        .group_by(version.contribution_id)
        .subquery("latest")
    )
    earlier = aliased(ContributionVersion, name="earlier")

    def new(contribution_id) -> object:  # 1 when the public had seen none of it at `since`
        seen = exists().where(
            earlier.contribution_id == contribution_id, earlier.validated_at <= start
        )
        return case((seen, 0), else_=1)

    total, new_count = session.execute(
        select(func.count(), func.coalesce(func.sum(new(latest.c.contribution_id)), 0)).select_from(
            latest
        )
    ).one()
    # The versions listed are chosen first, their organisations joined after:
    # a few look-ups instead of one per contribution in the window.
    order = (version.validated_at, Proposal.number, version.contribution_id)
    listed = (
        select(version.id)
        .join(
            latest,
            (latest.c.contribution_id == version.contribution_id)
            & (latest.c.revision == version.revision),
        )
        .join(Proposal, Proposal.id == version.proposal_id)
        .order_by(*order)
    )
    if limit is not None:
        listed = listed.limit(limit)
    listed = listed.subquery("listed")
    query = (
        select(*_version_columns(), new(version.contribution_id).label("new"))
        .join(listed, listed.c.id == version.id)
        .join(Proposal, Proposal.id == version.proposal_id)
        .join(Organisation, Organisation.id == version.organisation_id)
        .order_by(*order)
    )
    rows = _versions(session.execute(query).all(), extra=["new"])
    rows["new"] = rows["new"].astype(bool)
    return Window(rows, int(total), int(new_count))


def validated_counts_between(session: Session, since: date, as_of: date) -> dict[int, int]:
    """How many contributions had a version validated after the end of `since`
    and by the end of `as_of`, per proposal number (counted by the database:
    an agenda at national scale reads twenty numbers, not every version)."""
    start, end = end_of_day(since), end_of_day(as_of)
    version = ContributionVersion
    rows = session.execute(
        select(Proposal.number, func.count(func.distinct(version.contribution_id)))
        .join(Proposal, Proposal.id == version.proposal_id)
        .where(version.validated_at > start, version.validated_at <= end)
        .group_by(Proposal.number)
    ).all()
    return {int(number): int(count) for number, count in rows}


def reported_statuses(public: pd.DataFrame) -> dict[int, frozenset[str]]:
    """The statuses the contributions of `public` (as `validated_by` gives
    them) report, per proposal number."""
    if public.empty:
        return {}
    return {
        int(number): frozenset(str(s) for s in group if isinstance(s, str) and s)
        for number, group in public.groupby("proposal")["status"]
    }


def reported_statuses_by(session: Session, day: date) -> dict[int, frozenset[str]]:
    """`reported_statuses(validated_by(versions_frame(session), day))`, read by
    the database: the latest version of each contribution validated by the
    end of `day`, its proposal and its status, nothing else."""
    version = ContributionVersion
    latest = (
        select(version.contribution_id, func.max(version.revision).label("revision"))
        .where(version.validated_at <= end_of_day(day))
        .group_by(version.contribution_id)
        .subquery("latest")
    )
    rows = session.execute(
        select(Proposal.number, version.status)
        .join(
            latest,
            (latest.c.contribution_id == version.contribution_id)
            & (latest.c.revision == version.revision),
        )
        .join(Proposal, Proposal.id == version.proposal_id)
        .distinct()
    ).all()
    found: dict[int, set[str]] = {}
    for number, status in rows:
        if status:
            found.setdefault(int(number), set()).add(str(status))
    return {number: frozenset(statuses) for number, statuses in found.items()}
