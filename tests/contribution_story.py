"""A dated story of contributions written through the services, on top of the
demonstration data, for the tests of past states and briefings.

Between SINCE (1 June 2024) and AS_OF (31 December 2025):
- Lille's contribution to proposal 4 (durable) is validated on 10 July 2024,
  then edited (its title becomes a formula with markup) and validated again on
  1 March 2025;
- Lyon's contribution to proposal 12 (solidaire) is validated at 23:59 UTC on
  31 December 2025, the last minute of the window.
Outside the window: Lyon's contribution to proposal 9 validated at 23:30 UTC on
1 June 2024 (the day compared with), Lille's to proposal 16 validated on
5 January 2026, and Lyon's to proposal 13, submitted but never validated.
(The demonstration's own four validations are from February to May 2024.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.test_permissions import actor_of
from tracker.contributions import actions as contributions
from tracker.db.models import ContributionVersion, Organisation, Proposal

SINCE = date(2024, 6, 1)
AS_OF = date(2025, 12, 31)
FIRST_TITLE = "Jumelage numérique avec Dakar"
HOSTILE_TITLE = '=HYPERLINK("http://x","<b>Lien</b> & co")'


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _validated(session: Session, author: str, fields: dict, when: str) -> int:
    writer, reviewer = actor_of(session, author), actor_of(session, "reviewer")
    item = contributions.create(session, writer, fields, at=at(when))
    contributions.submit(session, writer, item.id, at=at(when))
    contributions.validate(session, reviewer, item.id, at=at(when))
    return item.id


def add_story(session: Session) -> dict[str, int]:
    """Write the story; the ids of its contributions by name."""
    base = {"status": "engagee", "progress": 20}
    ids = {
        "lille_4": _validated(
            session,
            "contributor_lille",
            {**base, "proposal": 4, "title": FIRST_TITLE},
            "2024-07-10T09:00",
        ),
        "lyon_9": _validated(
            session,
            "contributor_lyon",
            {**base, "proposal": 9, "title": "Capteurs partagés"},
            "2024-06-01T23:30",
        ),
        "lyon_12": _validated(
            session,
            "contributor_lyon",
            {**base, "proposal": 12, "title": "Maison du numérique"},
            "2025-12-31T23:59",
        ),
        "lille_16": _validated(
            session,
            "contributor_lille",
            {**base, "proposal": 16, "title": "Atelier de sobriété"},
            "2026-01-05T10:00",
        ),
    }
    lille, lyon = actor_of(session, "contributor_lille"), actor_of(session, "contributor_lyon")
    contributions.update(
        session,
        lille,
        ids["lille_4"],
        {"title": HOSTILE_TITLE, "progress": 50},
        at=at("2025-02-20T08:00"),
    )
    contributions.validate(
        session, actor_of(session, "reviewer"), ids["lille_4"], at=at("2025-03-01T14:00")
    )
    waiting = contributions.create(
        session, lyon, {**base, "proposal": 13, "title": "En attente"}, at=at("2025-06-01T08:00")
    )
    contributions.submit(session, lyon, waiting.id, at=at("2025-06-01T08:00"))
    ids["lyon_13"] = waiting.id
    session.flush()
    return ids


def versions_in_database(session: Session) -> list[dict]:
    """Every validated version, read straight from the table (not through the
    services under test)."""
    rows = session.execute(
        select(
            ContributionVersion.contribution_id,
            ContributionVersion.revision,
            ContributionVersion.title,
            ContributionVersion.validated_at,
            Proposal.number,
            Organisation.short_name,
        )
        .join(Proposal, Proposal.id == ContributionVersion.proposal_id)
        .join(Organisation, Organisation.id == ContributionVersion.organisation_id)
    ).all()
    return [
        {
            "id": r.contribution_id,
            "revision": r.revision,
            "title": r.title,
            "validated_at": r.validated_at
            if r.validated_at.tzinfo
            else r.validated_at.replace(tzinfo=UTC),
            "proposal": r.number,
            "organisation": r.short_name,
        }
        for r in rows
    ]


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=UTC)


def expected_between(rows: list[dict], since: date, as_of: date, numbers: set[int]) -> dict:
    """{contribution id: (title last validated in the window, new)} by the
    plain definition: validated after the end of `since`, by the end of `as_of`."""
    found: dict[int, tuple[int, str]] = {}
    for r in rows:
        in_window = end_of(since) < r["validated_at"] <= end_of(as_of)
        later = r["id"] not in found or r["revision"] > found[r["id"]][0]
        if in_window and r["proposal"] in numbers and later:
            found[r["id"]] = (r["revision"], r["title"])
    seen = {r["id"] for r in rows if r["validated_at"] <= end_of(since)}
    return {i: (title, i not in seen) for i, (_, title) in found.items()}


def expected_at(rows: list[dict], day: date) -> dict:
    """{contribution id: title} as the public saw them at the end of `day`."""
    latest: dict[int, tuple[int, str]] = {}
    for r in rows:
        later = r["id"] not in latest or r["revision"] > latest[r["id"]][0]
        if r["validated_at"] <= end_of(day) and later:
            latest[r["id"]] = (r["revision"], r["title"])
    return {i: title for i, (_, title) in latest.items()}
