"""The official wording of the twenty proposals, out to a file and back.

The day the secretariat has the report's text, loading it must take minutes:
`catalogue export` writes the catalogue as it stands (number, titles and
summaries in French and English, themes, report page, wording status,
source); the secretariat corrects it in Excel; `catalogue import` (or the
administration page) shows every change, old → new, per proposal and field,
before one transaction writes them all with their history.

A file is refused, with every reason at once, unless it holds exactly the
numbers 1 to 20, once each, every column, and rows the catalogue's rules
accept. Reading the file (within bounds) is the interface's job: the
functions here take its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.catalogue.rules import CATALOGUE_FIELDS, clean_proposal_row
from tracker.db.models import Proposal
from tracker.errors import ValidationError
from tracker.exports import FORMULA_STARTS, to_csv_bytes, to_xlsx_bytes
from tracker.i18n import t

NUMBERS = range(1, 21)
WORDING_COLUMNS = ("number", *CATALOGUE_FIELDS)


@dataclass(frozen=True)
class WordingChange:
    number: int
    field: str
    old: str
    new: str


@dataclass
class WordingPreview:
    """What importing the rows would change, or why it cannot."""

    changes: list[WordingChange] = field(default_factory=list)
    problems: list[ValidationError] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)  # cleaned, by number

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def proposals(self) -> list[int]:
        return sorted({c.number for c in self.changes})


class WordingRefused(ValidationError):
    """The file cannot be loaded; `problems` says every reason."""

    key = "wording.error_refused"

    def __init__(self, problems: list[ValidationError]) -> None:
        super().__init__(self.key, count=str(len(problems)))
        self.problems = problems


def wording_frame(session: Session) -> pd.DataFrame:
    """The catalogue as the export writes it, by number."""
    rows = session.scalars(select(Proposal).order_by(Proposal.number)).all()
    return pd.DataFrame.from_records(
        [{"number": p.number, **{f: getattr(p, f) or "" for f in CATALOGUE_FIELDS}} for p in rows],
        columns=list(WORDING_COLUMNS),
    )


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number Excel stored as 7.0
    text = str(value)
    if len(text) > 1 and text[0] == "'" and text[1] in "".join(FORMULA_STARTS):
        return text[1:]  # the apostrophe our exports put before formula-like text
    return text


def to_file(frame: pd.DataFrame, fmt: str) -> bytes:
    """The export as a file: `csv` (French Excel's) or `xlsx`."""
    if fmt == "xlsx":
        return to_xlsx_bytes({"propositions": frame})
    return to_csv_bytes(frame)


def check_rows(
    header: Sequence[str], rows: Sequence[Sequence[object]], lines: Sequence[int]
) -> tuple[list[dict[str, object]], list[ValidationError]]:
    """The rows cleaned by the catalogue's rules, and every problem found."""
    problems: list[ValidationError] = []
    names = [str(h or "").strip() for h in header]
    missing = [c for c in WORDING_COLUMNS if c not in names]
    if missing:
        problems.append(ValidationError("wording.error_columns", columns=", ".join(missing)))
        return [], problems
    index = {name: names.index(name) for name in WORDING_COLUMNS}
    cleaned: list[dict[str, object]] = []
    numbers: list[int] = []  # every row's number, its other cells right or not
    for line, cells in zip(lines, rows, strict=True):
        row = {name: _text(cells[i]) if i < len(cells) else "" for name, i in index.items()}
        if not any(row.values()):
            continue
        if row["number"].strip().isdigit():
            numbers.append(int(row["number"]))
        try:
            cleaned.append(clean_proposal_row(row, line))
        except ValidationError as error:
            problems.append(error)
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    absent = [n for n in NUMBERS if n not in numbers]
    extra = sorted({n for n in numbers if n not in NUMBERS})
    for key, found in (
        ("wording.error_duplicates", duplicates),
        ("wording.error_extra", extra),
        ("wording.error_missing", absent),
    ):
        if found:
            problems.append(ValidationError(key, numbers=", ".join(map(str, found))))
    return sorted(cleaned, key=lambda r: int(r["number"])), problems  # type: ignore[call-overload]


def preview_wording(
    session: Session,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    lines: Sequence[int],
) -> WordingPreview:
    """Every change the rows would make to the catalogue, old → new, or the
    problems that stop them."""
    cleaned, problems = check_rows(header, rows, lines)
    if problems:
        return WordingPreview(problems=problems)
    current = {p.number: p for p in session.scalars(select(Proposal))}
    changes = []
    for row in cleaned:
        number = int(row["number"])  # type: ignore[call-overload]
        proposal = current.get(number)
        for name in CATALOGUE_FIELDS:
            old = (getattr(proposal, name) or "") if proposal is not None else ""
            new = str(row[name] or "")
            if old != new:
                changes.append(WordingChange(number, name, old, new))
    return WordingPreview(changes=changes, rows=cleaned)


def changes_table(preview: WordingPreview, lang: str) -> pd.DataFrame:
    """The preview as people read it: n°, field, before, after."""
    return pd.DataFrame(
        {
            t("col.number", lang): [c.number for c in preview.changes],
            t("wording.col_field", lang): [t(f"field.{c.field}", lang) for c in preview.changes],
            t("wording.col_old", lang): [c.old for c in preview.changes],
            t("wording.col_new", lang): [c.new for c in preview.changes],
        }
    )
