"""First start: the schema, the catalogue and, on request, demonstration data.

Seeding is idempotent: a second run finds everything in place and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tracker import config
from tracker.accounts import queries as account_queries
from tracker.catalogue.actions import load_organisations, load_proposals
from tracker.catalogue.rules import read_csv
from tracker.clock import noon
from tracker.db import settings
from tracker.db.engine import upgrade
from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.db.unit_of_work import mark_changed, transaction
from tracker.domain.permissions import SYSTEM, Actor
from tracker.domain.vocabulary import ADOPTION_DATE, Role
from tracker.errors import Conflict
from tracker.followup.actions import update_followup

DEMO_AUTHOR = Actor("Secrétariat CNCD (démonstration)", Role.SYSTEM)
BASELINE_AUTHOR = Actor("Système (état initial à l’adoption)", Role.SYSTEM)


DEMO_PASSWORD = "demo-demo-demo"  # documented in the demo section only
DEMO_ACCOUNTS = (
    ("admin@demo.invalid", "Administrateur (démonstration)", Role.ADMINISTRATOR, None),
    ("secretariat@demo.invalid", "Secrétariat CNCD (démonstration)", Role.REVIEWER, None),
    (
        "lille@demo.invalid",
        "Métropole Européenne de Lille (démonstration)",
        Role.CONTRIBUTOR,
        "mel",
    ),
    ("lyon@demo.invalid", "Métropole de Lyon (démonstration)", Role.CONTRIBUTOR, "lyon-metropole"),
)
DEMO_CONTRIBUTIONS_KEY = "demo_contributions"


@dataclass
class SeedReport:
    organisations: int = 0
    proposals: int = 0
    demo_changes: int = 0
    demo_accounts: int = 0
    demo_contributions: int = 0


def seed_catalogue(session: Session, data_dir: Path | None = None) -> SeedReport:
    data_dir = data_dir or config.DATA_DIR
    report = SeedReport()
    # The files are the catalogue a new database starts from; afterwards the
    # database owns it: what the secretariat corrected (a wording, an
    # organisation, the official text loaded from a file) is never put back
    # to the files' text when a server starts. Only what is missing is added.
    codes = set(session.scalars(select(Organisation.code)))
    organisations = [
        row for row in read_csv(data_dir / "organisations.csv") if row.get("code") not in codes
    ]
    report.organisations = (
        load_organisations(session, SYSTEM, organisations) if organisations else 0
    )
    known = set(session.scalars(select(Proposal.number)))
    rows = [
        row
        for row in read_csv(data_dir / "proposals.csv")
        if not str(row.get("number", "")).strip().isdigit() or int(row["number"]) not in known
    ]
    report.proposals = load_proposals(session, SYSTEM, rows) if rows else 0
    # The follow-up baseline: every new proposal is "not yet assessed" from
    # the report's adoption, so the state at any later date can be rebuilt.
    for number in sorted({int(row["number"]) for row in rows} - known):
        proposal = session.scalar(select(Proposal).where(Proposal.number == number))
        session.add(
            ProposalChange(
                proposal_id=proposal.id,
                changed_at=noon(ADOPTION_DATE),
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
                at=noon(first),
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
                    at=noon(date.fromisoformat(step["assessed_on"])),
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
                    at=noon(first),
                    origin="demo",
                )
            )
    settings.put(session, settings.DATASET_KEY, "demo")
    return written


def seed_demo_contributions(session: Session, demo_dir: Path | None = None) -> tuple[int, int]:
    """The demonstration accounts and contributions, once, and only into a
    demonstration database. Returns (accounts, contributions) created."""
    from tracker.accounts import actions as accounts
    from tracker.contributions import actions as contributions
    from tracker.db.models import Account

    if not settings.is_demo(session) or settings.get(session, DEMO_CONTRIBUTIONS_KEY):
        return 0, 0
    created = 0
    actors: dict[str, Actor] = {}
    for email, name, role, organisation in DEMO_ACCOUNTS:
        account = session.scalar(select(Account).where(Account.email == email))
        if account is None:
            account = accounts.create_account(
                session,
                SYSTEM,
                email=email,
                role=role,
                password=DEMO_PASSWORD,
                organisation=organisation,
                display_name=name,
                at=noon(date(2024, 1, 2)),
                origin="demo",
            )
            created += 1
        actors[email] = account_queries.actor_for(account)
    reviewer = actors["secretariat@demo.invalid"]
    rows = read_csv((demo_dir or config.DEMO_DIR) / "contributions.csv")
    for row in rows:
        author = actors[row["account"]]
        fields = {k: v for k, v in row.items() if k not in ("account", "state", "review_comment")}
        submitted = noon(date.fromisoformat(row["submitted_on"])) if row["submitted_on"] else None
        reviewed = noon(date.fromisoformat(row["reviewed_on"])) if row["reviewed_on"] else None
        first = submitted or noon(date(2026, 11, 1))
        item = contributions.create(session, author, fields, at=first, origin="demo")
        if row["state"] != "draft":
            contributions.submit(session, author, item.id, at=first, origin="demo")
        if row["state"] == "validated":
            contributions.validate(session, reviewer, item.id, at=reviewed, origin="demo")
        elif row["state"] == "returned":
            contributions.send_back(
                session,
                reviewer,
                item.id,
                comment=row["review_comment"],
                at=reviewed,
                origin="demo",
            )
    settings.put(session, DEMO_CONTRIBUTIONS_KEY, "1")
    mark_changed(session)
    return created, len(rows)


def prepare_database(engine: Engine, *, demo: bool = False) -> SeedReport:
    """Migrate, load the catalogue and, if asked, the demonstration data."""
    upgrade(engine)
    with transaction(engine) as session:
        report = seed_catalogue(session)
        if demo:
            report.demo_changes = seed_demo(session)
            report.demo_accounts, report.demo_contributions = seed_demo_contributions(session)
    return report
