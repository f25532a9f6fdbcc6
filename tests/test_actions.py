"""Every write is an action: one user intent, its own transaction, its audit row.

`tracker.db.unit_of_work.ACTIONS` lists every action the package defines; each
one is run here the way its users run it, and must leave an audit row. A new
action without a case below fails `test_every_action_has_a_case`.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

import tracker.accounts.sessions
import tracker.cli  # noqa: F401  (imports every capability, so every action registers)
from tests.mail_links import link_token
from tests.test_faults import import_file
from tests.test_permissions import EMAILS, NEW, actor_of, lille_contribution
from tracker.accounts import actions as accounts
from tracker.accounts import links, sessions
from tracker.accounts import queries as account_queries
from tracker.catalogue import actions as catalogue
from tracker.catalogue.queries import get_proposal
from tracker.contributions import actions as contributions
from tracker.contributions import importer
from tracker.db import settings
from tracker.db.engine import make_engine, reading
from tracker.db.models import AuditEntry, OutboxMessage, ProposalChange, ReviewSession
from tracker.db.unit_of_work import ACTIONS
from tracker.domain.vocabulary import ContributionState
from tracker.errors import ValidationError
from tracker.followup import actions as followup
from tracker.mail import actions as mail_actions
from tracker.operations.seed import DEMO_PASSWORD
from tracker.review_sessions import actions as review
from tracker.review_sessions.actions import record_review_session

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def _token(db, email="lille@demo.invalid", at=NOW) -> str:
    code = sessions.issue_code(db, account_queries.get_account(db, email).id, at=at)
    return sessions.redeem_code(db, code, at=at)


def _reset_token(db) -> str:
    """A reset link's token, as the e-mail carries it."""
    links.request_reset(db, EMAILS["contributor_lyon"], at=NOW)
    row = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return link_token(row.content)


def _failed_message(db) -> OutboxMessage:
    links.request_reset(db, EMAILS["contributor_lyon"], at=NOW)
    row = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    row.state = "failed"
    db.flush()
    return row


def _contribution(db, state):
    return lille_contribution(db, state)


# How each action is used: a function of the session (the test's unit of work)
# that calls the action once, on its successful path.
def _import_wording(db):
    from tracker.catalogue.wording import WORDING_COLUMNS, wording_frame

    frame = wording_frame(db)
    frame.loc[frame["number"] == 3, "title_en"] = "Select showcase territories (official)"
    rows = frame.astype(str).to_numpy().tolist()
    return catalogue.import_wording(
        db, actor_of(db, "administrator"), list(WORDING_COLUMNS), rows, list(range(2, 22))
    )


CASES = {
    "tracker.accounts.actions.create_account": lambda db: accounts.create_account(
        db,
        actor_of(db, "administrator"),
        email="nouvelle@demo.invalid",
        role="contributor",
        password="un-mot-de-passe-long",
        organisation="mel",
        display_name="Nouvelle Contributrice",
    ),
    "tracker.accounts.actions.set_active": lambda db: accounts.set_active(
        db, actor_of(db, "administrator"), EMAILS["contributor_lyon"], False
    ),
    "tracker.accounts.actions.set_password": lambda db: accounts.set_password(
        db, actor_of(db, "administrator"), EMAILS["contributor_lyon"], "un-autre-mot-de-passe"
    ),
    "tracker.accounts.actions.record_sign_in": lambda db: accounts.sign_in(
        db, EMAILS["contributor_lille"], DEMO_PASSWORD, at=NOW
    ),
    "tracker.accounts.sessions.redeem_code": lambda db: sessions.redeem_code(
        db,
        sessions.issue_code(db, account_queries.get_account(db, EMAILS["reviewer"]).id, at=NOW),
        at=NOW,
    ),
    "tracker.accounts.sessions.resolve": lambda db: sessions.resolve(
        db, _token(db), at=NOW + timedelta(hours=13)
    ),
    "tracker.accounts.sessions.sign_out": lambda db: sessions.sign_out(db, _token(db), at=NOW),
    "tracker.accounts.actions.set_preferences": lambda db: accounts.set_preferences(
        db, actor_of(db, "contributor_lyon"), notify_reviews=False, language="en", at=NOW
    ),
    "tracker.accounts.links.invite": lambda db: links.invite(
        db,
        actor_of(db, "administrator"),
        email="invitee@demo.invalid",
        role="reviewer",
        display_name="Invitée",
        at=NOW,
    ),
    "tracker.accounts.links.invite_many": lambda db: links.invite_many(
        db,
        actor_of(db, "administrator"),
        [
            {
                "email": "a@demo.invalid",
                "role": "contributor",
                "organisation": "mel",
                "display_name": "A",
            }
        ],
        [2],
        at=NOW,
    ),
    "tracker.accounts.links.request_reset": lambda db: links.request_reset(
        db, EMAILS["contributor_lyon"], at=NOW
    ),
    "tracker.accounts.links.spend_link": lambda db: links.choose_password(
        db, _reset_token(db), "un-nouveau-mot-de-passe", at=NOW
    ),
    "tracker.mail.actions.retry": lambda db: mail_actions.retry(
        db, actor_of(db, "administrator"), _failed_message(db).id, at=NOW
    ),
    "tracker.mail.actions.set_reminder_days": lambda db: mail_actions.set_reminder_days(
        db, actor_of(db, "administrator"), 5, at=NOW
    ),
    "tracker.contributions.actions.create": lambda db: contributions.create(
        db, actor_of(db, "contributor_lille"), NEW
    ),
    "tracker.contributions.actions.create_many": lambda db: contributions.create_many(
        db, actor_of(db, "contributor_lille"), [NEW, {**NEW, "title": "Deuxième"}]
    ),
    "tracker.contributions.actions.update": lambda db: contributions.update(
        db,
        actor_of(db, "contributor_lille"),
        _contribution(db, ContributionState.DRAFT).id,
        {"title": "Titre corrigé"},
    ),
    "tracker.contributions.actions.delete": lambda db: contributions.delete(
        db, actor_of(db, "contributor_lille"), _contribution(db, ContributionState.DRAFT).id
    ),
    "tracker.contributions.actions.submit": lambda db: contributions.submit(
        db, actor_of(db, "contributor_lille"), _contribution(db, ContributionState.DRAFT).id
    ),
    "tracker.contributions.actions.validate": lambda db: contributions.validate(
        db, actor_of(db, "reviewer"), _contribution(db, ContributionState.SUBMITTED).id
    ),
    "tracker.contributions.actions.send_back": lambda db: contributions.send_back(
        db,
        actor_of(db, "reviewer"),
        _contribution(db, ContributionState.SUBMITTED).id,
        comment="Il manque le budget.",
    ),
    "tracker.contributions.importer.write_import": lambda db: importer.import_contributions(
        db, actor_of(db, "contributor_lille"), import_file(3), "trois.csv"
    ),
    "tracker.catalogue.actions.load_organisations": lambda db: catalogue.load_organisations(
        db,
        actor_of(db, "administrator"),
        [{"code": "brest", "short_name": "Brest", "full_name": "Brest Métropole", "kind": "epci"}],
    ),
    "tracker.catalogue.actions.load_proposals": lambda db: catalogue.load_proposals(
        db,
        actor_of(db, "administrator"),
        [
            {
                **{k: v or "" for k, v in _catalogue_row(db, 3).items()},
                "title_fr": "Titre chargé d'un fichier",
            }
        ],
    ),
    "tracker.catalogue.actions.edit_wording": lambda db: catalogue.edit_wording(
        db,
        actor_of(db, "administrator"),
        4,
        {"title_fr": "Titre corrigé"},
        expected_version=get_proposal(db, 4).version,
    ),
    "tracker.catalogue.actions.import_wording": lambda db: _import_wording(db),
    "tracker.catalogue.actions.save_organisation": lambda db: catalogue.save_organisation(
        db,
        actor_of(db, "administrator"),
        {"code": "brest", "short_name": "Brest", "full_name": "Brest Métropole", "kind": "epci"},
    ),
    "tracker.followup.actions.edit_followup": lambda db: followup.edit_followup(
        db,
        actor_of(db, "reviewer"),
        6,
        {"blockers_fr": "Budget"},
        expected_version=get_proposal(db, 6).version,
    ),
    "tracker.review_sessions.actions.record_review_session": lambda db: record_review_session(
        db, actor_of(db, "reviewer"), date(2025, 2, 6), "6e séance"
    ),
    "tracker.review_sessions.actions.plan_session": lambda db: review.plan_session(
        db, actor_of(db, "reviewer"), date(2031, 2, 6), "Séance à venir"
    ),
    "tracker.review_sessions.actions.hold_session": lambda db: review.hold_session(
        db, actor_of(db, "reviewer"), _session(db, "planned").id, today=date(2031, 2, 6)
    ),
    "tracker.review_sessions.actions.publish_minutes": lambda db: review.publish_minutes(
        db, actor_of(db, "reviewer"), _session(db, "held").id, attendance="CNCD, MEAE"
    ),
    "tracker.review_sessions.actions.save_agenda": lambda db: review.save_agenda(
        db, actor_of(db, "reviewer"), _session(db, "planned").id, ["proposal:4", "proposal:1"]
    ),
    "tracker.review_sessions.actions.record_session_updates": lambda db: (
        review.record_session_updates(
            db, actor_of(db, "reviewer"), _session(db, "held").id, {6: {"blockers_fr": "Budget"}}
        )
    ),
    "tracker.review_sessions.actions.record_decision": lambda db: review.record_decision(
        db, actor_of(db, "reviewer"), _session(db, "held").id, text_fr="Relancer", numbers=[4]
    ),
    "tracker.review_sessions.actions.set_decision_state": lambda db: review.set_decision_state(
        db,
        actor_of(db, "reviewer"),
        review.record_decision(
            db, actor_of(db, "reviewer"), _session(db, "held").id, text_fr="Relancer"
        ).id,
        "done",
    ),
}


def _session(db, state: str):
    """A session in `state`, made for the case."""
    reviewer = actor_of(db, "reviewer")
    if state == "planned":
        return review.plan_session(db, reviewer, date(2031, 2, 6), "Séance prévue")
    return record_review_session(db, reviewer, date(2025, 2, 6), "Séance tenue")


def _catalogue_row(db, number: int) -> dict[str, object]:
    from tracker.catalogue.rules import CATALOGUE_FIELDS

    proposal = get_proposal(db, number)
    return {"number": str(number), **{f: getattr(proposal, f) for f in CATALOGUE_FIELDS}}


def test_every_action_has_a_case():
    assert set(ACTIONS) == set(CASES)


def _audit_count(db) -> int:
    return db.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_action_leaves_an_audit_row(db, name):
    before = _audit_count(db)
    CASES[name](db)
    db.flush()
    assert _audit_count(db) > before, f"{name} wrote no audit row"


def test_an_action_owns_its_transaction_committed_once_with_the_revision_bumped(demo_engine):
    with reading(demo_engine) as session:
        before = settings.revision(session)
        reviewer = actor_of(session, "reviewer")
    record_review_session(demo_engine, reviewer, date(2025, 2, 6), "6e séance")
    # another connection sees it: the action committed by itself
    with reading(demo_engine) as session:
        assert session.scalar(select(func.count()).select_from(ReviewSession)) == 1
        assert settings.revision(session) == before + 1


def test_an_action_that_refuses_leaves_nothing(demo_engine):
    with reading(demo_engine) as session:
        reviewer = actor_of(session, "reviewer")
        before = (settings.revision(session), _audit_count(session))
    with pytest.raises(ValidationError):
        record_review_session(demo_engine, reviewer, date(2025, 2, 6), "")
    with reading(demo_engine) as session:
        assert (settings.revision(session), _audit_count(session)) == before


def test_an_action_takes_an_engine_not_anything_else():
    with pytest.raises(TypeError):
        record_review_session("sqlite://", None, date(2025, 2, 6), "x")


# Save and submit is one intent ------------------------------------------------------


def test_saving_and_submitting_is_one_action_that_submits_only_what_may_be(demo_engine):
    with reading(demo_engine) as session:
        lille = actor_of(session, "contributor_lille")
    item = contributions.create(demo_engine, lille, NEW, submit=True)
    assert item.state == ContributionState.SUBMITTED.value
    draft = contributions.create(demo_engine, lille, {**NEW, "title": "Brouillon"})
    saved = contributions.update(
        demo_engine,
        lille,
        draft.id,
        {"title": "Brouillon corrigé"},
        expected_version=draft.version,
        submit=True,
    )
    assert saved.state == ContributionState.SUBMITTED.value
    with reading(demo_engine) as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "contribution", AuditEntry.entity_id == str(draft.id))
            .order_by(AuditEntry.id)
        ).all()
    assert list(dict.fromkeys(actions)) == [
        "contribution.create",
        "contribution.update",
        "contribution.submit",
    ]


def test_a_refused_save_and_submit_submits_nothing(demo_engine):
    with reading(demo_engine) as session:
        lille = actor_of(session, "contributor_lille")
    draft = contributions.create(demo_engine, lille, NEW)
    with pytest.raises(ValidationError):
        contributions.update(
            demo_engine,
            lille,
            draft.id,
            {"title": " "},
            expected_version=draft.version,
            submit=True,
        )
    with reading(demo_engine) as session:
        assert session.get(type(draft), draft.id).state == ContributionState.DRAFT.value


@pytest.mark.parametrize("state", list(ContributionState))
def test_the_states_say_what_they_allow_and_the_actions_agree(db, state):
    lille = actor_of(db, "contributor_lille")
    item = lille_contribution(db, ContributionState.DRAFT)
    item.state = state.value
    db.flush()
    if state.may_submit:
        contributions.submit(db, lille, item.id)
    else:
        with pytest.raises(Exception, match="bad_transition"):
            contributions.submit(db, lille, item.id)


# The correctness bugs the layout exposed ----------------------------------------------


def test_recording_a_review_session_is_audited_with_the_account_that_acted(db):
    reviewer = actor_of(db, "reviewer")
    row = record_review_session(db, reviewer, date(2025, 2, 6), "6e séance", at=NOW)
    assert row.recorded_by == EMAILS["reviewer"]
    assert row.recorded_at == NOW
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "review_session.add")).all()
    assert {a.actor for a in audit} == {EMAILS["reviewer"]}
    assert {a.entity_id for a in audit} == {str(row.id)}
    assert {a.field: a.new_value for a in audit} == {
        "held_on": "2025-02-06",
        "label": "6e séance",
        "format": "in_person",
        "state": "held",
    }


def test_the_public_sessions_table_names_no_one(demo_engine):
    """Who recorded a session is in the audit log; the table that public pages
    show names the session, its format and its state, never a person (#16)."""
    from tracker.review_sessions.queries import review_sessions_frame, sessions_table

    with reading(demo_engine) as session:
        reviewer = actor_of(session, "reviewer")
    record_review_session(demo_engine, reviewer, date(2025, 2, 6), "6e séance")
    with reading(demo_engine) as session:
        shown = sessions_table(review_sessions_frame(session), "fr")
    text = shown.to_csv()
    assert "@" not in text
    assert reviewer.name not in text
    assert "6e séance" in text and "Tenue" in text and "En présentiel" in text


def test_a_dry_run_import_writes_no_change_log_line(demo_engine, caplog):
    with reading(demo_engine) as session:
        lille = actor_of(session, "contributor_lille")
    with caplog.at_level(logging.INFO, logger="tracker"):
        report = importer.import_contributions(
            demo_engine, lille, import_file(3), "trois.csv", dry_run=True
        )
    assert report.ok and report.created == 3 and not report.written
    changes = [r for r in caplog.records if r.getMessage().startswith("contribution.")]
    assert changes == []
    # the same file, for real: its lines are written once committed
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="tracker"):
        importer.import_contributions(demo_engine, lille, import_file(3), "trois.csv")
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("contribution.")]


@pytest.mark.postgres
def test_a_wording_edit_audits_only_the_history_rows_it_wrote(postgres_url):
    """Another writer commits a history row while the edit is under way (on
    PostgreSQL nothing stops it): the edit's audit row names its own fields only."""
    from tracker.operations.seed import prepare_database

    engine = make_engine(postgres_url)
    prepare_database(engine, demo=True)
    other = make_engine(postgres_url)
    with reading(engine) as session:
        admin = actor_of(session, "administrator")
        version = get_proposal(session, 4).version
        proposal_9 = get_proposal(session, 9).id
    fired = []

    def another_writer_commits(session: Session, _context) -> None:
        if fired:
            return
        fired.append(True)
        with other.begin() as connection:
            connection.execute(
                ProposalChange.__table__.insert().values(
                    proposal_id=proposal_9,
                    changed_at=NOW,
                    author="Quelqu'un d'autre",
                    field="next_steps_fr",
                    old_value=None,
                    new_value="Écrit à côté",
                    origin="ui",
                )
            )

    event.listen(Session, "after_flush", another_writer_commits)
    try:
        catalogue.edit_wording(
            engine, admin, 4, {"title_fr": "Titre corrigé"}, expected_version=version
        )
    finally:
        event.remove(Session, "after_flush", another_writer_commits)
    assert fired
    with reading(engine) as session:
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "proposal.wording")
        ).all()
    assert {(a.entity_id, a.field) for a in audit} == {("4", "title_fr")}
    engine.dispose()
    other.dispose()
