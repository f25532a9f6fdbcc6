"""Single sign-on (OpenID Connect, through Streamlit's `st.login`): who the
provider says the person is, and whether that opens an account.

The claims are read as ProConnect documents them (`email`, `given_name`,
`usual_name`, `uid`, `siret`): ProConnect puts them not in the ID token but
in its userinfo endpoint's answer, a JWT signed with the provider's keys
(`application/jwt`). Streamlit's `st.user` holds the ID token's claims only;
`userinfo` fetches the rest with the access token (`expose_tokens`) and
verifies the signature against the provider's published keys.

A verified address opens only an existing, active account: single sign-on
never creates one. An unverified address, or one without an active account,
is refused, each with its own message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from tracker.accounts.queries import actor_for_verified_email
from tracker.domain.permissions import Actor
from tracker.errors import ServiceUnavailable

TIMEOUT_SECONDS = 10
CLAIMS = ("email", "email_verified", "given_name", "usual_name", "uid", "siret")


@dataclass(frozen=True)
class Identity:
    """What the provider vouches for."""

    email: str
    verified: bool
    given_name: str = ""
    usual_name: str = ""
    uid: str = ""
    siret: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.given_name, self.usual_name) if part)


def identity(claims: Mapping[str, object], *, trust_email: bool = False) -> Identity:
    """The identity in `claims`. `email_verified` must be the JSON `true`; a
    provider that vouches for every address without saying so (ProConnect)
    is trusted with `trust_email` (`TRACKER_SSO_EMAIL_VERIFIED=1`)."""

    def text(name: str) -> str:
        value = claims.get(name)
        return str(value).strip() if value is not None else ""

    return Identity(
        email=text("email"),
        verified=claims.get("email_verified") is True or trust_email,
        given_name=text("given_name"),
        usual_name=text("usual_name") or text("family_name"),
        uid=text("uid") or text("sub"),
        siret=text("siret"),
    )


class Refusal:
    """Why a signed-in identity does not open an account (message keys)."""

    NO_EMAIL = "auth.sso_no_email"
    UNVERIFIED = "auth.sso_unverified"
    NO_ACCOUNT = "auth.sso_no_account"  # unknown or disabled: one answer


@dataclass(frozen=True)
class Outcome:
    actor: Actor | None
    refusal: str | None = None


def resolve(session: Session, found: Identity) -> Outcome:
    """The account `found` opens, or why none."""
    if not found.email:
        return Outcome(None, Refusal.NO_EMAIL)
    if not found.verified:
        return Outcome(None, Refusal.UNVERIFIED)
    actor = actor_for_verified_email(session, found.email)
    return Outcome(actor, None if actor else Refusal.NO_ACCOUNT)


def userinfo(metadata_url: str, access_token: str) -> dict[str, object]:
    """The userinfo endpoint's claims for `access_token`: JSON, or a JWT whose
    signature is checked against the provider's keys (`jwks_uri`)."""
    try:
        metadata = requests.get(metadata_url, timeout=TIMEOUT_SECONDS)
        metadata.raise_for_status()
        endpoints = metadata.json()
        answer = requests.get(
            endpoints["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT_SECONDS,
        )
        answer.raise_for_status()
        if answer.headers.get("content-type", "").startswith("application/jwt"):
            keys = requests.get(endpoints["jwks_uri"], timeout=TIMEOUT_SECONDS)
            keys.raise_for_status()
            token = jwt.decode(
                answer.text.strip(),
                KeySet.import_key_set(keys.json()),
                algorithms=["RS256", "ES256", "PS256"],
            )
            claims = dict(token.claims)
            jwt.JWTClaimsRegistry().validate(claims)  # exp, nbf, iat when present
            if claims.get("iss") not in (None, endpoints.get("issuer")):
                raise JoseError("issuer")
            return claims
        return dict(answer.json())
    except (requests.RequestException, KeyError, ValueError, JoseError) as error:
        raise ServiceUnavailable("auth.sso_userinfo_failed") from error


def merged(id_token: Mapping[str, object], answer: Mapping[str, object]) -> dict[str, object]:
    """The ID token's claims completed by the userinfo answer, which must be
    about the same person (`sub`, OpenID Connect Core 5.3.2)."""
    if answer.get("sub") is not None and answer.get("sub") != id_token.get("sub"):
        raise ServiceUnavailable("auth.sso_userinfo_failed")
    return {**id_token, **answer}
