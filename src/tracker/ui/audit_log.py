"""The audit log as an administrator reads it: who (with their role's label),
when (a date and a time without seconds), what (the action, the thing and
the field by their names) and the values as the pages show them — never a
code (`reviewer`, `proposal.followup`, `en_suspens`) nor `None`.

The downloaded CSV keeps the stored codes: it is for a machine.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from tracker.domain.vocabulary import (
    ContributionState,
    DecisionState,
    OrganisationKind,
    Role,
    SessionFormat,
    SessionState,
    Status,
    Theme,
    WordingStatus,
)
from tracker.i18n import catalogue, d, language, moment, t

# A field's values named by a vocabulary.
_VOCABULARIES = {
    "status": Status,
    "primary_theme": Theme,
    "secondary_themes": Theme,
    "wording_status": WordingStatus,
    "kind": OrganisationKind,
    "role": Role,
    "actor_role": Role,
    "format": SessionFormat,
}
# `state` depends on what changed.
_STATES = {
    "contribution": ContributionState,
    "decision": DecisionState,
    "review_session": SessionState,
}


def _field_keys(field: str) -> tuple[str, ...]:
    """Where a field's name is found, in order."""
    return (
        f"field.{field}",
        f"contrib.field.{field}",
        f"admin.col.{field}",
        f"admin.org.{field}",
        f"audit.field.{field}",
    )


def _known(key: str, lang: str) -> str | None:
    return catalogue(language(lang)).get(key)


def field_label(field: str | None, lang: str) -> str:
    if not field:
        return ""
    for key in _field_keys(field):
        label = _known(key, lang)
        if label is not None:
            return label
    return field


def action_label(action: str, lang: str) -> str:
    return _known(f"audit.action.{action}", lang) or action


def entity_label(entity: str, lang: str) -> str:
    return _known(f"audit.entity.{entity}", lang) or entity


def _term(vocabulary, code: str, lang: str) -> str:
    try:
        return vocabulary(code).label(lang)
    except ValueError:
        return code


def value_label(entity: str, field: str | None, value: object, lang: str) -> str:
    """A stored value as the pages show it: a vocabulary's label, a date
    written out, « » for none."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    text = str(value)
    vocabulary = _STATES.get(entity) if field == "state" else _VOCABULARIES.get(field or "")
    if vocabulary is not None:
        return ", ".join(_term(vocabulary, part, lang) for part in text.split("|") if part)
    if field in ("active", "notify_reviews"):
        return t("contrib.yes" if text.lower() in ("true", "1") else "contrib.no", lang)
    try:
        if len(text) == 10:
            return d(date.fromisoformat(text), lang)
        if len(text) > 10 and text[10] == "T":
            return moment(datetime.fromisoformat(text), lang)
    except ValueError:
        pass
    return text


def readable(entries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`entries` (`accounts.queries.audit_frame`) with labels, headed in `lang`."""
    rows = [
        {
            "at": moment(e.at, lang),
            "actor": e.actor,
            "actor_role": _term(Role, e.actor_role, lang) if e.actor_role else "",
            "action": action_label(e.action, lang),
            "entity": entity_label(e.entity, lang),
            "entity_id": e.entity_id or "",
            "field": field_label(e.field, lang),
            "old_value": value_label(e.entity, e.field, e.old_value, lang),
            "new_value": value_label(e.entity, e.field, e.new_value, lang),
            "origin": _known(f"audit.origin.{e.origin}", lang) or e.origin,
        }
        for e in entries.itertuples()
    ]
    frame = pd.DataFrame.from_records(rows, columns=list(entries.columns))
    return frame.rename(columns={c: t(f"admin.audit.{c}", lang) for c in entries.columns})
