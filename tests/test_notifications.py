"""A contributing organisation hears by e-mail when the secretariat returns or
validates its contribution, in each account's language, unless it said no."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.mail_links import plain_text
from tests.smtp import smtp_server
from tests.test_permissions import EMAILS, actor_of, lille_contribution
from tracker.accounts import actions as accounts
from tracker.accounts.queries import get_account
from tracker.contributions import actions as contributions
from tracker.db.engine import make_engine, reading
from tracker.db.models import OutboxMessage
from tracker.domain.vocabulary import ContributionState
from tracker.i18n import typography
from tracker.mail import sender
from tracker.mail.rules import Kind
from tracker.operations.seed import prepare_database

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _messages(db, after: int = 0) -> list[OutboxMessage]:
    return db.scalars(
        select(OutboxMessage).where(OutboxMessage.id > after).order_by(OutboxMessage.id)
    ).all()


def _last_id(db) -> int:
    return db.scalar(select(func.max(OutboxMessage.id))) or 0


def test_a_returned_contribution_tells_its_organisation_why_in_its_language(db):
    item = lille_contribution(db, ContributionState.SUBMITTED)
    get_account(db, EMAILS["contributor_lille"]).language = "en"
    db.flush()
    before = _last_id(db)
    contributions.send_back(
        db, actor_of(db, "reviewer"), item.id, comment="Il manque le budget.", at=NOW
    )
    (message,) = _messages(db, before)
    assert (message.recipient, message.kind, message.language) == (
        EMAILS["contributor_lille"],
        Kind.CONTRIBUTION_RETURNED,
        "en",
    )
    text = plain_text(message.content)
    assert "returned" in text and "Il manque le budget." in text and item.title in text
    assert "/preferences?lang=en" in text
    assert "List-Unsubscribe: <" in message.content


def test_a_validated_contribution_tells_its_organisation_and_no_one_else(db):
    item = lille_contribution(db, ContributionState.SUBMITTED)
    before = _last_id(db)
    contributions.validate(db, actor_of(db, "reviewer"), item.id, at=NOW)
    (message,) = _messages(db, before)
    assert message.recipient == EMAILS["contributor_lille"]
    assert message.subject.startswith("Contribution validée")
    assert "désormais publique" in plain_text(message.content)


def test_an_account_that_turned_them_off_receives_none(db):
    lille = actor_of(db, "contributor_lille")
    accounts.set_preferences(db, lille, notify_reviews=False, language="fr", at=NOW)
    item = lille_contribution(db, ContributionState.SUBMITTED)
    before = _last_id(db)
    contributions.validate(db, actor_of(db, "reviewer"), item.id, at=NOW)
    assert _messages(db, before) == []


def test_the_right_people_receive_the_right_email_through_a_real_smtp_server(
    tmp_path, monkeypatch, sqlite_url
):
    with smtp_server(tmp_path) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        engine = make_engine(sqlite_url)
        prepare_database(engine, demo=True)
        with reading(engine) as session:
            reviewer = actor_of(session, "reviewer")
            lille = actor_of(session, "contributor_lille")
        returned = contributions.create(
            engine,
            lille,
            {"proposal": 3, "title": "Atlas des données", "status": "engagee", "progress": 10},
            submit=True,
        )
        validated = contributions.create(
            engine,
            lille,
            {"proposal": 4, "title": "Portail ouvert", "status": "engagee", "progress": 10},
            submit=True,
        )
        contributions.send_back(engine, reviewer, returned.id, comment="Précisez le budget.")
        contributions.validate(engine, reviewer, validated.id)
        sender.send_due(engine)
        received = server.inbox.wait_for(6)
    to_lille = [r for r in received if r.rcpt_tos == [EMAILS["contributor_lille"]]]
    subjects = sorted(r.message["Subject"] for r in to_lille)
    assert subjects == [
        typography("Contribution renvoyée : Atlas des données", "fr"),
        typography("Contribution validée : Portail ouvert", "fr"),
    ]
    # each submission told the secretariat's two accounts, at once (their default)
    to_secretariat = [r for r in received if r not in to_lille]
    assert sorted(r.rcpt_tos[0] for r in to_secretariat) == sorted(
        [EMAILS["reviewer"], EMAILS["administrator"]] * 2
    )
    assert {r.message["Subject"] for r in to_secretariat} == {
        typography("Contributions soumises à la validation : 1", "fr")
    }
    assert all(r.message["List-Unsubscribe"] for r in received)


def test_a_contributor_turns_them_off_on_the_preferences_page(monkeypatch, demo_app_url):
    from tests.apptest import open_page
    from tests.test_pages_contributions import account_id

    app = open_page(monkeypatch, demo_app_url, "preferences")
    assert not app.exception and "Connectez-vous" in app.info[0].value
    lille = account_id(demo_app_url, EMAILS["contributor_lille"])
    app = open_page(monkeypatch, demo_app_url, "preferences", signed_in=lille)
    assert app.checkbox[0].value is True
    app.checkbox[0].uncheck()
    app.radio[-1].set_value("en")
    next(b for b in app.button if b.label == "Enregistrer").click()
    app.run()
    assert not app.exception and app.success
    with reading(make_engine(demo_app_url)) as session:
        account = get_account(session, EMAILS["contributor_lille"])
        assert (account.notify_reviews, account.language) == (False, "en")
