"""How often one client, and one e-mail address, may try to sign in.

Counted in this server's memory with `limits` (a moving window), every attempt
alike, right or wrong, for any address typed, known or not: an attempt over a
limit gets the same answer as a wrong password, after the same work (a dummy
hash is verified), so the limit tells nothing about which accounts exist.
The limits are `config.sign_in_limits()` (20 per 10 minutes per client, 10 per
10 minutes per address).

Beside it, the database's lockout (`MAX_FAILED_ATTEMPTS` wrong passwords lock
an account for `LOCK_DURATION`) holds across servers and restarts; these
limits are per server process.
"""

from __future__ import annotations

from functools import cache

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from tracker import config

_storage = MemoryStorage()
_limiter = MovingWindowRateLimiter(_storage)


@cache
def _limit(text: str) -> RateLimitItem:
    return parse(text)


def allow(client: str, address: str, *, purpose: str = "sign-in") -> bool:
    """Count one attempt from `client` for `address`; False when either is over its limit.
    Password-reset requests (`purpose="reset"`) have the same limits, counted apart.

    Both counters are hit, so an attacker who spreads over many addresses is
    still held by the client's limit, and many clients on one address by the
    address's."""
    per_client, per_address = config.sign_in_limits()
    key = " ".join(str(address or "").split()).lower()[:320]
    allowed = _limiter.hit(_limit(per_address), f"{purpose}-address", key)
    if client:
        allowed = _limiter.hit(_limit(per_client), f"{purpose}-client", client) and allowed
    return allowed


def reset() -> None:
    """Forget every count (a test's fresh start; a server restart does the same)."""
    _storage.reset()
