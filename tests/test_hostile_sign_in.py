"""Sign-in under attack: guessing never holds the database's write lock, and
attempts are limited per client and per address, unknown addresses included,
with the one answer a wrong password gets."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy.engine.url import make_url

from tests.test_permissions import EMAILS
from tracker import config
from tracker.accounts import actions as accounts
from tracker.accounts import queries as account_queries
from tracker.accounts import throttle
from tracker.db.engine import make_engine, reading
from tracker.operations.seed import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def real_limits(monkeypatch):
    """The limits a server runs with (the suite raises them everywhere else)."""
    monkeypatch.setenv("TRACKER_SIGN_IN_PER_CLIENT", config.DEFAULT_SIGN_IN_PER_CLIENT)
    monkeypatch.setenv("TRACKER_SIGN_IN_PER_ADDRESS", config.DEFAULT_SIGN_IN_PER_ADDRESS)
    throttle.reset()
    yield
    throttle.reset()


@pytest.fixture
def engine(demo_sqlite_url):
    db = make_engine(demo_sqlite_url)
    yield db
    db.dispose()


@pytest.fixture
def write_lock_held(demo_sqlite_url):
    """Another connection holds SQLite's write lock (a long import, say)."""
    holder = sqlite3.connect(make_url(demo_sqlite_url).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def per(limit: str) -> int:
    return int(limit.split()[0])


def test_guessing_unknown_addresses_never_waits_for_the_write_lock(engine, write_lock_held):
    started = time.monotonic()
    for number in range(3):
        result = accounts.sign_in(engine, f"inconnu{number}@demo.invalid", "mot de passe")
        assert not result.ok and result.code is None
    assert time.monotonic() - started < 5  # before: each waited 30 s for the lock


def test_an_address_is_limited_whoever_tries_it_even_with_the_right_password(engine):
    email = EMAILS["contributor_lille"]
    for number in range(per(config.DEFAULT_SIGN_IN_PER_ADDRESS)):
        assert accounts.sign_in(engine, email, DEMO_PASSWORD, client=f"ip:10.0.0.{number}").ok
    refused = accounts.sign_in(engine, email, DEMO_PASSWORD, client="ip:10.0.1.1")
    assert not refused.ok and refused.code is None


def test_unknown_addresses_count_as_much_as_known_ones():
    address = "personne@demo.invalid"
    for number in range(per(config.DEFAULT_SIGN_IN_PER_ADDRESS)):
        assert throttle.allow(f"ip:10.0.0.{number}", address)
    assert not throttle.allow("ip:10.0.1.1", address)
    assert not throttle.allow("ip:10.0.1.2", " Personne@Demo.invalid ")


def test_a_client_trying_many_addresses_is_held_and_then_refused_the_right_password(engine):
    for number in range(per(config.DEFAULT_SIGN_IN_PER_CLIENT)):
        accounts.sign_in(engine, f"essai{number}@demo.invalid", "devine", client="ip:192.0.2.7")
    blocked = accounts.sign_in(
        engine, EMAILS["contributor_lille"], DEMO_PASSWORD, client="ip:192.0.2.7"
    )
    assert not blocked.ok and blocked.code is None
    assert accounts.sign_in(
        engine, EMAILS["contributor_lille"], DEMO_PASSWORD, client="ip:192.0.2.8"
    ).ok


def test_every_refusal_gets_the_one_answer(engine):
    unknown = accounts.sign_in(engine, "personne@demo.invalid", DEMO_PASSWORD, client="a")
    wrong = accounts.sign_in(engine, EMAILS["contributor_lille"], "mauvais", client="b")
    malformed = accounts.sign_in(engine, "pas une adresse", DEMO_PASSWORD, client="c")
    too_long = accounts.sign_in(engine, EMAILS["reviewer"], "x" * 10_000, client="d")
    assert unknown == wrong == malformed == too_long == accounts.SignIn(None)


def test_an_account_disabled_while_its_password_was_checked_does_not_sign_in(engine):
    email = EMAILS["contributor_lille"]
    with reading(engine) as session:
        account = account_queries.get_account(session, email)
        account_id, verified = account.id, account.password_hash
    admin_actor = accounts.sign_in(engine, EMAILS["administrator"], DEMO_PASSWORD).actor
    accounts.set_active(engine, admin_actor, email, False)
    assert not accounts.record_sign_in(engine, account_id, verified, True).ok


def test_a_password_changed_while_the_old_one_was_checked_does_not_sign_in(engine):
    email = EMAILS["contributor_lille"]
    with reading(engine) as session:
        account = account_queries.get_account(session, email)
        account_id, verified = account.id, account.password_hash
    admin_actor = accounts.sign_in(engine, EMAILS["administrator"], DEMO_PASSWORD).actor
    accounts.set_password(engine, admin_actor, email, "un-tout-nouveau-mot-de-passe")
    assert not accounts.record_sign_in(engine, account_id, verified, True).ok
