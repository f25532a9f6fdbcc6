"""A file of invitations (CSV or XLSX: e-mail, role, organisation, and
optionally language and name), read within the import's limits
(`tracker.contributions.files`) and handed whole to `accounts.links.invite_many`:
everyone is invited, or no one, with every problem reported in one pass."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from tracker.accounts.links import INVITATION_COLUMNS, InvitationReport, invite_many
from tracker.contributions.files import read_table
from tracker.domain.permissions import Action, Actor, require
from tracker.errors import ValidationError
from tracker.followup.aggregates import fold
from tracker.i18n import describe

# The names a column may have in the file (accents, case and spaces aside).
HEADERS = {
    "email": {"email", "e-mail", "courriel", "adresse", "adresse electronique", "mail"},
    "role": {"role"},
    "organisation": {"organisation", "organization", "siren", "code"},
    "language": {"language", "langue", "lang"},
    "display_name": {"display_name", "nom", "name"},
}


def _column(name: object) -> str | None:
    text = fold(str(name or "")).strip().replace("_", " ")
    for column, names in HEADERS.items():
        if text in {n.replace("_", " ") for n in names}:
            return column
    return None


def read_invitations(content: bytes, filename: str) -> tuple[list[dict[str, object]], list[int]]:
    """The file's rows as dictionaries of `INVITATION_COLUMNS`, and their lines."""
    table = read_table(content, filename)
    columns = [_column(name) for name in table.header]
    missing = [c for c in ("email", "role") if c not in columns]
    if missing:
        raise ValidationError("auth.invitation_columns", columns=", ".join(missing))
    rows = []
    for values in table.rows:
        row = {c: "" for c in INVITATION_COLUMNS}
        for column, value in zip(columns, values, strict=False):
            if column is not None:
                row[column] = "" if value is None else str(value)
        rows.append(row)
    return rows, table.lines


def invite_file(
    engine: Engine,
    actor: Actor,
    content: bytes,
    filename: str,
    *,
    lang: str = "fr",
    origin: str = "ui",
    at: datetime | None = None,
) -> InvitationReport:
    """Read the file, then invite everyone in it or no one."""
    require(actor, Action.MANAGE_ACCOUNTS)
    try:
        rows, lines = read_invitations(content, filename)
    except ValidationError as error:
        return InvitationReport(problems=[(0, describe(error, lang))])
    return invite_many(engine, actor, rows, lines, lang=lang, origin=origin, at=at)
