"""Validated contributions through time: what the public saw at the end of a
day, and what the secretariat validated between two days.

Every validation writes a `ContributionVersion` that is never changed
afterwards, with its `validated_at`: the versions are the contributions'
history, as `proposal_changes` is the proposals'. The functions below are pure
functions of the versions frame, so the pages, the briefing and the tests
rebuild a past state the same way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import ContributionVersion, Organisation, Proposal
from tracker.domain.contribution_rules import PUBLIC_FIELDS
from tracker.services.accounts import aware
from tracker.services.contributions import PUBLIC_COLUMNS, _typed

VERSION_COLUMNS = [*PUBLIC_COLUMNS, "revision"]


def versions_frame(session: Session) -> pd.DataFrame:
    """Every validated version of every contribution, oldest validation first.
    Public fields only (no contact, no reviewer), like `public_frame`."""
    # Columns, not ORM objects: at national scale there are 100,000 versions.
    query = (
        select(
            ContributionVersion.contribution_id,
            Proposal.number,
            Organisation.code,
            Organisation.short_name,
            Organisation.kind,
            *(getattr(ContributionVersion, field) for field in PUBLIC_FIELDS),
            ContributionVersion.validated_at,
            ContributionVersion.revision,
        )
        .join(Proposal, Proposal.id == ContributionVersion.proposal_id)
        .join(Organisation, Organisation.id == ContributionVersion.organisation_id)
        .order_by(ContributionVersion.validated_at, ContributionVersion.id)
    )
    records = [(*row[:-2], aware(row[-2]), row[-1]) for row in session.execute(query).all()]
    return _typed(pd.DataFrame.from_records(records, columns=VERSION_COLUMNS))


def end_of_day(day: date) -> pd.Timestamp:
    return pd.Timestamp(datetime.combine(day, time.max, tzinfo=UTC))


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
    shown = versions[_validated(versions) <= end_of_day(day)]
    return _latest_each(shown)[PUBLIC_COLUMNS]


def validated_between(
    versions: pd.DataFrame, since: date, as_of: date, numbers: list[int] | None = None
) -> pd.DataFrame:
    """Contributions validated after the end of `since` and by the end of
    `as_of`, to the proposals `numbers` (all when None): each once, in the
    wording last validated in that window, oldest validation first, with `new`
    telling whether the public had seen none of it at `since`."""
    moments = _validated(versions)
    start, end = end_of_day(since), end_of_day(as_of)
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
