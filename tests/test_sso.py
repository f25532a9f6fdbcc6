"""Single sign-on's rules, without a browser: the claims read as ProConnect
documents them, and which identities open an account. (The whole journey,
through st.login and a real OpenID Connect provider, is
tests/e2e/test_single_sign_on.py.)"""

from __future__ import annotations

import pytest

from tests.test_permissions import EMAILS
from tracker.accounts import actions as accounts
from tracker.accounts import sso
from tracker.domain.permissions import SYSTEM

PROCONNECT = {  # a userinfo answer as ProConnect documents it (no email_verified)
    "sub": "7f1c…",
    "email": "Secretariat@Demo.invalid",
    "given_name": "Claire",
    "usual_name": "Martin",
    "uid": "pc-0001",
    "siret": "13001929400011",
}


def test_proconnects_claims_are_read_as_documented():
    found = sso.identity(PROCONNECT, trust_email=True)
    assert (found.email, found.name, found.uid, found.siret) == (
        "Secretariat@Demo.invalid",
        "Claire Martin",
        "pc-0001",
        "13001929400011",
    )
    assert found.verified


@pytest.mark.parametrize("value", [False, "true", 1, None])
def test_only_the_json_true_verifies_an_address(value):
    claims = {**PROCONNECT, "email_verified": value}
    assert not sso.identity(claims).verified
    assert sso.identity({**PROCONNECT, "email_verified": True}).verified


def test_a_verified_address_opens_its_active_account_and_only_that(db):
    outcome = sso.resolve(db, sso.identity(PROCONNECT, trust_email=True))
    assert outcome.refusal is None and outcome.actor.email == EMAILS["reviewer"]


@pytest.mark.parametrize(
    ("claims", "refusal"),
    [
        ({"email": "inconnue@demo.invalid", "email_verified": True}, sso.Refusal.NO_ACCOUNT),
        ({"email": EMAILS["contributor_lyon"], "email_verified": True}, sso.Refusal.NO_ACCOUNT),
        ({"email": EMAILS["contributor_lille"], "email_verified": False}, sso.Refusal.UNVERIFIED),
        ({"email_verified": True}, sso.Refusal.NO_EMAIL),
    ],
)
def test_an_unknown_disabled_unverified_or_missing_address_is_refused(db, claims, refusal):
    accounts.set_active(db, SYSTEM, EMAILS["contributor_lyon"], False, origin="cli")
    outcome = sso.resolve(db, sso.identity(claims))
    assert (outcome.actor, outcome.refusal) == (None, refusal)
