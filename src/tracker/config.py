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


def database_url() -> str:
    """`TRACKER_DATABASE_URL`, or the embedded SQLite file `var/tracker.db`."""
    url = os.environ.get("TRACKER_DATABASE_URL", "").strip()
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'tracker.db'}"


def demo_requested() -> bool:
    """Whether a first start should load the demonstration follow-up data."""
    return os.environ.get("TRACKER_DEMO", "").strip().lower() in {"1", "true", "yes", "oui"}


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
