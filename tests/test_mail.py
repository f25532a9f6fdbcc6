"""E-mail through a real SMTP server (aiosmtpd on loopback): messages, the
outbox written with the change that causes it, delivery with retries."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.smtp import Inbox, smtp_server
from tests.test_permissions import actor_of
from tracker import cli
from tracker.accounts import links
from tracker.db.engine import make_engine, reading
from tracker.db.models import Account, MailAttempt, OutboxMessage
from tracker.db.unit_of_work import transaction
from tracker.errors import Conflict
from tracker.mail import sender
from tracker.mail.actions import enqueue, wire_text
from tracker.mail.rules import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    Content,
    Kind,
    SmtpTarget,
    State,
    compose,
)
from tracker.operations.seed import prepare_database

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    """A STARTTLS server with a login, and the tracker configured for it."""
    with smtp_server(tmp_path) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        monkeypatch.setenv("TRACKER_MAIL_FROM", "Suivi CNCD <suivi@cncd.example>")
        monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://suivi.example.fr")
        yield server


def _notification(kind=Kind.CONTRIBUTION_VALIDATED) -> Content:
    return Content(
        kind=kind,
        subject="mail.invitation.subject",
        paragraphs=("mail.reset.ignore",),
        link_label="mail.reset.button",
        link="https://suivi.example.fr/x",
    )


def _queued(engine, count: int, at=NOW) -> list[str]:
    """`count` notifications queued in one transaction: their Message-IDs."""
    ids = []
    with transaction(engine) as session:
        for i in range(count):
            row = enqueue(
                session,
                _notification(),
                recipient=f"personne{i}@demo.invalid",
                lang="fr" if i % 2 else "en",
                at=at,
            )
            ids.append(row.message_id)
    return ids


# The message itself -----------------------------------------------------------------


def test_a_message_has_text_and_html_its_ids_and_the_recipients_language():
    fr = compose(
        _notification(),
        recipient="a@demo.invalid",
        lang="fr",
        sender="Suivi <suivi@cncd.example>",
        at=NOW,
        settings_link="https://suivi.example.fr/preferences",
    )
    en = compose(
        _notification(),
        recipient="a@demo.invalid",
        lang="en",
        sender="Suivi <suivi@cncd.example>",
        at=NOW,
        settings_link="https://suivi.example.fr/preferences",
    )
    assert fr.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in fr.iter_parts()] == ["text/plain", "text/html"]
    assert fr["Message-ID"].endswith("@cncd.example>") and fr["Message-ID"] != en["Message-ID"]
    assert fr["Date"] == "Thu, 03 Dec 2026 09:00:00 +0000"
    assert fr["List-Unsubscribe"] == "<https://suivi.example.fr/preferences>"
    assert "ignorez ce message" in fr.get_body(("plain",)).get_content()
    assert "ignore this message" in en.get_body(("plain",)).get_content()
    assert 'lang="en"' in en.get_body(("html",)).get_content()
    assert fr["Subject"] != en["Subject"]
    wire_text(fr).encode("ascii")  # nothing but ASCII on the wire


def test_only_notifications_carry_list_unsubscribe():
    invitation = compose(
        Content(Kind.INVITATION, "mail.invitation.subject", ("mail.invitation.how",)),
        recipient="a@demo.invalid",
        lang="fr",
        sender="suivi@cncd.example",
        at=NOW,
        settings_link="https://suivi.example.fr/preferences",
    )
    assert invitation["List-Unsubscribe"] is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relais.example.fr", SmtpTarget("relais.example.fr", 587, "starttls")),
        (
            "smtps://u:p%40s@relais.example.fr",
            SmtpTarget("relais.example.fr", 465, "implicit", "u", "p@s"),
        ),
        ("smtp://127.0.0.1:2525?tls=none", SmtpTarget("127.0.0.1", 2525, "none")),
    ],
)
def test_the_smtp_url_says_host_port_tls_and_login(url, expected):
    assert SmtpTarget.parse(url) == expected


# Delivery ---------------------------------------------------------------------------


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_queued_messages_are_delivered_over_tls_with_a_login_and_recorded(
    tmp_path, monkeypatch, sqlite_url, tls
):
    with smtp_server(tmp_path, tls=tls) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        engine = make_engine(sqlite_url)
        prepare_database(engine)
        ids = _queued(engine, 3)
        done = sender.send_due(engine, at=NOW)
        assert (done.sent, done.retried, done.failed) == (3, 0, 0)
        received = server.inbox.wait_for(3)
    assert sorted(r.message["Message-ID"] for r in received) == sorted(ids)
    with reading(engine) as session:
        assert set(session.scalars(select(OutboxMessage.state))) == {State.SENT}
        assert session.scalar(select(func.count()).select_from(MailAttempt)) == 3
    # nothing is due any more
    assert sender.send_due(engine, at=NOW + timedelta(hours=1)).claimed == 0


def test_starttls_is_required_a_server_without_it_is_not_sent_to_in_clear(
    tmp_path, monkeypatch, sqlite_url
):
    with smtp_server(tmp_path, tls="none", login=False) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url.replace("?tls=none", ""))
        engine = make_engine(sqlite_url)
        prepare_database(engine)
        _queued(engine, 1)
        done = sender.send_due(engine, at=NOW)
        assert done.retried == 1 and server.inbox.received == []


def test_while_the_server_is_down_messages_wait_then_go_out_once_it_is_back(
    tmp_path, monkeypatch, sqlite_url
):
    engine = make_engine(sqlite_url)
    prepare_database(engine)
    with smtp_server(tmp_path) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        server.stop()
        _queued(engine, 2)
        assert sender.send_due(engine, at=NOW).retried == 2
        with reading(engine) as session:
            row = session.scalars(select(OutboxMessage)).first()
            assert (row.state, row.attempts) == (State.QUEUED, 1)
            assert "Connection refused" in row.last_error or "Errno" in row.last_error
        # not due again before its backoff
        assert sender.send_due(engine, at=NOW + timedelta(seconds=30)).claimed == 0
        inbox = server.inbox
    with smtp_server(tmp_path, port=server.port, inbox=inbox) as again:
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", again.ca_file)
        done = sender.send_due(engine, at=NOW + timedelta(minutes=1))
        assert done.sent == 2
        assert len(again.inbox.wait_for(2)) == 2
    with reading(engine) as session:
        attempts = session.scalars(select(MailAttempt.ok).order_by(MailAttempt.id)).all()
    assert attempts == [False, False, True, True]


def test_after_the_last_retry_a_message_is_failed_where_administrators_see_it(
    tmp_path, monkeypatch, sqlite_url
):
    engine = make_engine(sqlite_url)
    prepare_database(engine, demo=True)
    monkeypatch.setenv("TRACKER_SMTP_URL", "smtp://127.0.0.1:9?tls=none")  # nothing listens
    _queued(engine, 1)
    at = NOW
    for _ in range(MAX_ATTEMPTS):
        assert sender.send_due(engine, at=at).claimed == 1
        at += timedelta(hours=1)
    from tracker.mail import queries

    with reading(engine) as session:
        admin = actor_of(session, "administrator")
        frame = queries.outbox_frame(session, admin)
        assert list(frame["state"]) == [State.FAILED]
        assert list(frame["attempts"]) == [MAX_ATTEMPTS]
        assert queries.outbox_counts(session, admin) == {State.FAILED: 1}
    assert sender.send_due(engine, at=at).claimed == 0
    # an administrator sends it again
    from tracker.mail.actions import retry

    retry(engine, admin, int(frame["id"].iloc[0]), at=at)
    with pytest.raises(Conflict):
        retry(engine, admin, int(frame["id"].iloc[0]), at=at)


def test_a_recipient_refused_for_good_fails_at_once_and_the_others_go(
    tmp_path, monkeypatch, sqlite_url
):
    inbox = Inbox(refuse={"personne0@demo.invalid"})
    with smtp_server(tmp_path, inbox=inbox) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        engine = make_engine(sqlite_url)
        prepare_database(engine)
        _queued(engine, 3)
        done = sender.send_due(engine, at=NOW)
    assert (done.sent, done.failed, done.retried) == (2, 1, 0)


def test_without_an_smtp_url_messages_stay_in_the_outbox(monkeypatch, sqlite_url):
    monkeypatch.delenv("TRACKER_SMTP_URL", raising=False)
    engine = make_engine(sqlite_url)
    prepare_database(engine)
    _queued(engine, 2)
    assert sender.send_due(engine, at=NOW).claimed == 0
    with reading(engine) as session:
        assert set(session.scalars(select(OutboxMessage.state))) == {State.QUEUED}


def test_a_message_exists_only_with_the_change_that_causes_it(demo_engine):
    with reading(demo_engine) as session:
        admin = actor_of(session, "administrator")
    links.invite(
        demo_engine, admin, email="Nouvelle@Demo.invalid", role="reviewer", display_name="N", at=NOW
    )
    with pytest.raises(Conflict):  # the same address again: refused, and no message
        links.invite(
            demo_engine,
            admin,
            email="nouvelle@demo.invalid",
            role="reviewer",
            display_name="N",
            at=NOW,
        )
    with reading(demo_engine) as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert [(r.recipient, r.kind) for r in rows] == [("nouvelle@demo.invalid", Kind.INVITATION)]
        assert (
            session.scalar(
                select(Account.password_hash).where(Account.email == "nouvelle@demo.invalid")
            )
            is None
        )


@pytest.mark.postgres
def test_two_senders_on_postgresql_never_take_the_same_message(tmp_path, monkeypatch, postgres_url):
    inbox = Inbox(delay=0.002)
    with smtp_server(tmp_path, inbox=inbox) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        engine = make_engine(postgres_url)
        prepare_database(engine)
        ids = _queued(engine, 120)
        engines = [make_engine(postgres_url), make_engine(postgres_url)]
        start = threading.Barrier(2)
        rounds: list[list[int]] = [[], []]

        def work(n: int) -> None:
            start.wait()
            while True:
                done = sender.send_due(engines[n], at=NOW, limit=10)
                if done.claimed == 0:
                    return
                rounds[n].append(done.sent)

        threads = [threading.Thread(target=work, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        received = inbox.wait_for(120)
    got = [r.message["Message-ID"] for r in received]
    assert sorted(got) == sorted(ids)  # every message once, none twice
    assert sum(rounds[0]) > 0 and sum(rounds[1]) > 0  # both senders took part
    for e in engines:
        e.dispose()


def test_mail_outbox_lists_messages_as_json(monkeypatch, sqlite_url, capsys):
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("TRACKER_SMTP_URL", raising=False)
    engine = make_engine(sqlite_url)
    prepare_database(engine)
    _queued(engine, 2)
    assert cli.main(["mail", "outbox", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [m["state"] for m in listed] == ["queued", "queued"]
    assert listed[0]["created_at"].startswith("2026-12-03T09:00")
    assert cli.main(["mail", "send"]) == 2  # no server configured: said so, nothing sent


def test_mail_send_delivers_from_the_command_line(smtp, monkeypatch, sqlite_url, capsys):
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    engine = make_engine(sqlite_url)
    prepare_database(engine)
    _queued(engine, 2)
    assert cli.main(["mail", "send"]) == 0
    assert "2" in capsys.readouterr().out
    assert len(smtp.inbox.wait_for(2)) == 2


def test_a_sender_killed_mid_batch_loses_nothing_and_sends_at_most_one_twice(
    tmp_path, monkeypatch, sqlite_url
):
    import os
    import signal
    import subprocess
    import sys

    inbox = Inbox(delay=0.2)
    with smtp_server(tmp_path, inbox=inbox) as server:
        engine = make_engine(sqlite_url)
        prepare_database(engine)
        ids = _queued(engine, 30, at=datetime.now(UTC) - timedelta(minutes=1))
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": sqlite_url,
            "TRACKER_SMTP_URL": server.url,
            "TRACKER_SMTP_CA_FILE": server.ca_file,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "tracker", "mail", "send", "--loop"], env=env
        )
        try:
            inbox.wait_for(5, timeout=60)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        assert len(inbox.received) < 30  # killed in the middle of its batch
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        # the dead sender's lease runs out; another sender finishes the job
        later = datetime.now(UTC) + CLAIM_LEASE + timedelta(seconds=1)
        while sender.send_due(engine, at=later).claimed:
            pass
        received = [r.message["Message-ID"] for r in inbox.received]
    assert set(received) == set(ids)  # none lost
    assert len(received) - len(set(received)) <= 1  # at most the one in flight, twice
