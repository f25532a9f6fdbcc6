"""Reading an uploaded CSV or XLSX file, within bounds set before and while reading.

A hostile file must never cost more than a legitimate one of the same limits:
- every file: at most `MAX_BYTES` as sent, `MAX_ROWS` rows with data;
- XLSX, before anything is opened: the archive's members together at most
  `MAX_UNPACKED` bytes once decompressed, no member expanding more than
  `MAX_RATIO` times (an archive bomb, e.g. shared strings of 200 MB in 441 KB),
  at most `MAX_MEMBERS` members. Python's `zipfile` never inflates a member
  past the size its directory declares (the CRC check fails instead), so
  checking the declared sizes bounds what is read;
- XLSX, while reading: the sheet's declared dimension is not trusted (a 5 KB
  sheet may declare `A1:XFD1048576`); at most `MAX_SHEET_ROWS` rows are read
  (empty ones included), no value may lie past column `MAX_COLUMNS`, and
  reading stops after `MAX_SECONDS`;
- CSV: a field over `csv.field_size_limit()` characters is a clear message,
  not a traceback.
Over a limit, `ValidationError` with a message that names the limit.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime

from openpyxl import load_workbook

from tracker.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
MAX_SHEET_ROWS = 2 * MAX_ROWS + 1  # rows walked, empty ones included, header too
MAX_COLUMNS = 64  # the schema has 15; more is never a file of ours
MAX_UNPACKED = 64 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # smaller members may compress as they like
MAX_MEMBERS = 256
MAX_SECONDS = 30.0
# The standard reader's default limit, checked by us too: a library may raise
# the process-wide `csv.field_size_limit` (the suite found one that does).
MAX_FIELD = 131_072


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[object]]
    lines: list[int]  # the file's line of each row, for messages


def read_table(content: bytes, filename: str, *, seconds: float = MAX_SECONDS) -> Table:
    """The file's header and rows, or ValidationError if it cannot be read
    within the limits."""
    if len(content) > MAX_BYTES:
        raise ValidationError("import.too_large", limit=MAX_BYTES // (1024 * 1024))
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        table = _read_xlsx(content, deadline=time.monotonic() + seconds)
    else:
        table = _read_csv(content)
    if len(table.rows) > MAX_ROWS:
        raise ValidationError("import.too_many_rows", limit=MAX_ROWS)
    return table


# CSV ---------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    # UTF-16 or UTF-32 (Excel's « Unicode text »), or a binary file: NUL bytes,
    # which no CSV of ours holds. Read as Windows-1252 they would come back as
    # unknown columns full of invisible characters; say what to do instead.
    if b"\x00" in content or content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("import.bad_encoding")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows, lines = [], []
    line = 1
    try:
        for record in reader:
            if any(len(cell) > MAX_FIELD for cell in record):
                raise csv.Error("field larger than field limit")
            if header is None:
                header = record[: MAX_COLUMNS + 1]
            elif any(cell.strip() for cell in record):
                rows.append(list(record[: MAX_COLUMNS + 1]))
                lines.append(line)
                if len(rows) > MAX_ROWS:
                    break
            line = reader.line_num + 1
    except csv.Error:
        # The only error the reader raises on text: a field longer than its limit.
        raise ValidationError("import.field_too_long", line=line, limit=MAX_FIELD) from None
    return Table(header or [], rows, lines)


# XLSX --------------------------------------------------------------------------


def check_archive(content: bytes) -> None:
    """Refuse an archive bomb from its directory, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError("import.unreadable") from None
    too_much = ValidationError("import.too_large_unpacked", limit=MAX_UNPACKED // (1024 * 1024))
    if len(members) > MAX_MEMBERS:
        raise too_much
    if sum(member.file_size for member in members) > MAX_UNPACKED:
        raise too_much
    for member in members:
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise too_much


class Percent(float):
    """A number from a cell formatted as a percentage: 0.4 shown as 40 %."""


def _xlsx_cell(cell: object) -> object:
    value = getattr(cell, "value", None)
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in str(getattr(cell, "number_format", "") or "")
    ):
        return Percent(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def _read_xlsx(content: bytes, *, deadline: float) -> Table:
    check_archive(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError("import.unreadable") from None
    try:
        sheet = book.worksheets[0]
        # The declared dimension is the file's say-so (a 5 KB sheet may declare
        # 17 billion cells): forget it, so that missing rows come back empty
        # instead of padded to its width, and each row only as wide as its
        # last cell. Rows are read to one past the limit, to tell "too many".
        sheet.reset_dimensions()
        header: list[str] | None = None
        rows, lines = [], []
        # Cells, not values: a percentage's format says 0.4 means 40 %.
        records = sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1)
        for number, record in enumerate(records, start=1):
            if time.monotonic() > deadline:
                raise ValidationError("import.too_slow", limit=int(MAX_SECONDS))
            if number > MAX_SHEET_ROWS:
                raise ValidationError("import.too_many_rows", limit=MAX_ROWS)
            cells = [_xlsx_cell(v) for v in record]
            if len(cells) > MAX_COLUMNS and any(v not in (None, "") for v in cells[MAX_COLUMNS:]):
                raise ValidationError("import.too_many_columns", limit=MAX_COLUMNS)
            if header is None:
                header = ["" if v is None else str(v) for v in cells]
                while header and not header[-1].strip():
                    header.pop()  # the row is read to MAX_COLUMNS: its width is its last name
                continue
            if any(v not in (None, "") for v in cells):
                rows.append(["" if v is None else v for v in cells])
                lines.append(number)
            if len(rows) > MAX_ROWS:
                break
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ValidationError("import.unreadable") from error
    finally:
        book.close()
    return Table(header or [], rows, lines)
