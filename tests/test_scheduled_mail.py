"""The secretariat hears of submitted contributions (at once or in a daily
digest, as each account chooses), and organisations are reminded before each
planned session; each message once, in its recipient's language, through a
real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.mail_links import plain_text
from tests.smtp import smtp_server
from tests.test_permissions import EMAILS, actor_of
from tracker import cli
from tracker.accounts import actions as accounts
from tracker.accounts.queries import get_account
from tracker.contributions import actions as contributions
from tracker.db.engine import make_engine, reading
from tracker.db.models import Account, OutboxMessage
from tracker.db.unit_of_work import transaction
from tracker.errors import PermissionDenied, ValidationError
from tracker.i18n import typography
from tracker.mail import actions as mail_actions
from tracker.mail import daily, sender
from tracker.mail.rules import Kind
from tracker.operations.seed import prepare_database
from tracker.review_sessions.actions import plan_session, record_review_session

DAY = date(2026, 12, 7)  # a Monday
AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
HELD = date(2026, 11, 20)  # after every demonstration submission
PLANNED = date(2026, 12, 14)

NEW = {"proposal": 3, "status": "engagee", "progress": 10}


def _after(engine, last: int, kind: str | None = None) -> list[OutboxMessage]:
    with reading(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.id > last).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        rows = session.scalars(query).all()
        session.expunge_all()
        return rows


def _last(engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.max(OutboxMessage.id))) or 0


def _actor(engine, role):
    with reading(engine) as session:
        return actor_of(session, role)


def _set(engine, email: str, **values) -> None:
    with transaction(engine) as session:
        account = get_account(session, email)
        for name, value in values.items():
            setattr(account, name, value)


def _submit(engine, title: str, at: datetime, role="contributor_lille"):
    return contributions.create(
        engine, _actor(engine, role), {**NEW, "title": title}, submit=True, at=at
    )


# At once -----------------------------------------------------------------------------


def test_a_submission_tells_the_secretariat_at_once_in_each_accounts_language(demo_engine):
    _set(demo_engine, EMAILS["administrator"], language="en")
    last = _last(demo_engine)
    _submit(demo_engine, "Atlas des données", AT)
    sent = _after(demo_engine, last)
    assert {(m.recipient, m.kind, m.language) for m in sent} == {
        (EMAILS["reviewer"], Kind.CONTRIBUTION_SUBMITTED, "fr"),
        (EMAILS["administrator"], Kind.CONTRIBUTION_SUBMITTED, "en"),
    }
    french = next(m for m in sent if m.language == "fr")
    english = next(m for m in sent if m.language == "en")
    text = plain_text(french.content)
    assert "Métropole Européenne de Lille" in text or "MEL" in text
    assert typography("« Atlas des données »", "fr") in text and "/validation?lang=fr" in text
    assert "/preferences?lang=fr" in text and "List-Unsubscribe: <" in french.content
    assert english.subject == "Contributions submitted for review: 1"
    assert "“Atlas des données” (proposal no. 3)" in plain_text(english.content)


def test_a_bulk_submission_is_one_message_per_account_that_lists_them(demo_engine):
    lille = _actor(demo_engine, "contributor_lille")
    last = _last(demo_engine)
    items = [{**NEW, "organisation": "mel", "title": f"Action {i:02}"} for i in range(25)]
    created = contributions.create_many(demo_engine, lille, items, at=AT, submit=True)
    assert len(created.ids) == 25
    sent = _after(demo_engine, last)
    assert sorted(m.recipient for m in sent) == sorted(
        [EMAILS["reviewer"], EMAILS["administrator"]]
    )
    text = plain_text(sent[0].content)
    assert "Action 00" in text and "Action 19" in text and "Action 20" not in text
    assert "et 5 autres" in text


def test_an_import_that_submits_its_rows_is_one_message_per_account(demo_engine):
    from tracker.contributions import importer

    with reading(demo_engine) as session:
        lyon = actor_of(session, "contributor_lyon")
        frame = importer.export_for(session, lyon)
    open_rows = frame[frame["state"].isin(["draft", "returned"])].copy()
    assert len(open_rows) == 2
    open_rows["title"] = [f"{title} (complétée)" for title in open_rows["title"]]
    last = _last(demo_engine)
    report = importer.import_contributions(
        demo_engine, lyon, importer.to_import_csv(open_rows), "lyon.csv", submit=True, at=AT
    )
    assert report.ok and report.submitted == 2, report.problems
    sent = _after(demo_engine, last)
    assert sorted(m.recipient for m in sent) == sorted(
        [EMAILS["reviewer"], EMAILS["administrator"]]
    )
    assert sent[0].subject == typography("Contributions soumises à la validation : 2", "fr")
    assert plain_text(sent[0].content).count("(complétée)") == 2


def test_an_account_that_chose_no_email_or_the_digest_hears_nothing_at_once(demo_engine):
    reviewer = _actor(demo_engine, "reviewer")
    admin = _actor(demo_engine, "administrator")
    accounts.set_preferences(
        demo_engine, reviewer, notify_reviews=True, language="fr", submission_mail="digest"
    )
    accounts.set_preferences(
        demo_engine, admin, notify_reviews=True, language="fr", submission_mail="off"
    )
    last = _last(demo_engine)
    _submit(demo_engine, "Atlas des données", AT)
    assert _after(demo_engine, last) == []


def test_a_contributor_has_no_submission_choice_and_a_bad_choice_is_refused(demo_engine):
    admin = _actor(demo_engine, "administrator")
    with pytest.raises(ValidationError):
        accounts.set_preferences(
            demo_engine, admin, notify_reviews=True, language="fr", submission_mail="hourly"
        )


# The daily digest --------------------------------------------------------------------


def test_the_digest_summarises_the_day_before_once_whoever_runs_it(demo_engine):
    reviewer = _actor(demo_engine, "reviewer")
    accounts.set_preferences(
        demo_engine, reviewer, notify_reviews=True, language="fr", submission_mail="digest"
    )
    _set(demo_engine, EMAILS["administrator"], submission_mail="off")
    _submit(demo_engine, "Atlas des données", AT)
    _submit(demo_engine, "Portail ouvert", AT + timedelta(hours=5))
    _submit(demo_engine, "Le lendemain", AT + timedelta(days=1))  # not in that day's digest
    last = _last(demo_engine)
    next_morning = AT + timedelta(days=1, hours=-4)
    first = daily.queue_due(demo_engine, at=next_morning)
    again = daily.queue_due(demo_engine, at=next_morning + timedelta(hours=3))
    assert (first.digests, again.digests) == (1, 0)
    (digest,) = _after(demo_engine, last, Kind.SUBMISSION_DIGEST)
    assert digest.recipient == EMAILS["reviewer"]
    assert digest.subject == typography(
        "Résumé du 7 décembre 2026 : 2 contributions soumises", "fr"
    )
    text = plain_text(digest.content)
    assert "Atlas des données" in text and "Portail ouvert" in text
    assert "Le lendemain" not in text
    assert digest.dedup_key == f"digest:2026-12-07:{reviewer.account_id}"


def test_no_digest_for_a_day_without_submissions(demo_engine):
    _set(demo_engine, EMAILS["reviewer"], submission_mail="digest")
    assert daily.queue_due(demo_engine, day=date(2021, 3, 3), at=AT).digests == 0


# Reminders before a session ------------------------------------------------------------


@pytest.fixture
def planned(demo_engine):
    """A session held after every demonstration submission, and one planned a
    week after `AT`: Lyon has a draft and a returned contribution, Lille has
    submitted nothing since the held one."""
    reviewer = _actor(demo_engine, "reviewer")
    record_review_session(demo_engine, reviewer, HELD, "Séance de novembre", today=DAY)
    return plan_session(demo_engine, reviewer, PLANNED, "Séance de décembre")


def test_reminders_go_to_the_organisations_that_owe_something_once_per_session(
    demo_engine, planned
):
    _set(demo_engine, EMAILS["contributor_lyon"], language="en")
    last = _last(demo_engine)
    first = daily.queue_due(demo_engine, at=AT)
    again = daily.queue_due(demo_engine, at=AT + timedelta(days=2))
    assert (first.reminders, again.reminders) == (2, 0)
    sent = {m.recipient: m for m in _after(demo_engine, last, Kind.SESSION_REMINDER)}
    assert set(sent) == {EMAILS["contributor_lille"], EMAILS["contributor_lyon"]}
    lille = plain_text(sent[EMAILS["contributor_lille"]].content)
    assert sent[EMAILS["contributor_lille"]].subject == typography(
        "Séance du 14 décembre 2026 : vos contributions", "fr"
    )
    assert "rien soumis depuis la séance du 20 novembre 2026" in lille
    assert "brouillons" not in lille
    lyon = plain_text(sent[EMAILS["contributor_lyon"]].content)
    assert (
        sent[EMAILS["contributor_lyon"]].subject
        == "Session of 14 December 2026: your contributions"
    )
    assert "drafts, 1; returned by the secretariat, 1" in lyon
    assert "/preferences?lang=en" in lyon and "/contributions?lang=en" in lyon


def test_no_reminder_before_the_days_the_administrators_set_nor_after_the_session(
    demo_engine, planned
):
    admin = _actor(demo_engine, "administrator")
    assert mail_actions.set_reminder_days(demo_engine, admin, 3) == 3
    assert daily.queue_due(demo_engine, at=AT).reminders == 0  # seven days before
    assert daily.queue_due(demo_engine, at=AT + timedelta(days=4)).reminders == 2
    mail_actions.set_reminder_days(demo_engine, admin, 0)
    with transaction(demo_engine) as session:
        session.execute(OutboxMessage.__table__.delete())
    assert daily.queue_due(demo_engine, at=AT + timedelta(days=5)).reminders == 0
    mail_actions.set_reminder_days(demo_engine, admin, 7)
    assert daily.queue_due(demo_engine, at=AT + timedelta(days=8)).reminders == 0


def test_an_account_that_turned_reminders_off_receives_none(demo_engine, planned):
    lyon = _actor(demo_engine, "contributor_lyon")
    accounts.set_preferences(
        demo_engine, lyon, notify_reviews=True, language="fr", notify_reminders=False
    )
    last = _last(demo_engine)
    daily.queue_due(demo_engine, at=AT)
    sent = _after(demo_engine, last, Kind.SESSION_REMINDER)
    assert [m.recipient for m in sent] == [EMAILS["contributor_lille"]]


def test_only_administrators_set_the_reminder_days_within_bounds(demo_engine):
    with pytest.raises(PermissionDenied):
        mail_actions.set_reminder_days(demo_engine, _actor(demo_engine, "reviewer"), 5)
    with pytest.raises(ValidationError):
        mail_actions.set_reminder_days(demo_engine, _actor(demo_engine, "administrator"), 91)


# Through a real SMTP server, and the command line ------------------------------------


def test_the_right_people_receive_the_digest_and_the_reminders_once_by_smtp(
    tmp_path, monkeypatch, sqlite_url, capsys
):
    with smtp_server(tmp_path) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
        engine = make_engine(sqlite_url)
        prepare_database(engine, demo=True)
        with transaction(engine) as session:
            for account in session.scalars(select(Account)):
                account.language = "en" if account.email == EMAILS["administrator"] else "fr"
                account.submission_mail = "digest"
        reviewer = _actor(engine, "reviewer")
        record_review_session(engine, reviewer, HELD, "Séance de novembre", today=DAY)
        plan_session(engine, reviewer, PLANNED, "Séance de décembre")
        yesterday = datetime.now(UTC) - timedelta(days=1)
        _submit(engine, "Atlas des données", yesterday, role="contributor_lyon")
        assert cli.main(["mail", "digest"]) == 0
        assert "2 résumés" in capsys.readouterr().out
        sender.send_due(engine)
        server.inbox.wait_for(2)
        # the reminders are due a week before the planned session
        daily.queue_due(engine, at=AT)
        sender.send_due(engine, at=AT + timedelta(minutes=1))
        received = server.inbox.wait_for(4)
        # run again: nothing more
        assert cli.main(["mail", "digest"]) == 0
        daily.queue_due(engine, at=AT + timedelta(days=1))
        assert sender.send_due(engine).sent == 0
    by = {(r.rcpt_tos[0], r.message["Subject"]) for r in received}
    assert len(received) == 4
    assert {to for to, _ in by} == {
        EMAILS["reviewer"],
        EMAILS["administrator"],
        EMAILS["contributor_lille"],
        EMAILS["contributor_lyon"],
    }
    subjects = dict(by)
    assert subjects[EMAILS["administrator"]].startswith("Summary of ")
    assert subjects[EMAILS["reviewer"]].startswith("Résumé du ")
    assert subjects[EMAILS["contributor_lille"]] == typography(
        "Séance du 14 décembre 2026 : vos contributions", "fr"
    )
    assert all(r.message["List-Unsubscribe"] for r in received)


def test_the_reminder_days_from_the_command_line(monkeypatch, sqlite_url, capsys):
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    assert cli.main(["mail", "reminders"]) == 0
    assert capsys.readouterr().out.strip() == "7"
    assert cli.main(["mail", "reminders", "--days", "10"]) == 0
    assert cli.main(["mail", "reminders"]) == 0
    assert capsys.readouterr().out.strip().endswith("10")
    assert cli.main(["mail", "reminders", "--days", "500"]) == 1


# The pages ----------------------------------------------------------------------------


def test_a_reviewer_chooses_the_daily_digest_on_the_preferences_page(monkeypatch, demo_app_url):
    from tests.apptest import open_page
    from tests.test_pages_contributions import account_id

    reviewer = account_id(demo_app_url, EMAILS["reviewer"])
    app = open_page(monkeypatch, demo_app_url, "preferences", signed_in=reviewer)
    assert not app.exception
    choice = next(r for r in app.radio if r.label == "Contributions soumises à la validation")
    assert choice.value == "immediate"
    assert not any("rappel" in c.label for c in app.checkbox)  # reminders are for contributors
    choice.set_value("digest")
    next(b for b in app.button if b.label == "Enregistrer").click()
    app.run()
    assert not app.exception and app.success
    with reading(make_engine(demo_app_url)) as session:
        assert get_account(session, EMAILS["reviewer"]).submission_mail == "digest"


def test_a_contributor_turns_reminders_off_on_the_preferences_page(monkeypatch, demo_app_url):
    from tests.apptest import open_page
    from tests.test_pages_contributions import account_id

    lyon = account_id(demo_app_url, EMAILS["contributor_lyon"])
    app = open_page(monkeypatch, demo_app_url, "preferences", signed_in=lyon)
    reminders = next(c for c in app.checkbox if "rappel" in c.label)
    assert reminders.value is True
    assert not any(r.label == "Contributions soumises à la validation" for r in app.radio)
    reminders.uncheck()
    next(b for b in app.button if b.label == "Enregistrer").click()
    app.run()
    assert not app.exception and app.success
    with reading(make_engine(demo_app_url)) as session:
        account = get_account(session, EMAILS["contributor_lyon"])
        assert (account.notify_reminders, account.notify_reviews) == (False, True)


def test_an_administrator_sets_the_reminder_days_on_the_administration_page(
    monkeypatch, demo_app_url
):
    from tests.apptest import open_page
    from tests.test_pages_contributions import account_id

    admin = account_id(demo_app_url, EMAILS["administrator"])
    app = open_page(monkeypatch, demo_app_url, "administration", signed_in=admin)
    days = next(n for n in app.number_input if n.label.startswith("Nombre de jours"))
    assert days.value == 7
    days.set_value(12)
    form_button = [b for b in app.button if b.label == "Enregistrer"]
    form_button[-1].click()
    app.run()
    assert not app.exception, app.exception
    assert any("12 jours" in s.value for s in app.success)
    with reading(make_engine(demo_app_url)) as session:
        assert mail_actions.reminder_days(session) == 12


def test_the_senders_loop_queues_the_digest_and_delivers_it(tmp_path, monkeypatch, sqlite_url):
    with smtp_server(tmp_path) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        engine = make_engine(sqlite_url)
        prepare_database(engine, demo=True)
        _set(engine, EMAILS["reviewer"], submission_mail="digest")
        _set(engine, EMAILS["administrator"], submission_mail="off")
        _submit(engine, "Atlas des données", datetime.now(UTC) - timedelta(days=1))
        loop = sender.BackgroundSender(engine, interval=0.1).start()
        try:
            (received,) = server.inbox.wait_for(1)
        finally:
            loop.stop()
    assert received.rcpt_tos == [EMAILS["reviewer"]]
    assert received.message["Subject"].startswith("Résumé du ")


@pytest.mark.postgres
def test_two_processes_preparing_the_day_at_once_queue_each_message_once(postgres_url):
    import threading

    engine = make_engine(postgres_url)
    prepare_database(engine, demo=True)
    _set(engine, EMAILS["reviewer"], submission_mail="digest")
    _set(engine, EMAILS["administrator"], submission_mail="digest")
    _submit(engine, "Atlas des données", AT)
    reviewer = _actor(engine, "reviewer")
    record_review_session(engine, reviewer, HELD, "Séance de novembre", today=DAY)
    plan_session(engine, reviewer, PLANNED, "Séance de décembre")
    start = threading.Barrier(4)
    done = []

    def prepare():
        start.wait()
        done.append(daily.queue_due(engine, at=AT + timedelta(days=1)))

    threads = [threading.Thread(target=prepare) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # Lille submitted after the session held: only Lyon is reminded
    assert sum(d.digests for d in done) == 2 and sum(d.reminders for d in done) == 1
    with reading(engine) as session:
        keys = session.scalars(
            select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.is_not(None))
        ).all()
    assert len(keys) == len(set(keys)) == 3
    engine.dispose()
