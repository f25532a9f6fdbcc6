"""A synthetic database at national scale, for benchmarks and rehearsals:
`python -m tracker demo generate --organisations N --contributions M --history K --seed S`.

Everything is demonstration data and labelled so (the banner says it). The same
arguments give the same database. Rows are written in bulk (`db.bulk`: COPY
on PostgreSQL, executemany on SQLite), not one service call each: the services' rules are not what is being
measured here, and a million rows through them would take hours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select, text

from tracker.contributions.rules import PUBLIC_FIELDS
from tracker.db import bulk, settings
from tracker.db.models import (
    Contribution,
    ContributionVersion,
    Organisation,
    Proposal,
    ProposalChange,
)
from tracker.db.unit_of_work import mark_changed, transaction
from tracker.domain.vocabulary import ContributionState, Status
from tracker.errors import Conflict
from tracker.operations.seed import prepare_database

START = datetime(2018, 7, 1, 9, 0, tzinfo=UTC)
SPAN_DAYS = (datetime(2026, 6, 30, tzinfo=UTC) - START).days
SYNTHETIC_PREFIX = "synth-"
STATUSES = [
    (Status.NON_ENGAGEE, 0, 0),
    (Status.ENGAGEE, 5, 60),
    (Status.PARTIELLEMENT_REALISEE, 40, 95),
    (Status.REALISEE, 100, 100),
    (Status.EN_SUSPENS, 10, 70),
]
COUNTRIES = ["SN", "MA", "TN", "BJ", "BF", "CI", "CM", "MG", "HT", "VN", "LB", "DE", "IT", "ES"]


@dataclass
class Generated:
    organisations: int
    contributions: int
    history: int


def _status(rng: random.Random) -> tuple[str, int]:
    status, low, high = rng.choice(STATUSES)
    return status.value, rng.randint(low, high)


def generate(
    engine: Engine, *, organisations: int, contributions: int, history: int, seed: int
) -> Generated:
    """Catalogue and demonstration data, then `organisations` fictitious local
    authorities, `contributions` validated contributions spread over them and
    `history` more follow-up history rows. Refuses a database that already
    holds anything but demonstration data."""
    prepare_database(engine, demo=True)
    rng = random.Random(seed)
    with transaction(engine) as session:
        if not settings.is_demo(session):
            raise Conflict("demo.generate_not_demo")
        if session.scalar(
            select(func.count(Organisation.id)).where(
                Organisation.code.like(f"{SYNTHETIC_PREFIX}%")
            )
        ):
            raise Conflict("demo.generate_done")
        proposal_ids = list(session.scalars(select(Proposal.id).order_by(Proposal.number)))
        first_org = (session.scalar(select(func.max(Organisation.id))) or 0) + 1
        first_contribution = (session.scalar(select(func.max(Contribution.id))) or 0) + 1
        first_version = (session.scalar(select(func.max(ContributionVersion.id))) or 0) + 1
        connection = session.connection()
        org_ids = list(range(first_org, first_org + organisations))
        bulk.insert_rows(
            connection,
            Organisation.__table__,
            (
                {
                    "id": org_id,
                    "code": f"{SYNTHETIC_PREFIX}{n:06d}",
                    "short_name": f"Commune fictive {n:06d}",
                    "full_name": f"Commune fictive n° {n} (démonstration)",
                    "kind": "commune",
                }
                for n, org_id in enumerate(org_ids, start=1)
            ),
        )
        _contributions(connection, rng, proposal_ids, org_ids, contributions, first_contribution)
        _versions(connection, first_contribution, first_version, contributions)
        _history(connection, rng, proposal_ids, history)
        if connection.dialect.name == "postgresql":
            for table in ("organisations", "contributions", "contribution_versions"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )
        mark_changed(session)
    with engine.connect() as connection:  # fresh statistics for the planner after bulk loads
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    return Generated(organisations, contributions, history)


def _contributions(connection, rng, proposal_ids, org_ids, count: int, first_id: int) -> None:
    def rows():
        for n in range(count):
            status, progress = _status(rng)
            created = START + timedelta(days=rng.randrange(SPAN_DAYS), minutes=n % 600)
            start = created.date() - timedelta(days=rng.randrange(400))
            yield {
                "id": first_id + n,
                "proposal_id": rng.choice(proposal_ids),
                "organisation_id": rng.choice(org_ids) if org_ids else 1,
                "state": ContributionState.VALIDATED.value,
                "title": f"Action de coopération fictive n° {n + 1}",
                "description": "Donnée de démonstration générée.",
                "status": status,
                "progress": progress,
                "start_date": start,
                "end_date": start + timedelta(days=365 + rng.randrange(1000))
                if rng.random() < 0.6
                else None,
                "partner_country": rng.choice(COUNTRIES),
                "partner_authority": "Collectivité partenaire fictive",
                "evidence_links": "",
                "budget_eur": Decimal(rng.randrange(1_000, 2_000_000)) / 100
                if rng.random() < 0.7
                else None,
                "contact": "",
                "review_comment": "",
                "created_by": "demo.generate",
                "created_at": created,
                "updated_at": created,
                "submitted_at": created,
                "version": 3,
            }

    bulk.insert_rows(connection, Contribution.__table__, rows())


def _versions(connection, first_contribution: int, first_version: int, count: int) -> None:
    """The validated version of each: what the public sees."""
    columns = ["proposal_id", "organisation_id", *PUBLIC_FIELDS]
    listed = ", ".join(columns)
    connection.execute(
        text(
            f"INSERT INTO contribution_versions (id, contribution_id, revision, {listed}, "
            "validated_at, validated_by) "
            f"SELECT id - :shift, id, 1, {listed}, updated_at, 'demo.generate' "
            "FROM contributions WHERE id >= :first AND id < :last"
        ),
        {
            "shift": first_contribution - first_version,
            "first": first_contribution,
            "last": first_contribution + count,
        },
    )


def _history(connection, rng, proposal_ids, count: int) -> None:
    def rows():
        for n in range(count):
            status, progress = _status(rng)
            field = "progress" if n % 2 else "status"
            yield {
                "proposal_id": rng.choice(proposal_ids),
                "changed_at": START + timedelta(minutes=rng.randrange(SPAN_DAYS * 24 * 60)),
                "author": "Démonstration (générée)",
                "field": field,
                "old_value": None,
                "new_value": str(progress) if field == "progress" else status,
                "comment_fr": "",
                "comment_en": "",
                "origin": "demo",
            }

    bulk.insert_rows(connection, ProposalChange.__table__, rows())
