"""Where the tracker finds its database and its shipped data."""

from __future__ import annotations

import math
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("TRACKER_DATA_DIR", PROJECT_DIR / "data"))
DEMO_DIR = DATA_DIR / "demo"
VAR_DIR = Path(os.environ.get("TRACKER_VAR_DIR", PROJECT_DIR / "var"))
# The interface's page scripts: the checkout's top-level `pages/` unless an
# installation puts them elsewhere.
PAGES_DIR = Path(os.environ.get("TRACKER_PAGES_DIR", PROJECT_DIR / "pages"))

YES = {"1", "true", "yes", "oui"}
NO = {"0", "false", "no", "non"}


def _flag(name: str) -> bool | None:
    """True, False, or None (unset or not understood) for a yes/no variable."""
    value = os.environ.get(name, "").strip().lower()
    return True if value in YES else False if value in NO else None


def database_url() -> str:
    """`TRACKER_DATABASE_URL`, or the embedded SQLite file `var/tracker.db`."""
    url = os.environ.get("TRACKER_DATABASE_URL", "").strip()
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'tracker.db'}"


def demo_requested() -> bool:
    """Whether a first start should load the demonstration follow-up data."""
    return _flag("TRACKER_DEMO") is True


def sso_email_verified() -> bool:
    """Whether the single sign-on provider's e-mail addresses count as verified
    even when it sends no `email_verified` claim (`TRACKER_SSO_EMAIL_VERIFIED`):
    only for a provider that verifies every address it hands out."""
    return _flag("TRACKER_SSO_EMAIL_VERIFIED") is True


def secure_cookies() -> bool | None:
    """`TRACKER_SECURE_COOKIES`: True (always `Secure`), False (never), None
    (automatic: `Secure` when the request came over HTTPS)."""
    return _flag("TRACKER_SECURE_COOKIES")


def fast_password_hashing() -> bool:
    """`TRACKER_FAST_PASSWORD_HASHING=1`: the cheapest argon2id parameters, for
    the test suite only; never on a server."""
    return os.environ.get("TRACKER_FAST_PASSWORD_HASHING", "").strip() == "1"


def json_logs() -> bool:
    """`TRACKER_LOG_FORMAT=json`: one JSON object per log line."""
    return os.environ.get("TRACKER_LOG_FORMAT", "").strip().lower() == "json"


def accessibility_contact() -> str:
    """Where people report an accessibility problem (`TRACKER_ACCESSIBILITY_CONTACT`:
    an e-mail address or a form's address); empty until the operator publishes one."""
    return os.environ.get("TRACKER_ACCESSIBILITY_CONTACT", "").strip()


DEFAULT_IDLE_MINUTES = 30.0


def idle_minutes() -> float:
    """How long a signed-in session may stay idle before it ends
    (`TRACKER_IDLE_MINUTES`, 30 by default). A decimal value is accepted
    (`0.1` is six seconds, for tests); anything that is not a positive number
    keeps the default, so a typing mistake never leaves sessions open forever."""
    raw = os.environ.get("TRACKER_IDLE_MINUTES", "").strip().replace(",", ".")
    if not raw:
        return DEFAULT_IDLE_MINUTES
    try:
        minutes = float(raw)
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    if not math.isfinite(minutes) or minutes <= 0 or minutes > 24 * 60:
        return DEFAULT_IDLE_MINUTES
    return minutes


DEFAULT_SIGN_IN_PER_CLIENT = "20 per 10 minutes"
DEFAULT_SIGN_IN_PER_ADDRESS = "10 per 10 minutes"


def sign_in_limits() -> tuple[str, str]:
    """How many sign-in attempts one client, and one e-mail address, may make
    (`TRACKER_SIGN_IN_PER_CLIENT`, `TRACKER_SIGN_IN_PER_ADDRESS`, in the `limits`
    notation: "20 per 10 minutes"). The test suite raises them; a server keeps
    the defaults."""
    return (
        os.environ.get("TRACKER_SIGN_IN_PER_CLIENT", "").strip() or DEFAULT_SIGN_IN_PER_CLIENT,
        os.environ.get("TRACKER_SIGN_IN_PER_ADDRESS", "").strip() or DEFAULT_SIGN_IN_PER_ADDRESS,
    )


def public_url() -> str:
    """The address the public reaches this server at (`TRACKER_PUBLIC_URL`,
    e.g. https://suivi.example.fr), without a trailing slash; empty when unset,
    and then links are built from the request."""
    return os.environ.get("TRACKER_PUBLIC_URL", "").strip().rstrip("/")


def smtp_url() -> str:
    """Where e-mail is delivered (`TRACKER_SMTP_URL`): `smtp://[user:password@]host[:587]`
    (STARTTLS required), `smtps://…[:465]` (TLS from the first byte), or
    `smtp://host:25?tls=none` for a relay on this machine that has no TLS.
    Empty (the `make run` default): messages stay in the outbox, where
    administrators read them."""
    return os.environ.get("TRACKER_SMTP_URL", "").strip()


def smtp_ca_file() -> str:
    """A certificate authority to trust for the SMTP server besides the system's
    (`TRACKER_SMTP_CA_FILE`, a PEM file): a relay with a private certificate."""
    return os.environ.get("TRACKER_SMTP_CA_FILE", "").strip()


DEFAULT_MAIL_FROM = "Suivi villes intelligentes partagées <ne-pas-repondre@localhost>"


def mail_from() -> str:
    """The sender of every message (`TRACKER_MAIL_FROM`, an address, optionally
    with a display name: `Suivi CNCD <suivi@exemple.gouv.fr>`)."""
    return os.environ.get("TRACKER_MAIL_FROM", "").strip() or DEFAULT_MAIL_FROM


def mail_sender_in_server() -> bool:
    """Whether the server delivers the outbox itself, in a background thread,
    when `TRACKER_SMTP_URL` is set (`TRACKER_MAIL_SENDER=0` leaves it to
    `python -m tracker mail send --loop` processes)."""
    return _flag("TRACKER_MAIL_SENDER") is not False


def links_base_url() -> str:
    """What links in e-mail start with: `TRACKER_PUBLIC_URL`, or, when it is
    unset, the address `make run` serves (a server must set it)."""
    return public_url() or f"http://127.0.0.1:{os.environ.get('PORT', '').strip() or '8501'}"


# The operator's details, shown by « Mentions légales » and « Données
# personnelles » (docs/operations.md, « Mentions légales »). Each is empty until
# the operator sets it, and the pages then say plainly that it is missing.
OPERATOR_VARIABLES = {
    "publisher": "TRACKER_PUBLISHER",
    "publication_director": "TRACKER_PUBLICATION_DIRECTOR",
    "host_name": "TRACKER_HOST_NAME",
    "host_address": "TRACKER_HOST_ADDRESS",
    "contact": "TRACKER_CONTACT",
    "dpo_contact": "TRACKER_DPO_CONTACT",
}


def operator_details() -> dict[str, str]:
    """Who publishes the tool, who directs the publication, who hosts it (name
    and postal address), where to write, and the data protection officer's
    contact: `TRACKER_PUBLISHER`, `TRACKER_PUBLICATION_DIRECTOR`,
    `TRACKER_HOST_NAME`, `TRACKER_HOST_ADDRESS`, `TRACKER_CONTACT`,
    `TRACKER_DPO_CONTACT`; an unset one is an empty string."""
    return {
        name: os.environ.get(variable, "").strip() for name, variable in OPERATOR_VARIABLES.items()
    }
