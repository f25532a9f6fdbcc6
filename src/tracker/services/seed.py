"""First start: the schema, the catalogue and, on request, demonstration data.

Seeding is idempotent: a second run finds everything in place and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tracker import config
from tracker.db.engine import transaction, upgrade
from tracker.db.models import Proposal, ProposalChange
from tracker.domain.vocabulary import ADOPTION_DATE, Role
from tracker.errors import Conflict
from tracker.services import settings
from tracker.services.actors import SYSTEM, Actor
from tracker.services.catalogue import load_organisations, load_proposals, read_csv
from tracker.services.followup import update_followup

DEMO_AUTHOR = Actor("Secrétariat CNCD (démonstration)", Role.SYSTEM)
BASELINE_AUTHOR = Actor("Système (état initial à l’adoption)", Role.SYSTEM)


@dataclass
class SeedReport:
    organisations: int = 0
    proposals: int = 0
    demo_changes: int = 0


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def seed_catalogue(session: Session, data_dir: Path | None = None) -> SeedReport:
    data_dir = data_dir or config.DATA_DIR
    report = SeedReport()
    report.organisations = load_organisations(
        session, SYSTEM, read_csv(data_dir / "organisations.csv")
    )
    rows = read_csv(data_dir / "proposals.csv")
    known = set(session.scalars(select(Proposal.number)))
    report.proposals = load_proposals(session, SYSTEM, rows)
    # The follow-up baseline: every new proposal is "not yet assessed" from
    # the report's adoption, so the state at any later date can be rebuilt.
    for number in sorted({int(row["number"]) for row in rows} - known):
        proposal = session.scalar(select(Proposal).where(Proposal.number == number))
        session.add(
            ProposalChange(
                proposal_id=proposal.id,
                changed_at=_at(ADOPTION_DATE),
                author=BASELINE_AUTHOR.name,
                field="status",
                old_value=None,
                new_value=proposal.status,
                origin="baseline",
            )
        )
    return report


def seed_demo(session: Session, demo_dir: Path | None = None) -> int:
    """Replay the demonstration follow-up, once. Returns history rows written."""
    if settings.get(session, settings.DATASET_KEY) is not None:
        return 0
    followed_up = session.scalar(
        select(func.count(ProposalChange.id)).where(
            ProposalChange.origin.not_in(("baseline", "catalogue"))
        )
    )
    if followed_up:
        # Real follow-up data is never mixed with demonstration data.
        raise Conflict("error.demo_over_real_data")
    demo_dir = demo_dir or config.DEMO_DIR
    assessments: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(demo_dir / "assessments.csv"):
        assessments[int(row["number"])].append(row)
    written = 0
    for row in read_csv(demo_dir / "followup.csv"):
        number = int(row["number"])
        history = sorted(assessments.get(number, []), key=lambda r: r["assessed_on"])
        first = date.fromisoformat(history[0]["assessed_on"]) if history else date(2018, 9, 1)
        written += len(
            update_followup(
                session,
                DEMO_AUTHOR,
                number,
                {
                    "lead_owner": row.get("lead_owner") or None,
                    "co_owners": row.get("co_owners", ""),
                    "target_date": row.get("target_date") or None,
                },
                at=_at(first),
                origin="demo",
            )
        )
        for index, step in enumerate(history):
            changes: dict[str, object] = {
                "status": step["status"],
                "progress": step.get("progress") or None,
                "last_assessed_on": step["assessed_on"],
            }
            if index == len(history) - 1:
                changes.update(
                    {
                        f: row.get(f, "")
                        for f in ("next_steps_fr", "next_steps_en", "blockers_fr", "blockers_en")
                    }
                )
            written += len(
                update_followup(
                    session,
                    DEMO_AUTHOR,
                    number,
                    changes,
                    at=_at(date.fromisoformat(step["assessed_on"])),
                    comment_fr=step.get("comment_fr", ""),
                    comment_en=step.get("comment_en", ""),
                    origin="demo",
                )
            )
        if not history:
            written += len(
                update_followup(
                    session,
                    DEMO_AUTHOR,
                    number,
                    {
                        f: row.get(f, "")
                        for f in ("next_steps_fr", "next_steps_en", "blockers_fr", "blockers_en")
                    },
                    at=_at(first),
                    origin="demo",
                )
            )
    settings.put(session, settings.DATASET_KEY, "demo")
    return written


def prepare_database(engine: Engine, *, demo: bool = False) -> SeedReport:
    """Migrate, load the catalogue and, if asked, the demonstration data."""
    upgrade(engine)
    with transaction(engine) as session:
        report = seed_catalogue(session)
        if demo:
            report.demo_changes = seed_demo(session)
    return report


def history_count(session: Session) -> int:
    return session.scalar(select(func.count(ProposalChange.id))) or 0
