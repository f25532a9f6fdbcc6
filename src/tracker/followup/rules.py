"""rules (split from tracker.services.followup)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from tracker.errors import ValidationError

TEXT_FIELDS = ("next_steps_fr", "next_steps_en", "blockers_fr", "blockers_en")


DATE_FIELDS = ("target_date", "last_assessed_on")


FOLLOWUP_FIELDS = (
    "status",
    "progress",
    "lead_owner",
    "co_owners",
    *DATE_FIELDS,
    *TEXT_FIELDS,
)


MAX_TEXT = 5000
MAX_COMMENT = 500  # the comment that goes with a follow-up change, in its history


def _as_date(field: str, value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError("error.bad_date", field=field, value=value) from None


def _codes(value: object) -> list[str]:
    if value is None or value == "":
        return []
    items: Iterable[object] = value.split("|") if isinstance(value, str) else value  # type: ignore[assignment]
    return sorted({str(item).strip() for item in items if str(item).strip()})
