"""Files people open in a spreadsheet: CSV for French Excel, XLSX, JSON.

Cells that a spreadsheet would run as a formula are neutralised here, for
every export.
"""

from __future__ import annotations

import io
import json
import textwrap
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_HEIGHT = 15  # points: a spreadsheet's line of Calibri 11
CHARACTERS_PER_WIDTH = 1.15  # letters of text per unit of column width (a digit)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as French Excel opens it: UTF-8 with BOM, `;` between cells, CRLF,
    decimal commas (« 36,9 »), whole numbers without decimals (« 20 », never
    « 20.0 », though a column with gaps is held as floats)."""
    text = _whole_numbers(_neutralised(frame)).to_csv(index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def _whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns whose values are all whole as integers (with gaps), and
    the floats of mixed columns written as French Excel reads them."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            known = values.dropna()
            if known.empty or (known % 1 == 0).all():
                out[column] = values.astype("Int64")
            else:
                out[column] = values.astype(object).map(_csv_number)
        elif values.dtype == object:
            out[column] = values.map(_csv_number)
    return out


def _csv_number(value: object) -> object:
    """A float as French Excel reads it: « 36,9 », « 20 »; anything else as is."""
    if isinstance(value, float):
        if pd.isna(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return value


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], date_format: str = "DD/MM/YYYY") -> bytes:
    """A workbook, one formatted sheet per frame: bold filled header, filters on,
    first row frozen, sensible widths, dates stored as real dates, printed
    across the page."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        frame = _neutralised(frame)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="000091")
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for index, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(index)
            values = [str(column)] + [str(v) for v in frame[column].head(200) if v is not None]
            width = min(60, max(10, max(len(v) for v in values) + 2))
            sheet.column_dimensions[letter].width = width
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, date | datetime):
                    cell.number_format = date_format
                cell.alignment = Alignment(vertical="top", wrap_text=width >= 60)
        _fitted_rows(sheet)
        sheet.freeze_panes = "A2"
        _printed_across(sheet)
        if frame.shape[1]:
            sheet.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{len(frame) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fitted_rows(sheet) -> None:
    """Each row as tall as its wrapped text: a spreadsheet does not grow a row
    for text wrapped in a file it opens (LibreOffice draws it over the next)."""
    for row in sheet.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            if cell.alignment.wrap_text and isinstance(cell.value, str):
                width = sheet.column_dimensions[cell.column_letter].width
                chars = max(int(width * CHARACTERS_PER_WIDTH), 1)
                wrapped = sum(len(textwrap.wrap(p, chars)) or 1 for p in cell.value.split("\n"))
                lines = max(lines, wrapped)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def _printed_across(sheet) -> None:
    """Printed (or converted to PDF) as a person reads it: A4 landscape, the
    header row repeated on each page, and a sheet narrow enough (at most
    eight columns, the briefing's short sheets) on the page's width."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    if sheet.max_column <= 8:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    records = [
        {k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
    ]
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def _json_value(value: object) -> object:
    value = _cell(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
