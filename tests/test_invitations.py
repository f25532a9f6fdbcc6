"""Accounts that people open themselves: an invitation, or a password reset,
by a one-time link in an e-mail; delivered to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.mail_links import link_token, password_link, plain_text
from tests.smtp import smtp_server
from tests.test_permissions import EMAILS, actor_of
from tracker import cli
from tracker.accounts import actions as accounts
from tracker.accounts import links, sessions, throttle
from tracker.accounts.queries import get_account
from tracker.db.engine import make_engine, reading
from tracker.db.models import Account, AccountToken, OutboxMessage
from tracker.errors import ValidationError
from tracker.exports import to_xlsx_bytes
from tracker.mail import sender
from tracker.operations.invitation_file import invite_file
from tracker.operations.seed import prepare_database

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _last_message(db) -> OutboxMessage:
    return db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_an_invited_person_chooses_a_password_with_the_link_and_signs_in(db):
    admin = actor_of(db, "administrator")
    links.invite(
        db,
        admin,
        email="agent@lyon.example",
        role="contributor",
        organisation="200093201",
        lang="en",
        display_name="Agent of Lyon",
        at=NOW,
    )
    message = _last_message(db)
    text = plain_text(message.content)
    assert message.language == "en" and "Métropole Européenne de Lille" in text
    assert "7 days" in text and "mot de passe" not in text.lower()
    assert password_link(message.content).startswith("http")
    token = link_token(message.content)
    # only the token's hash is stored
    assert (
        db.scalar(
            select(func.count()).select_from(AccountToken).where(AccountToken.token_hash == token)
        )
        == 0
    )
    assert links.link_state(db, token, at=NOW).status == "valid"
    # no password yet: no way in
    assert not accounts.sign_in(db, "agent@lyon.example", "", at=NOW).ok
    code = links.choose_password(db, token, "un-mot-de-passe-choisi", at=NOW + timedelta(days=1))
    assert sessions.redeem_code(db, code, at=NOW + timedelta(days=1)) is not None
    assert accounts.sign_in(
        db, "agent@lyon.example", "un-mot-de-passe-choisi", at=NOW + timedelta(days=1)
    ).ok
    # single use
    assert links.link_state(db, token, at=NOW + timedelta(days=1)).status == "used"
    with pytest.raises(ValidationError, match="link_invalid"):
        links.choose_password(db, token, "encore-un-autre-mot", at=NOW + timedelta(days=1))


def test_an_invitation_link_expires_after_seven_days(db):
    links.invite(
        db,
        actor_of(db, "administrator"),
        email="tard@demo.invalid",
        role="reviewer",
        display_name="T",
        at=NOW,
    )
    token = link_token(_last_message(db).content)
    later = NOW + timedelta(days=7, minutes=1)
    assert links.link_state(db, token, at=later).status == "expired"
    with pytest.raises(ValidationError, match="link_invalid"):
        links.choose_password(db, token, "un-mot-de-passe-choisi", at=later)


def test_a_forged_link_and_a_short_password_are_refused_and_the_link_is_not_spent(db):
    assert links.link_state(db, "pas-un-vrai-jeton", at=NOW).status == "unknown"
    links.invite(
        db,
        actor_of(db, "administrator"),
        email="court@demo.invalid",
        role="reviewer",
        display_name="C",
        at=NOW,
    )
    token = link_token(_last_message(db).content)
    with pytest.raises(ValidationError, match="password_too_short"):
        links.choose_password(db, token, "court", at=NOW)
    assert links.link_state(db, token, at=NOW).status == "valid"


def test_only_an_administrator_invites(db):
    from tracker.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        links.invite(db, actor_of(db, "reviewer"), email="x@demo.invalid", role="reviewer")


def test_a_file_of_invitations_reports_every_problem_at_once_and_invites_no_one(db):
    admin = actor_of(db, "administrator")
    before = db.scalar(select(func.count()).select_from(Account))
    content = (
        b"email;role;organisation;langue;nom\n"
        b"bonne@demo.invalid;contributor;mel;fr;Bonne\n"
        b"pas-une-adresse;contributor;mel;fr;P\n"
        b"siren@demo.invalid;contributor;200093202;fr;S\n"  # wrong check digit
        b"inconnue@demo.invalid;contributor;nulle-part;fr;I\n"
        b"lille@demo.invalid;contributor;mel;fr;L\n"  # already has an account
        b"bonne@demo.invalid;reviewer;;en;B\n"  # twice in the file
        b"sansorg@demo.invalid;contributor;;fr;S\n"
        b"langue@demo.invalid;reviewer;;de;L\n"
        b"sansnom@demo.invalid;reviewer;;fr;\n"  # no display name
    )
    report = links.invite_many(db, admin, *_rows(content), lang="fr", at=NOW)
    assert [line for line, _ in report.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "nom affiché est obligatoire" in report.problems[-1][1]
    assert "SIREN" in report.problems[1][1] and "ligne 2" in report.problems[4][1]
    assert db.scalar(select(func.count()).select_from(Account)) == before
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def _rows(content: bytes, name: str = "invitations.csv"):
    from tracker.operations.invitation_file import read_invitations

    return read_invitations(content, name)


def test_a_good_xlsx_file_invites_everyone_in_it_each_in_their_language(demo_engine):
    import pandas as pd

    with reading(demo_engine) as session:
        admin = actor_of(session, "administrator")
    frame = pd.DataFrame(
        {
            "E-mail": ["une@demo.invalid", "deux@demo.invalid"],
            "Rôle": ["contributor", "reviewer"],
            "Organisation": ["mel", ""],
            "Langue": ["fr", "en"],
            "Nom": ["Une Personne", "Deux Personnes"],
        }
    )
    report = invite_file(
        demo_engine, admin, to_xlsx_bytes({"Invitations": frame}), "x.xlsx", at=NOW
    )
    assert report.ok and report.invited == ["une@demo.invalid", "deux@demo.invalid"]
    with reading(demo_engine) as session:
        sent = session.execute(select(OutboxMessage.recipient, OutboxMessage.language)).all()
    assert sorted(sent) == [("deux@demo.invalid", "en"), ("une@demo.invalid", "fr")]


def test_users_invite_from_the_command_line(monkeypatch, sqlite_url, tmp_path, capsys):
    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    engine = make_engine(sqlite_url)
    prepare_database(engine, demo=True)
    assert (
        cli.main(
            [
                "users",
                "invite",
                "--email",
                "cli@demo.invalid",
                "--role",
                "contributor",
                "--organisation",
                "mel",
                "--lang",
                "en",
                "--name",
                "Agent MEL",
            ]
        )
        == 0
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,role,organisation\nx,contributor,mel\ny@demo.invalid,king,\n", encoding="utf-8"
    )
    assert cli.main(["users", "invite", "--file", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "2" in err and "3" in err  # both lines, in one pass
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        assert get_account(session, "cli@demo.invalid").language == "en"


# Password reset ---------------------------------------------------------------------


def test_a_reset_link_lasts_an_hour_works_once_and_ends_the_other_sessions(db):
    email = EMAILS["contributor_lyon"]
    account_id = get_account(db, email).id
    other = sessions.redeem_code(db, sessions.issue_code(db, account_id, at=NOW), at=NOW)
    assert links.request_reset(db, email, at=NOW) is None
    message = _last_message(db)
    assert message.recipient == email and message.kind == "reset"
    token = link_token(message.content)
    assert links.link_state(db, token, at=NOW + timedelta(minutes=61)).status == "expired"
    links.choose_password(db, token, "un-mot-de-passe-neuf", at=NOW + timedelta(minutes=30))
    assert sessions.resolve(db, other, at=NOW + timedelta(minutes=31)).actor is None
    assert accounts.sign_in(db, email, "un-mot-de-passe-neuf", at=NOW + timedelta(minutes=31)).ok


def test_a_reset_for_an_unknown_or_disabled_address_sends_nothing_and_says_the_same(db):
    admin = actor_of(db, "administrator")
    accounts.set_active(db, admin, EMAILS["contributor_lyon"], False)
    assert links.request_reset(db, "personne@demo.invalid", at=NOW) is None
    assert links.request_reset(db, EMAILS["contributor_lyon"], at=NOW) is None
    assert links.request_reset(db, "pas une adresse", at=NOW) is None
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_reset_requests_are_limited_per_address_like_sign_in(db, monkeypatch):
    monkeypatch.setenv("TRACKER_SIGN_IN_PER_ADDRESS", "3 per 10 minutes")
    throttle.reset()
    try:
        for _ in range(5):
            links.request_reset(db, EMAILS["contributor_lille"], client="ip:198.51.100.7", at=NOW)
    finally:
        throttle.reset()
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_an_invitation_is_received_by_a_real_smtp_server_with_its_link(
    tmp_path, monkeypatch, sqlite_url
):
    with smtp_server(tmp_path) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url)
        monkeypatch.setenv("TRACKER_SMTP_CA_FILE", server.ca_file)
        monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://suivi.example.fr")
        engine = make_engine(sqlite_url)
        prepare_database(engine, demo=True)
        with reading(engine) as session:
            admin = actor_of(session, "administrator")
        links.invite(
            engine, admin, email="recue@demo.invalid", role="reviewer", display_name="R", at=NOW
        )
        sender.send_due(engine, at=NOW)
        (received,) = server.inbox.wait_for(1)
    assert received.rcpt_tos == ["recue@demo.invalid"]
    link = password_link(received.message)
    assert link.startswith("https://suivi.example.fr/mot-de-passe?jeton=")
    assert received.message["List-Unsubscribe"] is None
    with reading(engine) as session:
        assert links.link_state(session, link_token(received.message), at=NOW).status == "valid"


# The pages --------------------------------------------------------------------------


def test_an_administrator_invites_from_the_page_and_reads_the_message_in_the_outbox(
    monkeypatch, demo_app_url
):
    from tests.apptest import open_page
    from tests.test_pages_contributions import account_id

    monkeypatch.delenv("TRACKER_SMTP_URL", raising=False)
    admin = account_id(demo_app_url, "admin@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "administration", signed_in=admin)
    app.text_input(key="invite_email").input("Invitee@Demo.invalid")
    app.text_input(key="invite_name").input("Invitée du secrétariat")
    app.selectbox(key="invite_role").select("reviewer")
    app.radio(key="invite_lang").set_value("en")
    next(b for b in app.button if b.label == "Inviter").click()
    app.run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    # Addresses in messages carry a word joiner before « @ » (never an autolink).
    assert any(
        "Invitation envoyée à invitee@demo" in s.value.replace("\u2060", "") for s in app.success
    )
    outbox = app.dataframe[-2].value
    assert list(outbox.iloc[:, 3]) == ["invitee@demo.invalid"]
    assert list(outbox.iloc[:, 2]) == ["En attente"]
    assert any("Aucun serveur de messagerie" in i.value for i in app.info)
    shown = "\n".join(t.value for t in app.text)
    assert "/mot-de-passe?jeton=" in shown and "Choose my password" in shown


def test_the_password_page_explains_a_used_or_forged_link(monkeypatch, demo_app_url):
    from tests.apptest import open_page

    app = open_page(monkeypatch, demo_app_url, "mot-de-passe", jeton="faux")
    assert not app.exception
    assert "pas valable" in app.error[0].value
    app = open_page(monkeypatch, demo_app_url, "mot-de-passe", jeton="faux", lang="en")
    assert "not valid" in app.error[0].value


def test_forgot_password_gives_the_same_answer_for_any_address(monkeypatch, demo_app_url):
    from tests.apptest import open_page

    answers = []
    for address in ("lyon@demo.invalid", "personne@demo.invalid"):
        app = open_page(monkeypatch, demo_app_url, "connexion")
        app.text_input[2].input(address)
        next(b for b in app.button if b.label == "Recevoir un lien").click()
        app.run()
        assert not app.exception
        answers.append([s.value for s in app.success])
    assert answers[0] == answers[1] and answers[0]
    engine = make_engine(demo_app_url)
    with reading(engine) as session:
        assert [r.recipient for r in session.scalars(select(OutboxMessage))] == [
            "lyon@demo.invalid"
        ]


@pytest.mark.parametrize("common", ["qwerty123456", "QWERTY123456", "654321ytrewq", "1qaz2wsx3edc"])
def test_a_common_password_is_refused_and_the_link_still_works(db, common):
    links.invite(
        db,
        actor_of(db, "administrator"),
        email="commun@demo.invalid",
        role="reviewer",
        display_name="C",
        at=NOW,
    )
    token = link_token(_last_message(db).content)
    with pytest.raises(ValidationError, match="password_common"):
        links.choose_password(db, token, common, at=NOW)
    assert links.link_state(db, token, at=NOW).status == "valid"
