"""The audit log: every change to the data, who made it, when, old → new.

Services call `record` in the same transaction as the change they make, so a
change and its audit row are written together or not at all. Nothing ever
updates or deletes an audit row (the database refuses it too).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from tracker.db import bulk
from tracker.db.models import AuditEntry
from tracker.db.unit_of_work import mark_changed
from tracker.domain.permissions import Actor


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)


def entries(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    changes: Mapping[str, tuple[object, object]] | None = None,
    *,
    at: datetime,
    origin: str = "ui",
) -> list[dict[str, object]]:
    """The audit rows of one action, as column values: one per changed field
    (old, new); one with no field when the action changes no field (a
    submission, a sign-out of an account…)."""
    who = actor.account
    common = {
        "at": at,
        "actor": who,
        "actor_role": actor.role.value,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "origin": origin,
    }
    rows = [
        {**common, "field": field, "old_value": _text(old), "new_value": _text(new)}
        for field, (old, new) in (changes or {}).items()
        if _text(old) != _text(new)
    ]
    return rows or [{**common, "field": "", "old_value": None, "new_value": None}]


def _log_line(rows: list[dict[str, object]], actor: Actor, **extra: object) -> dict[str, object]:
    first = rows[0]
    return {
        "action": first["action"],
        "entity": first["entity"],
        "entity_id": first["entity_id"],
        "fields": list(dict.fromkeys(row["field"] for row in rows if row["field"])),
        "actor_role": actor.role.value,
        "origin": first["origin"],
        **extra,
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    changes: Mapping[str, tuple[object, object]] | None = None,
    *,
    at: datetime,
    origin: str = "ui",
) -> list[AuditEntry]:
    """Record one action: its audit rows (see `entries`), in the caller's transaction."""
    values = entries(actor, action, entity, entity_id, changes, at=at, origin=origin)
    rows = [AuditEntry(**row) for row in values]
    session.add_all(rows)
    # Every change passes here: its commit moves the data revision (caches
    # keyed on it re-read) and writes one log line, with field names only.
    mark_changed(session, _log_line(values, actor))
    return rows


def record_many(session: Session, actor: Actor, rows: list[dict[str, object]]) -> None:
    """Record many actions at once (a bulk import): the rows made
    by `entries`, inserted at once (`db.bulk`), and one log line per
    action that says how many entities it touched, from the first to the last."""
    if not rows:
        return
    bulk.insert_rows(session, AuditEntry.__table__, rows)
    for action in dict.fromkeys(row["action"] for row in rows):
        done = [row for row in rows if row["action"] == action]
        ids = list(dict.fromkeys(row["entity_id"] for row in done))
        mark_changed(
            session,
            _log_line(
                done,
                actor,
                entity_id=ids[0] if len(ids) == 1 else f"{ids[0]}..{ids[-1]}",
                count=len(ids),
            ),
        )
