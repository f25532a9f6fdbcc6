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

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tracker import config
from tracker.clock import now
from tracker.contributions import actions as contributions
from tracker.contributions import cells
from tracker.contributions import queries as contribution_queries
from tracker.contributions.files import MAX_BYTES as MAX_BYTES  # the limits, for messages
from tracker.contributions.files import MAX_ROWS as MAX_ROWS
from tracker.contributions.files import Table, read_table
from tracker.contributions.rules import EDITABLE_FIELDS, PUBLIC_FIELDS, field_errors
from tracker.db.engine import reading
from tracker.db.models import Contribution, ContributionVersion, Organisation, Proposal
from tracker.db.unit_of_work import action, savepoint
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.vocabulary import ContributionState, Role
from tracker.errors import NotFound, PermissionDenied, TrackerError, ValidationError
from tracker.exports import to_csv_bytes, to_xlsx_bytes
from tracker.i18n import describe, t
from tracker.mail import notifications

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
    column: str  # the column's code (`status`)
    message: str
    kind: str = "ValidationError"  # the named error behind the message ("Duplicate" too)
    heading: str = ""  # the column as the file names it (« Statut »)
    found: str = ""  # what the cell held


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    submitted: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Lookups:
    """What a file's cells are understood against: the proposals' numbers, the
    organisations (a contributor is shown only its own as accepted)."""

    numbers: frozenset[int]
    organisations: cells.Organisations


def lookups(session: Session, actor: Actor) -> Lookups:
    numbers = frozenset(session.scalars(select(Proposal.number)))
    rows = session.execute(
        select(
            Organisation.id,
            Organisation.code,
            Organisation.short_name,
            Organisation.full_name,
            Organisation.siren,
        ).order_by(Organisation.code)
    ).all()
    known = cells.Organisations.of([tuple(row[1:]) for row in rows])
    if actor.role is Role.CONTRIBUTOR:
        own = [tuple(row[1:]) for row in rows if row[0] == actor.organisation_id]
        known = cells.Organisations(known.by_name, cells.Organisations.of(own).shown)
    return Lookups(numbers, known)


# Checking ----------------------------------------------------------------------


def _frictionless_message(error: dict, lang: str) -> str:
    kind = error.get("type", "")
    note = str(error.get("note", ""))
    key = "import.bad_value"
    if kind == "constraint-error":
        constraint = note.split('"')[1] if '"' in note else ""
        key = {
            "required": "import.required",
            "maxLength": "import.too_long",
            "minimum": "import.out_of_range",
            "maximum": "import.out_of_range",
        }.get(constraint, "import.bad_value")
    return t(key, lang, value=str(error.get("cell", ""))[:80])


def _header(header: list[str], lang: str) -> tuple[dict[str, int], list[Problem]]:
    """Where each column is in the file (named by its code or its French or
    English title), and what is wrong with the header."""
    names = cells.header_names(columns())
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    accepted = ", ".join(f"« {cells.column_title(name, lang)} »" for name in columns())
    for position, written in enumerate(header):
        shown = str(written or "").strip().lstrip("\ufeff")
        if not shown:
            continue
        name = names.get(cells.match_key(shown))
        if name is None:
            message = t("import.unknown_column", lang, column=shown, accepted=accepted)
            problems.append(Problem(1, shown, message, heading=shown, found=shown))
        elif name in positions:
            message = t("import.duplicate_column", lang, column=shown)
            problems.append(Problem(1, name, message, heading=shown, found=shown))
        else:
            positions[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            title = cells.column_title(name, lang)
            message = t("import.missing_column", lang, column=title)
            problems.append(Problem(1, name, message, heading=title))
    return positions, problems


def _understand(name: str, value: object, found: Lookups, lang: str) -> object:
    if name == "id":
        return cells.identifier(value)
    if name == "proposal":
        return cells.proposal(value, found.numbers)
    if name == "organisation":
        return cells.organisation(value, found.organisations)
    if name == "status":
        return cells.status(value, lang)
    if name == "progress":
        return cells.progress(value)
    if name in ("start_date", "end_date"):
        return cells.day(value, name)
    if name == "partner_country":
        return cells.country(value)
    if name == "budget_eur":
        return cells.budget(value)
    return cells.text(value)


@dataclass
class Line:
    """One row of the file, understood: its values (only the columns the file
    has), what its cells held, and the columns already found wrong (nothing
    more is said of them)."""

    number: int
    values: dict[str, object]
    raw: dict[str, object]
    failed: set[str] = field(default_factory=set)


def check_table(
    table: Table, lang: str, found: Lookups
) -> tuple[list[Line], list[Problem], dict[str, str]]:
    """Every row understood (`tracker.contributions.cells`), then checked
    against the Table Schema (frictionless): every problem of every row at once."""
    positions, problems = _header(table.header, lang)
    headings = {
        name: str(table.header[position]).strip().lstrip("\ufeff")
        for name, position in positions.items()
    }
    if problems:
        return [], problems, headings
    width = len(table.header)
    lines: list[Line] = []
    for row, number in zip(table.rows, table.lines, strict=True):
        extra = [v for v in row[width:] if str(v).strip()]
        if extra:
            problems.append(Problem(number, "", t("import.extra_cell", lang, value=extra[0])))
        if (
            "id" in positions
            and positions["id"] < len(row)
            and cells.is_example(row[positions["id"]])
        ):
            continue
        line = Line(number, {}, {})
        for name, position in positions.items():
            value = row[position] if position < len(row) else ""
            line.raw[name] = value
            if name in IGNORED_ON_IMPORT:
                continue
            try:
                line.values[name] = _understand(name, value, found, lang)
            except ValidationError as error:
                line.failed.add(name)
                problems.append(_problem(line, name, error, lang, headings))
        lines.append(line)
    problems += _schema_problems(lines, lang, headings)
    return lines, problems, headings


def _schema_problems(lines: list[Line], lang: str, headings: dict[str, str]) -> list[Problem]:
    """What the Table Schema still finds in the understood values (a required
    value missing, a text too long), the cells already refused apart."""
    names = columns()
    data: list[list[object]] = [names]
    for line in lines:
        data.append([None if n in line.failed else line.values.get(n) for n in names])
    resource = Resource(data=data, schema=Schema.from_descriptor(schema_descriptor()))
    problems = []
    # The row stream, not `validate()`: the same checks, without a deep copy
    # of the whole table (a third of the time of a 10,000-row file).
    with resource:
        for row in resource.row_stream:
            line = lines[row.row_number - 2]
            for error in row.errors:
                name = getattr(error, "field_name", "")
                if name not in headings or name in line.failed:
                    continue
                line.failed.add(name)
                described = {"type": error.type, "note": error.note, "cell": error.cell}
                problems.append(
                    Problem(
                        line.number,
                        name,
                        _frictionless_message(described, lang),
                        "ValidationError",
                        headings.get(name, name),
                        _shown(line.raw.get(name)),
                    )
                )
    return problems


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, cells.Percent):
        return f"{value * 100:g} %"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)[:80]


def _problem(
    line: Line,
    name: str,
    error: TrackerError,
    lang: str,
    headings: dict[str, str],
    kind: str | None = None,
) -> Problem:
    heading = headings.get(name) or (cells.column_title(name, lang) if name in columns() else name)
    return Problem(
        line.number,
        name,
        describe(error, lang),
        kind or type(error).__name__,
        heading,
        _shown(line.raw.get(name)),
    )


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {name: i for i, name in enumerate(columns())}
    return sorted(problems, key=lambda p: (p.line, order.get(p.column, -1)))


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
    confirm_duplicates: bool = False,
    at: datetime | None = None,
) -> ImportReport:
    """Import a whole file, or nothing. Every problem comes back at once, by
    line and column, with what was found and what is accepted.

    The file is read and its cells understood first, outside any transaction
    (reading is bounded, but still the slow part); then `write_import`, the
    action, checks every row's rules against the database, and writes only
    if nothing at all is wrong."""
    _may_import(actor)
    report = ImportReport()
    try:
        table = read_table(content, filename)
    except ValidationError as error:
        report.problems.append(Problem(0, "", describe(error, lang)))
        return report
    with _read(db) as session:
        found = lookups(session, actor)
    lines, report.problems, headings = check_table(table, lang, found)
    report.rows = len(lines) if lines or not report.problems else len(table.rows)
    if not lines:
        return report
    if report.problems:  # wrong already: the rest is checked without the write lock
        with _read(db) as session:
            return check_rows(
                session,
                actor,
                lines,
                headings,
                report,
                lang=lang,
                confirm_duplicates=confirm_duplicates,
            )
    return write_import(
        db,
        actor,
        lines,
        headings,
        report,
        lang=lang,
        dry_run=dry_run,
        submit=submit,
        confirm_duplicates=confirm_duplicates,
        at=at,
    )


@contextmanager
def _read(db: Engine | Session) -> Iterator[Session]:
    """A read in the caller's unit of work, or in a read-only one of its own."""
    if isinstance(db, Session):
        yield db
    else:
        with reading(db) as session:
            yield session


def _may_import(actor: Actor) -> None:
    """Contributors and administrators import; a reviewer may re-import an
    export it left unchanged (any line that would change something is refused)."""
    if not actor.may(Action.SEE_PRIVATE):
        require(actor, Action.CONTRIBUTE)


def _same(stored: object, new: object) -> bool:
    return (None if stored == "" else stored) == (None if new == "" else new)


def _unchanged(stored: dict[str, object], values: dict[str, object]) -> bool:
    return all(_same(stored.get(name), value) for name, value in values.items())


def _duplicate_key(organisation: str, values: dict[str, object]) -> tuple[object, ...]:
    return (
        organisation,
        values.get("proposal"),
        cells.match_key(values.get("title")),
        values.get("start_date"),
    )


@dataclass
class _Writing:
    """What one import's rows share while they are checked and written."""

    session: Session
    actor: Actor
    report: ImportReport
    headings: dict[str, str]
    lang: str
    at: datetime
    submit: bool
    write: bool = True  # False: rows only checked (the file is wrong already)

    def refuse(self, line: Line, error: TrackerError, kind: str | None = None) -> None:
        name = str(error.params.get("field", ""))
        if name and name in line.failed:
            return
        line.failed.add(name)
        self.report.problems.append(_problem(line, name, error, self.lang, self.headings, kind))


@action
def write_import(
    session: Session,
    actor: Actor,
    lines: list[Line],
    headings: dict[str, str],
    report: ImportReport,
    *,
    lang: str = "fr",
    dry_run: bool = False,
    submit: bool = False,
    confirm_duplicates: bool = False,
    at: datetime | None = None,
) -> ImportReport:
    """Check the rules of every row of a file already understood
    (`import_contributions`), then write them if nothing is wrong.

    A row that changes nothing is skipped (« inchangée »): no version, no
    state change, no audit row, whoever exports and re-imports it. A new row
    that repeats an existing contribution of its organisation exactly is
    unchanged too; one with the same proposal, title and start date but other
    values is a probable duplicate, refused unless `confirm_duplicates`."""
    _may_import(actor)
    work = _Writing(session, actor, report, headings, lang, at or now(), submit)

    # Checked and written in a savepoint that is kept only if every row is
    # right and this is not a dry run: otherwise nothing stays (no row, no
    # revision bump, no log line of a change that was never made).
    def keep() -> bool:
        return not report.problems and not dry_run

    with (
        savepoint(session, keep=keep),
        notifications.one_message_per_batch(session, at=work.at, origin="import"),
    ):
        _rows(work, lines, confirm_duplicates)
    report.written = keep()
    return report


def check_rows(
    session: Session,
    actor: Actor,
    lines: list[Line],
    headings: dict[str, str],
    report: ImportReport,
    *,
    lang: str = "fr",
    confirm_duplicates: bool = False,
) -> ImportReport:
    """The rules of every row of a file already known to be wrong, checked in
    a read (no write lock, nothing written): its other problems are said too."""
    work = _Writing(session, actor, report, headings, lang, now(), False, write=False)
    _rows(work, lines, confirm_duplicates)
    return report


def _rows(work: _Writing, lines: list[Line], confirm_duplicates: bool) -> None:
    session, actor, report = work.session, work.actor, work.report
    own_code = (
        session.scalar(select(Organisation.code).where(Organisation.id == actor.organisation_id))
        if actor.organisation_id is not None
        else None
    )
    existing = _existing(session, actor, lines, own_code)
    in_file: dict[tuple[object, ...], int] = {}
    new: list[tuple[Line, dict[str, object]]] = []
    for line in lines:
        fields = {k: v for k, v in line.values.items() if k != "id"}
        if line.values.get("id") is not None:
            _update_line(work, line, fields)
            continue
        values, errors = field_errors(fields)
        for error in errors:
            work.refuse(line, error)
        if not work.write:
            _organisation_problem(work, line, fields, own_code)
        if line.failed:
            continue
        values["proposal"] = fields.get("proposal")
        key = _duplicate_key(str(fields.get("organisation") or own_code or ""), values)
        same = existing.get(key)
        if same is not None and _unchanged(same, values):
            report.unchanged += 1
            continue
        if not confirm_duplicates and (same is not None or key in in_file):
            report.duplicates += 1
            if same is not None:
                error = ValidationError("import.duplicate_of", field="title", id=same["id"])
            else:
                error = ValidationError(
                    "import.duplicate_in_file", field="title", other=in_file[key]
                )
            work.refuse(line, error, "Duplicate")
            continue
        in_file.setdefault(key, line.number)
        new.append((line, fields))
    if new and work.write:
        _create(work, new)
    report.problems = _sorted(report.problems)
    if report.problems:
        report.created = 0  # nothing was written, nothing will be


def _organisation_problem(
    work: _Writing, line: Line, fields: dict[str, object], own_code: str | None
) -> None:
    """What `create_many` would say of a new row's organisation, said without writing."""
    code = fields.get("organisation")
    if not work.actor.may(Action.CONTRIBUTE):
        work.refuse(line, PermissionDenied("error.permission_denied", field="id"))
    elif work.actor.role is Role.CONTRIBUTOR:
        if code is not None and code != own_code:
            work.refuse(
                line, PermissionDenied("contrib.not_your_organisation", field="organisation")
            )
    elif code is None:
        work.refuse(line, ValidationError("contrib.required", field="organisation", value=""))


def _create(work: _Writing, new: list[tuple[Line, dict[str, object]]]) -> None:
    """New contributions written in bulk: one look-up of the proposals and
    organisations for the file, rows and audit rows in batches."""
    try:
        created = contributions.create_many(
            work.session,
            work.actor,
            [fields for _, fields in new],
            at=work.at,
            origin="import",
            submit=work.submit,
        )
    except PermissionDenied as error:  # a reviewer: it may only re-import unchanged rows
        for line, _ in new:
            work.refuse(line, PermissionDenied(error.key, field="id", **error.params))
        return
    work.report.created = created.valid
    if work.submit:
        work.report.submitted += created.valid
    for position, error in created.refused.items():
        work.refuse(new[position][0], error)


def _existing(
    session: Session, actor: Actor, lines: list[Line], own_code: str | None
) -> dict[tuple[object, ...], dict[str, object]]:
    """The contributions new rows could repeat, by organisation, proposal,
    title and start date: the contributor's organisation's, or those of the
    organisations an administrator's file names."""
    codes = {own_code} if own_code else set()
    if actor.role is not Role.CONTRIBUTOR:
        codes |= {str(line.values.get("organisation") or "") for line in lines} - {""}
    if not codes:
        return {}
    query = (
        select(Contribution, Proposal.number, Organisation.code)
        .join(Proposal, Proposal.id == Contribution.proposal_id)
        .join(Organisation, Organisation.id == Contribution.organisation_id)
        .where(Organisation.code.in_(codes))
        .order_by(Contribution.id)
    )
    found: dict[tuple[object, ...], dict[str, object]] = {}
    for contribution, number, code in session.execute(query).all():
        stored = {
            "id": contribution.id,
            "proposal": number,
            **{name: getattr(contribution, name) for name in EDITABLE_FIELDS},
        }
        found.setdefault(_duplicate_key(code, stored), stored)
    return found


def _update_line(work: _Writing, line: Line, fields: dict[str, object]) -> None:
    """A line with an id: left alone if it changes nothing, else that
    contribution updated through the service.

    A contributor's line for a contribution that does not exist, and one for
    another organisation's that the line would change, get the same answer:
    a file learns nothing of contributions its author may not see. A line
    that repeats another organisation's published version is unchanged."""
    session, actor = work.session, work.actor
    contribution_id = line.values["id"]
    unknown = NotFound("import.unknown_id", field="id", id=contribution_id)
    contribution = session.get(Contribution, contribution_id)
    if contribution is None:
        work.refuse(line, unknown)
        return
    mine = (
        actor.role is not Role.CONTRIBUTOR or contribution.organisation_id == actor.organisation_id
    )
    source: Contribution | ContributionVersion | None = contribution
    if mine:
        stored = {name: getattr(contribution, name) for name in EDITABLE_FIELDS}
    else:
        source = _published(session, contribution.id)
        if source is None:
            work.refuse(line, unknown)
            return
        stored = {name: getattr(source, name) for name in PUBLIC_FIELDS} | {"contact": ""}
    editable = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    values, errors = field_errors({**stored, **editable})
    for error in errors:
        work.refuse(line, error)
    if line.failed:
        return
    number = fields.get("proposal")
    proposal_id = (
        session.scalar(select(Proposal.id).where(Proposal.number == number))
        if number is not None
        else source.proposal_id
    )
    code = fields.get("organisation")
    same_organisation = code is None or code == session.scalar(
        select(Organisation.code).where(Organisation.id == source.organisation_id)
    )
    if _unchanged(stored, values) and proposal_id == source.proposal_id and same_organisation:
        work.report.unchanged += 1
        if work.submit and mine and ContributionState(contribution.state).may_submit:
            _submit(work, line)
        return
    if not mine:
        work.refuse(line, unknown)
        return
    if not work.write:
        if not actor.may(Action.CONTRIBUTE):
            work.refuse(line, PermissionDenied("error.permission_denied", field="id"))
        elif not same_organisation:
            fixed = ValidationError("contrib.organisation_fixed", field="organisation", value=code)
            work.refuse(line, fixed)
        return
    try:
        contributions.update(session, actor, contribution.id, fields, at=work.at, origin="import")
    except TrackerError as error:
        if "field" not in error.params:
            error = type(error)(error.key, field="id", **error.params)
        work.refuse(line, error)
        return
    work.report.updated += 1
    if work.submit and ContributionState(contribution.state).may_submit:
        _submit(work, line)


def _submit(work: _Writing, line: Line) -> None:
    try:
        contributions.submit(
            work.session, work.actor, line.values["id"], at=work.at, origin="import"
        )
    except TrackerError as error:
        work.refuse(line, type(error)(error.key, field="id", **error.params))
    else:
        work.report.submitted += 1


def _published(session: Session, contribution_id: int) -> ContributionVersion | None:
    return session.scalar(
        select(ContributionVersion)
        .where(ContributionVersion.contribution_id == contribution_id)
        .order_by(ContributionVersion.revision.desc())
        .limit(1)
    )


# The same format out -------------------------------------------------------------


def export_for(session: Session, actor: Actor | None) -> pd.DataFrame:
    """The export each one re-imports unchanged: a contributor's organisation's
    contributions in every state, with their contacts; every one for a
    reviewer or an administrator; the published versions for anyone else."""
    if actor is not None and actor.may(Action.SEE_PRIVATE):
        working = contribution_queries.working_frame(session, actor, all_organisations=True)
        return export_frame(working, public=False)
    if actor is not None and actor.may(Action.CONTRIBUTE):
        return export_frame(contribution_queries.working_frame(session, actor), public=False)
    return export_frame(contribution_queries.public_frame(session), public=True)


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
