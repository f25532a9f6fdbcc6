"""Accounts: argon2id hashes, lockout after five wrong passwords, idle expiry
(the clock is given, nobody sleeps), and messages that never tell whether an
account exists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.accounts import actions as accounts
from tracker.accounts import passwords
from tracker.accounts import queries as account_queries
from tracker.domain.permissions import SYSTEM
from tracker.errors import ValidationError
from tracker.operations.seed import DEMO_PASSWORD

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_demo_accounts_sign_in_with_their_role_and_organisation(db):
    for email, role in [
        ("admin@demo.invalid", "administrator"),
        ("secretariat@demo.invalid", "reviewer"),
        ("lille@demo.invalid", "contributor"),
    ]:
        result = accounts.sign_in(db, email, DEMO_PASSWORD, at=NOW)
        assert result.ok and result.actor.role.value == role
    lille = accounts.sign_in(db, " LILLE@demo.invalid ", DEMO_PASSWORD, at=NOW).actor
    assert lille.organisation_id == account_queries.find_organisation(db, "mel").id


def test_passwords_are_stored_as_argon2id_hashes_only(db):
    account = account_queries.get_account(db, "admin@demo.invalid")
    assert account.password_hash.startswith("$argon2id$")
    assert DEMO_PASSWORD not in account.password_hash


def test_a_password_shorter_than_twelve_characters_is_refused(db):
    with pytest.raises(ValidationError) as raised:
        accounts.create_account(
            db, SYSTEM, email="court@exemple.invalid", role="reviewer", password="onze-chars!"
        )
    assert raised.value.key == "auth.password_too_short"


def test_the_organisation_can_be_named_by_its_siren(db):
    account = accounts.create_account(
        db,
        SYSTEM,
        email="agent@lyon.invalid",
        role="contributor",
        password="un mot de passe long",
        organisation="200046977",
        display_name="Agent de Lyon",
    )
    assert account.organisation.code == "lyon-metropole"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(db):
    email = "lyon@demo.invalid"
    for attempt in range(5):
        assert not accounts.sign_in(
            db, email, "mauvais mot de passe", at=NOW + timedelta(seconds=attempt)
        ).ok
    # Locked: even the right password fails, with the same message.
    locked = accounts.sign_in(db, email, DEMO_PASSWORD, at=NOW + timedelta(minutes=14))
    assert not locked.ok and locked.message_key == "auth.failed"
    assert accounts.sign_in(db, email, DEMO_PASSWORD, at=NOW + timedelta(minutes=16)).ok


def test_four_wrong_passwords_then_the_right_one_signs_in_and_resets_the_count(db):
    email = "lille@demo.invalid"
    for _ in range(4):
        accounts.sign_in(db, email, "mauvais mot de passe", at=NOW)
    assert accounts.sign_in(db, email, DEMO_PASSWORD, at=NOW).ok
    assert account_queries.get_account(db, email).failed_attempts == 0


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(db):
    unknown = accounts.sign_in(db, "personne@demo.invalid", DEMO_PASSWORD, at=NOW)
    wrong = accounts.sign_in(db, "admin@demo.invalid", "mauvais mot de passe", at=NOW)
    assert unknown == wrong
    assert unknown.message_key == wrong.message_key == "auth.failed"


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(db):
    admin = accounts.sign_in(db, "admin@demo.invalid", DEMO_PASSWORD, at=NOW).actor
    lyon = account_queries.get_account(db, "lyon@demo.invalid")
    accounts.set_active(db, admin, "lyon@demo.invalid", False)
    assert not accounts.sign_in(db, "lyon@demo.invalid", DEMO_PASSWORD, at=NOW).ok
    assert account_queries.signed_in_actor(db, lyon.id) is None


def test_an_administrator_cannot_disable_their_own_account(db):
    admin = accounts.sign_in(db, "admin@demo.invalid", DEMO_PASSWORD, at=NOW).actor
    with pytest.raises(ValidationError):
        accounts.set_active(db, admin, "admin@demo.invalid", False)


def test_single_sign_on_reaches_only_existing_active_accounts(db):
    assert (
        account_queries.actor_for_verified_email(db, "Secretariat@demo.invalid").role.value
        == "reviewer"
    )
    assert account_queries.actor_for_verified_email(db, "inconnu@demo.invalid") is None


@pytest.mark.parametrize(("idle", "expired"), [(29, False), (30, False), (31, True)])
def test_a_session_ends_after_thirty_idle_minutes(monkeypatch, idle, expired):
    monkeypatch.delenv("TRACKER_IDLE_MINUTES", raising=False)
    assert passwords.is_idle(NOW, NOW + timedelta(minutes=idle)) is expired


@pytest.mark.parametrize(
    ("setting", "minutes"),
    [("10", 10), ("0.1", 0.1), ("0,5", 0.5), (" 45 ", 45), ("", 30)],
)
def test_the_idle_timeout_is_the_servers_setting(monkeypatch, setting, minutes):
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", setting)
    assert passwords.idle_timeout() == timedelta(minutes=minutes)
    assert not passwords.is_idle(NOW, NOW + timedelta(minutes=minutes))
    assert passwords.is_idle(NOW, NOW + timedelta(minutes=minutes, seconds=1))


@pytest.mark.parametrize("setting", ["abc", "0", "-5", "nan", "inf", "1e9", "30 min"])
def test_an_idle_timeout_that_is_not_a_positive_number_keeps_thirty_minutes(monkeypatch, setting):
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", setting)
    assert passwords.idle_timeout() == timedelta(minutes=30)


# A name where a name is shown (#16): never the address ------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("", "auth.display_name_required"),
        ("   ", "auth.display_name_required"),
        ("jeanne.dupont@exemple.invalid", "auth.display_name_not_email"),
    ],
)
def test_an_account_needs_a_display_name_that_is_not_an_address(db, name, key):
    from tracker.accounts import links

    with pytest.raises(ValidationError) as created:
        accounts.create_account(
            db,
            SYSTEM,
            email="jeanne.dupont@exemple.invalid",
            role="reviewer",
            password="un mot de passe long",
            display_name=name,
        )
    assert created.value.key == key
    with pytest.raises(ValidationError) as invited:
        links.invite(
            db, SYSTEM, email="jeanne.dupont@exemple.invalid", role="reviewer", display_name=name
        )
    assert invited.value.key == key


def test_users_add_without_a_name_is_refused_by_the_command_line(monkeypatch, sqlite_url, capsys):
    from tracker import cli

    monkeypatch.setenv("TRACKER_DATABASE_URL", sqlite_url)
    with pytest.raises(SystemExit) as refused:
        cli.main(["users", "add", "--email", "relecteur@cncd.invalid", "--role", "reviewer"])
    assert refused.value.code == 2 and "--name" in capsys.readouterr().err
    assert cli.main(["users", "invite", "--email", "x@cncd.invalid", "--role", "reviewer"]) == 2


def test_the_administration_form_refuses_an_account_without_a_name(monkeypatch, demo_app_url):
    from tests.apptest import open_page
    from tests.test_pages_contributions import account_id

    admin = account_id(demo_app_url, "admin@demo.invalid")
    app = open_page(monkeypatch, demo_app_url, "administration", signed_in=admin)
    app.text_input(key="invite_email").input("sans.nom@demo.invalid")
    app.selectbox(key="invite_role").select("reviewer")
    next(b for b in app.button if b.label == "Inviter").click()
    app.run()
    assert not app.exception
    assert any("nom affiché est obligatoire" in e.value for e in app.error)
