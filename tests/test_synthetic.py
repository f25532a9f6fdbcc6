"""`demo generate`: a deterministic synthetic database, labelled demonstration data."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select

from tracker.contributions import queries as contribution_queries
from tracker.db import settings
from tracker.db.engine import make_engine
from tracker.db.models import Contribution, ContributionVersion, Organisation, ProposalChange
from tracker.db.unit_of_work import transaction
from tracker.errors import Conflict
from tracker.operations import synthetic
from tracker.operations.backup import backup, content_digest

SIZES = {"organisations": 40, "contributions": 300, "history": 500}
SAME = ["organisations", "contributions", "contribution_versions"]


def generated_history(engine) -> list[tuple]:
    """The generated history rows (the demonstration seed's own rows are dated
    from today, so they are left out)."""
    with transaction(engine) as session:
        rows = session.execute(
            select(
                ProposalChange.proposal_id,
                ProposalChange.changed_at,
                ProposalChange.field,
                ProposalChange.new_value,
            )
            .where(ProposalChange.author == "Démonstration (générée)")
            .order_by(ProposalChange.id)
        ).all()
    return [
        (p, c.astimezone(UTC).replace(tzinfo=None) if c.tzinfo else c, f, v) for p, c, f, v in rows
    ]


def test_the_same_seed_gives_the_same_database_labelled_as_demonstration(any_url, tmp_path):
    first = make_engine(any_url)
    synthetic.generate(first, seed=7, **SIZES)
    second = make_engine(f"sqlite:///{tmp_path / 'second.db'}")
    synthetic.generate(second, seed=7, **SIZES)
    with transaction(first) as session:
        assert settings.is_demo(session)
        demo_orgs = session.scalar(
            select(func.count(Organisation.id)).where(Organisation.code.like("synth-%"))
        )
        assert demo_orgs == 40
        made = session.scalar(
            select(func.count(Contribution.id)).where(Contribution.created_by == "demo.generate")
        )
        assert made == 300
        assert session.scalar(select(func.count(ContributionVersion.id))) >= 300
        assert session.scalar(select(func.count(ProposalChange.id))) >= 500
        public = contribution_queries.public_frame(session)
        assert len(public[public["title"].str.startswith("Action de coopération fictive")]) == 300
    for engine, name in ((first, "first.zip"), (second, "second.zip")):
        backup(engine, tmp_path / name)
    one, two = content_digest(tmp_path / "first.zip"), content_digest(tmp_path / "second.zip")
    assert {t: one[t] for t in SAME} == {t: two[t] for t in SAME}
    history = generated_history(first)
    assert len(history) == 500 and history == generated_history(second)
    # The database keeps working: new rows get new ids after the bulk insert.
    with pytest.raises(Conflict):
        synthetic.generate(first, seed=8, **SIZES)
    first.dispose()
    second.dispose()
