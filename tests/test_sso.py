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


# The userinfo answer: a JWT whose signature is checked --------------------------------


@pytest.fixture
def provider():
    """A small provider on loopback (standard library HTTP server): its
    metadata, its published key, and a userinfo answer the test chooses."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, private=True, parameters={"kid": "k1"})
    state = {"userinfo": b"", "type": "application/jwt", "bearer": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path == "/.well-known/openid-configuration":
                body, kind = (
                    json.dumps(
                        {
                            "issuer": base,
                            "userinfo_endpoint": f"{base}/me",
                            "jwks_uri": f"{base}/jwks",
                        }
                    ).encode(),
                    "application/json",
                )
            elif self.path == "/jwks":
                body = json.dumps({"keys": [key.as_dict(private=False)]}).encode()
                kind = "application/json"
            else:
                state["bearer"] = self.headers.get("Authorization", "")
                body, kind = state["userinfo"], state["type"]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body if isinstance(body, bytes) else body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    yield base, key, state
    server.shutdown()
    thread.join(5)


def test_a_signed_userinfo_is_read_and_a_forged_one_refused(provider):
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    from tracker.errors import ServiceUnavailable

    base, key, state = provider
    metadata = f"{base}/.well-known/openid-configuration"
    state["userinfo"] = jwt.encode({"alg": "RS256", "kid": "k1"}, {**PROCONNECT, "iss": base}, key)
    claims = sso.userinfo(metadata, "jeton-d-acces")
    assert state["bearer"] == "Bearer jeton-d-acces"
    assert (claims["email"], claims["usual_name"], claims["siret"]) == (
        PROCONNECT["email"],
        "Martin",
        "13001929400011",
    )
    other = RSAKey.generate_key(2048, private=True, parameters={"kid": "k1"})
    state["userinfo"] = jwt.encode({"alg": "RS256", "kid": "k1"}, PROCONNECT, other)
    with pytest.raises(ServiceUnavailable):
        sso.userinfo(metadata, "jeton-d-acces")
    state["userinfo"] = jwt.encode({"alg": "RS256", "kid": "k1"}, {**PROCONNECT, "iss": "x"}, key)
    with pytest.raises(ServiceUnavailable):  # another issuer's
        sso.userinfo(metadata, "jeton-d-acces")


def test_a_userinfo_answer_about_someone_else_is_refused():
    from tracker.errors import ServiceUnavailable

    assert sso.merged({"sub": "a", "iss": "x"}, {"sub": "a", "email": "e"})["email"] == "e"
    with pytest.raises(ServiceUnavailable):
        sso.merged({"sub": "a"}, {"sub": "b", "email": "e"})
