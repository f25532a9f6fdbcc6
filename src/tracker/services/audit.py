"""The audit log: every change to the data, who made it, when, old → new.

Services call `record` in the same transaction as the change they make, so a
change and its audit row are written together or not at all. Nothing ever
updates or deletes an audit row (the database refuses it too).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import AuditEntry
from tracker.services import settings
from tracker.services.actors import Action, Actor, require

AUDIT_COLUMNS = [
    "at",
    "actor",
    "actor_role",
    "action",
    "entity",
    "entity_id",
    "field",
    "old_value",
    "new_value",
    "origin",
]


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)


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
    """One row per changed field (old, new); one row with no field when the
    action changes no field (a submission, a sign-out of an account…)."""
    who = actor.email or actor.name
    rows = [
        AuditEntry(
            at=at,
            actor=who,
            actor_role=actor.role.value,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            field=field,
            old_value=_text(old),
            new_value=_text(new),
            origin=origin,
        )
        for field, (old, new) in (changes or {}).items()
        if _text(old) != _text(new)
    ]
    if not rows:
        rows = [
            AuditEntry(
                at=at,
                actor=who,
                actor_role=actor.role.value,
                action=action,
                entity=entity,
                entity_id=str(entity_id),
                field="",
                origin=origin,
            )
        ]
    session.add_all(rows)
    # Every change passes here: its commit moves the data revision (caches
    # keyed on it re-read) and writes one log line, with field names only.
    settings.mark_changed(
        session,
        {
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "fields": [row.field for row in rows if row.field],
            "actor_role": actor.role.value,
            "origin": origin,
        },
    )
    return rows


def audit_frame(session: Session, actor: Actor, limit: int = 2000) -> pd.DataFrame:
    """The latest audit rows, newest first (administrators only)."""
    require(actor, Action.READ_AUDIT)
    entries = session.scalars(
        select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()
    return pd.DataFrame.from_records(
        [{c: getattr(e, c) for c in AUDIT_COLUMNS} for e in entries], columns=AUDIT_COLUMNS
    )
