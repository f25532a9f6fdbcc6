"""The database layer, on SQLite and on this machine's PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text

from tracker.catalogue.actions import edit_wording
from tracker.catalogue.queries import get_proposal
from tracker.db import settings
from tracker.db.engine import current_revision, reading
from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM, VISITOR, Actor
from tracker.domain.vocabulary import Role
from tracker.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tracker.followup import queries
from tracker.followup.actions import update_followup
from tracker.operations.seed import prepare_database

REVIEWER = Actor("Secrétariat CNCD", Role.REVIEWER)


def counts(engine):
    with transaction(engine) as session:
        return (
            session.scalar(select(func.count(Organisation.id))),
            session.scalar(select(func.count(Proposal.id))),
            session.scalar(select(func.count(ProposalChange.id))),
            settings.revision(session),
        )


def test_migrations_reach_head(engine):
    assert current_revision(engine) is not None


def test_seeding_loads_twenty_proposals_and_twice_changes_nothing(engine):
    prepare_database(engine, demo=True)
    first = counts(engine)
    assert first[1] == 20
    prepare_database(engine, demo=True)
    assert counts(engine) == first


def test_catalogue_only_seed_is_not_demo_and_every_proposal_starts_not_assessed(engine):
    prepare_database(engine, demo=False)
    with transaction(engine) as session:
        frame = queries.proposals_frame(session)
        assert not settings.is_demo(session)
    assert set(frame["status"]) == {"non_evaluee"}
    assert frame["progress"].isna().all()


def test_demo_seed_is_labelled_and_its_latest_assessments_are_the_current_state(demo_engine):
    with transaction(demo_engine) as session:
        assert settings.is_demo(session)
        frame = queries.proposals_frame(session)
    assert frame["status"].value_counts().to_dict() == {
        "engagee": 6,
        "partiellement_realisee": 4,
        "en_suspens": 3,
        "non_evaluee": 2,
        "non_engagee": 2,
        "realisee": 2,
        "abandonnee": 1,
    }
    done = frame[frame["status"] == "realisee"]
    assert (done["progress"] == 100).all()


def test_every_follow_up_change_is_kept_with_who_when_old_and_new(demo_engine):
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    with transaction(demo_engine) as session:
        before = queries.proposals_frame(session).set_index("number").loc[3]
        rows = update_followup(
            session,
            REVIEWER,
            3,
            {"status": "en_suspens", "progress": 10, "blockers_fr": "Budget gelé"},
            at=at,
        )
    assert {r.field for r in rows} >= {"status", "progress", "blockers_fr", "last_assessed_on"}
    with transaction(demo_engine) as session:
        history = queries.history_frame(session, 3)
    last = history[history["changed_at"] == at]
    status = last[last["field"] == "status"].iloc[0]
    assert status["old_value"] == before["status"]
    assert status["new_value"] == "en_suspens"
    assert status["author"] == "Secrétariat CNCD"
    assert last[last["field"] == "last_assessed_on"].iloc[0]["new_value"] == "2026-11-20"


def test_saving_the_same_values_records_nothing(demo_engine):
    with transaction(demo_engine) as session:
        current = queries.proposals_frame(session).set_index("number").loc[5]
        rows = update_followup(
            session,
            REVIEWER,
            5,
            {"status": current["status"], "progress": int(current["progress"])},
        )
    assert rows == []


def test_a_status_alone_sets_the_progress_it_implies(demo_engine):
    with transaction(demo_engine) as session:
        update_followup(session, REVIEWER, 4, {"status": "realisee"})
        assert queries.proposals_frame(session).set_index("number").loc[4]["progress"] == 100


def test_invalid_follow_up_is_refused_and_nothing_is_written(demo_engine):
    before = counts(demo_engine)
    with pytest.raises(ValidationError), transaction(demo_engine) as session:
        update_followup(session, REVIEWER, 4, {"status": "realisee", "progress": 80})
    with pytest.raises(ValidationError), transaction(demo_engine) as session:
        update_followup(session, REVIEWER, 4, {"lead_owner": "nobody"})
    with pytest.raises(ValidationError), transaction(demo_engine) as session:
        update_followup(session, REVIEWER, 4, {"target_date": "31/12/2026"})
    assert counts(demo_engine) == before


def test_a_visitor_may_not_change_the_follow_up(demo_engine):
    with pytest.raises(PermissionDenied), transaction(demo_engine) as session:
        update_followup(session, VISITOR, 4, {"status": "realisee"})


def test_an_unknown_proposal_is_a_named_error(demo_engine):
    with pytest.raises(NotFound), transaction(demo_engine) as session:
        update_followup(session, REVIEWER, 99, {"status": "realisee"})


def test_a_save_based_on_an_old_version_is_refused(demo_engine):
    with transaction(demo_engine) as session:
        version = queries.proposals_frame(session).set_index("number").loc[6]["version"]
    with transaction(demo_engine) as session:
        update_followup(
            session, REVIEWER, 6, {"next_steps_fr": "Première"}, expected_version=int(version)
        )
    with pytest.raises(Conflict), transaction(demo_engine) as session:
        update_followup(
            session, REVIEWER, 6, {"next_steps_fr": "Seconde"}, expected_version=int(version)
        )


def test_correcting_a_wording_is_kept_in_history(demo_engine):
    admin = Actor("Admin", Role.ADMINISTRATOR)
    with reading(demo_engine) as session:
        version = get_proposal(session, 12).version
    edit_wording(
        demo_engine,
        admin,
        12,
        {"title_fr": "Nouveau titre", "wording_status": "verbatim"},
        expected_version=version,
    )
    with transaction(demo_engine) as session:
        history = queries.history_frame(session, 12)
        title = history[history["field"] == "title_fr"].iloc[-1]
        assert title["new_value"] == "Nouveau titre" and title["author"] == "Admin"
        assert (
            queries.proposals_frame(session).set_index("number").loc[12]["wording_status"]
            == "verbatim"
        )
    with pytest.raises(PermissionDenied):
        edit_wording(demo_engine, REVIEWER, 12, {"title_fr": "x"}, expected_version=version + 1)


def test_demo_data_is_never_mixed_into_real_follow_up(engine):
    prepare_database(engine, demo=False)
    with transaction(engine) as session:
        update_followup(session, SYSTEM, 1, {"status": "engagee", "progress": 10})
    with pytest.raises(Conflict):
        prepare_database(engine, demo=True)


def test_dates_read_back_as_dates_and_times_as_utc(demo_engine):
    with transaction(demo_engine) as session:
        frame = queries.proposals_frame(session)
        history = queries.history_frame(session)
    assert all(isinstance(d, date) for d in frame["last_assessed_on"].dropna())
    assert str(history["changed_at"].dt.tz) == "UTC"


def test_sqlite_runs_with_foreign_keys_and_wal(sqlite_url):
    from tracker.db.engine import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
