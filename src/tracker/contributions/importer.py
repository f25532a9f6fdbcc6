"""Bulk import of contributions from a CSV or XLSX file, and the same format out.

The file is read as French Excel writes it (UTF-8 with or without BOM, or
Windows-1252; `;` or `,`; dates 25/11/2026; decimal commas), checked against
the Table Schema `data/schema/contributions.schema.json` with frictionless,
then through the very service functions the pages use (so the same
permissions and rules apply): `contributions.update` for a line with an id,
`contributions.create_many` for the new ones, in bulk. Nothing is kept unless
every row passes: the rows are written inside a savepoint that is rolled back
when any problem is found and at the end of a dry run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tracker import config
from tracker.clock import now
from tracker.contributions import actions as contributions
from tracker.contributions import queries as contribution_queries
from tracker.contributions.files import MAX_BYTES as MAX_BYTES  # the limits, for messages
from tracker.contributions.files import MAX_ROWS as MAX_ROWS
from tracker.contributions.files import Table, read_table
from tracker.db.unit_of_work import action, savepoint
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.vocabulary import ContributionState
from tracker.errors import NotFound, PermissionDenied, TrackerError, ValidationError
from tracker.exports import FORMULA_STARTS, to_csv_bytes, to_xlsx_bytes
from tracker.i18n import describe, t

SCHEMA_PATH = config.DATA_DIR / "schema" / "contributions.schema.json"
REQUIRED_COLUMNS = ("proposal", "title", "status")
IGNORED_ON_IMPORT = ("state",)


@cache
def schema_descriptor() -> dict:
    import json

    return json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8"))


def columns() -> list[str]:
    return [f["name"] for f in schema_descriptor()["fields"]]


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    kind: str = "ValidationError"  # the named error behind the message


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    submitted: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# Reading the file (within bounds: tracker.contributions.files) -------------------


def _unneutralise(value: object) -> object:
    """Undo the apostrophe our exports put before formula-like text."""
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] == "'"
        and value[1] in "".join(FORMULA_STARTS)
    ):
        return value[1:]
    return value


# Checking ----------------------------------------------------------------------


def _frictionless_message(error: dict, lang: str) -> str:
    kind = error.get("type", "")
    note = str(error.get("note", ""))
    if kind == "type-error":
        field_type = note.split('"')[1].split("/")[0] if '"' in note else ""
        key = {
            "date": "import.bad_date",
            "integer": "import.bad_integer",
            "number": "import.bad_number",
        }.get(field_type, "import.bad_value")
    elif kind == "constraint-error":
        constraint = note.split('"')[1] if '"' in note else ""
        key = {
            "required": "import.required",
            "enum": "import.not_in_list",
            "maxLength": "import.too_long",
            "minimum": "import.out_of_range",
            "maximum": "import.out_of_range",
            "pattern": "import.bad_value",
        }.get(constraint, "import.bad_value")
    elif kind == "extra-cell":
        key = "import.extra_cell"
    else:
        key = "import.bad_value"
    return t(key, lang, value=str(error.get("cell", ""))[:80])


def _header_problems(header: list[str], lang: str) -> tuple[list[int | None], list[Problem]]:
    """Where each schema column is in the file, and what is wrong with the header."""
    names = [str(h or "").strip().lstrip("\ufeff").lower() for h in header]
    known = columns()
    problems = [
        Problem(1, name, t("import.unknown_column", lang, column=name))
        for name in names
        if name and name not in known
    ]
    problems += [
        Problem(1, name, t("import.missing_column", lang, column=name))
        for name in REQUIRED_COLUMNS
        if name not in names
    ]
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    problems += [Problem(1, n, t("import.duplicate_column", lang, column=n)) for n in duplicates]
    positions = [names.index(name) if name in names else None for name in known]
    return positions, problems


def check_table(table: Table, lang: str) -> tuple[list[dict[str, object]], list[Problem]]:
    """Rows as typed values, checked against the Table Schema (frictionless)."""
    positions, problems = _header_problems(table.header, lang)
    if problems:
        return [], problems
    width = len(table.header)
    data: list[list[object]] = [columns()]
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) > width and any(str(v).strip() for v in row[width:]):
            problems.append(Problem(line, "", t("import.extra_cell", lang, value=row[width])))
        cells = []
        for position in positions:
            value = row[position] if position is not None and position < len(row) else ""
            value = _unneutralise(value.strip() if isinstance(value, str) else value)
            cells.append(value)
        data.append(cells)
    if not problems:
        typed = _typed_rows(data)
        if typed is not None:
            return typed, []
    resource = Resource(data=data, schema=Schema.from_descriptor(schema_descriptor()))
    report = resource.validate()
    for error in report.flatten(["rowNumber", "fieldName", "type", "note", "cell"]):
        row_number, field_name, kind, note, cell = error
        line = table.lines[row_number - 2] if row_number and row_number >= 2 else 1
        problems.append(
            Problem(
                line,
                field_name or "",
                _frictionless_message({"type": kind, "note": note, "cell": cell}, lang),
            )
        )
    if problems:
        return [], sorted(
            problems,
            key=lambda p: (p.line, columns().index(p.column) if p.column in columns() else -1),
        )
    typed = Resource(data=data, schema=Schema.from_descriptor(schema_descriptor())).read_rows()
    return [dict(row) for row in typed], []


def _typed_rows(data: list[list[object]]) -> list[dict[str, object]] | None:
    """The rows typed by frictionless in one pass, or None as soon as one is
    invalid (then `validate` describes every problem). A valid file, the usual
    case, is read once instead of validated then read again."""
    resource = Resource(data=data, schema=Schema.from_descriptor(schema_descriptor()))
    typed = []
    with resource:
        for row in resource.row_stream:
            if not row.valid:
                return None
            typed.append(row.to_dict())
    return typed


# Writing -----------------------------------------------------------------------


def import_contributions(
    db: Engine | Session,
    actor: Actor,
    content: bytes,
    filename: str,
    *,
    lang: str = "fr",
    dry_run: bool = False,
    submit: bool = False,
    at: datetime | None = None,
) -> ImportReport:
    """Import a whole file, or nothing. Problems come back by line and column.

    The file is read and checked against the schema first, outside any
    transaction (reading is bounded, but still the slow part): only a file
    that passes reaches `write_import`, the action, whose transaction holds
    the write lock for the writing alone."""
    require(actor, Action.CONTRIBUTE)
    report = ImportReport()
    try:
        table = read_table(content, filename)
    except ValidationError as error:
        report.problems.append(Problem(0, "", describe(error, lang)))
        return report
    rows, report.problems = check_table(table, lang)
    report.rows = len(table.rows)
    if report.problems:
        return report
    return write_import(
        db, actor, rows, table.lines, report, lang=lang, dry_run=dry_run, submit=submit, at=at
    )


@action
def write_import(
    session: Session,
    actor: Actor,
    rows: list[dict[str, object]],
    lines: list[int],
    report: ImportReport,
    *,
    lang: str = "fr",
    dry_run: bool = False,
    submit: bool = False,
    at: datetime | None = None,
) -> ImportReport:
    """Write the rows of a file already read and checked (`import_contributions`)."""
    require(actor, Action.CONTRIBUTE)
    at = at or now()

    # Checked and written in a savepoint that is kept only if every row is
    # right and this is not a dry run: otherwise nothing stays (no row, no
    # revision bump, no log line of a change that was never made).
    def keep() -> bool:
        return not report.problems and not dry_run

    with savepoint(session, keep=keep):
        new: list[tuple[int, dict[str, object]]] = []
        for row, line in zip(rows, lines, strict=True):
            fields = {k: v for k, v in row.items() if k not in IGNORED_ON_IMPORT and k != "id"}
            if row.get("id") is None:
                new.append((line, fields))
                continue
            try:
                _update(session, actor, row["id"], fields, report, at=at, submit=submit)
            except TrackerError as error:
                report.problems.append(_problem(line, error, lang))
        # New contributions are written in bulk: one look-up of the proposals and
        # organisations for the file, rows and audit rows in batches.
        created = contributions.create_many(
            session, actor, [fields for _, fields in new], at=at, origin="import", submit=submit
        )
        report.created = created.valid
        if submit:
            report.submitted += created.valid
        report.problems += [
            _problem(new[i][0], error, lang) for i, error in created.refused.items()
        ]
        report.problems.sort(key=lambda problem: problem.line)
    report.written = keep()
    return report


def _problem(line: int, error: TrackerError, lang: str) -> Problem:
    column = str(error.params.get("field", ""))
    return Problem(line, column, describe(error, lang), type(error).__name__)


def _update(
    session: Session,
    actor: Actor,
    contribution_id: int,
    fields: dict[str, object],
    report: ImportReport,
    *,
    at: datetime,
    submit: bool,
) -> None:
    """A line with an id: that contribution, updated through the service.
    Another organisation's id is answered as one that does not exist: a file
    must not tell a contributor which ids exist elsewhere."""
    try:
        before = contribution_queries.get(session, contribution_id).version
        contribution = contributions.update(
            session, actor, contribution_id, fields, at=at, origin="import"
        )
    except PermissionDenied as error:
        if error.params.get("field") != "id":
            raise
        raise NotFound("contrib.not_found", field="id", id=contribution_id) from None
    if contribution.version == before:
        report.unchanged += 1
    else:
        report.updated += 1
    if submit and ContributionState(contribution.state).may_submit:
        contributions.submit(session, actor, contribution.id, at=at, origin="import")
        report.submitted += 1


# The same format out -------------------------------------------------------------


def export_frame(frame: pd.DataFrame, *, public: bool) -> pd.DataFrame:
    """Contributions in the import format, one row each, columns in schema order."""
    out = pd.DataFrame(index=frame.index)
    for name in columns():
        if name == "contact" and public:
            out[name] = ""
        elif name == "state" and public:
            out[name] = ContributionState.VALIDATED.value
        elif name == "evidence_links":
            out[name] = [" ".join((v or "").split()) for v in frame[name]]
        else:
            out[name] = frame.get(name, "")
    return out.reset_index(drop=True)


def _french_csv_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)), "f").replace(".", ",")
    return value


def to_import_csv(frame: pd.DataFrame) -> bytes:
    """CSV as French Excel writes it, and as the importer reads it back."""
    shown = frame.astype(object).apply(lambda column: column.map(_french_csv_value))
    return to_csv_bytes(shown)


def to_import_xlsx(frame: pd.DataFrame) -> bytes:
    values = frame.astype(object).apply(
        lambda column: column.map(lambda v: float(v) if isinstance(v, Decimal) else v)
    )
    return to_xlsx_bytes({"contributions": values})


def template_csv() -> bytes:
    return to_csv_bytes(pd.DataFrame(columns=columns()))
