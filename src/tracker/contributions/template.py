"""The import template, built for Excel (and LibreOffice): the column titles
in the user's language, one example row marked as such (its id cell says
« EXEMPLE », and the importer skips it), a sheet explaining each column, and
drop-down lists (data validation) for the proposal, the organisation, the
status and the country. Its headers and its lists' values import as they are
(`tracker.contributions.cells` understands them)."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pycountry
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.contributions.cells import EXAMPLE_MARKS, column_title
from tracker.contributions.rules import CONTRIBUTION_STATUSES, country_name
from tracker.db.models import Organisation, Proposal
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Role
from tracker.exports import to_csv_bytes
from tracker.i18n import t

TEMPLATE_COLUMNS = [
    "id",
    "proposal",
    "organisation",
    "title",
    "description",
    "status",
    "progress",
    "start_date",
    "end_date",
    "partner_country",
    "partner_authority",
    "evidence_links",
    "budget_eur",
    "contact",
]
REQUIRED = ("proposal", "title", "status")
LIST_ROWS = 500  # rows offered drop-down lists and formats below the header
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF4D6")


def _example(lang: str, organisation: str, proposal: str) -> dict[str, object]:
    return {
        "id": EXAMPLE_MARKS[lang],
        "proposal": proposal,
        "organisation": organisation,
        "title": t("template.example_title", lang),
        "description": t("template.example_description", lang),
        "status": CONTRIBUTION_STATUSES[1].label(lang),
        "progress": 0.4,
        "start_date": date(2025, 9, 1),
        "end_date": date(2027, 6, 30),
        "partner_country": country_name("SN", lang),
        "partner_authority": "Saint-Louis",
        "evidence_links": "https://exemple.org/projet",
        "budget_eur": 12345.5,
        "contact": "prenom.nom@exemple.fr",
    }


def _lists(session: Session, actor: Actor | None, lang: str) -> dict[str, list[str]]:
    title = Proposal.title_en if lang == "en" else Proposal.title_fr
    proposals = [
        f"{number} — {text}"
        for number, text in session.execute(
            select(Proposal.number, title).order_by(Proposal.number)
        )
    ]
    query = select(Organisation.short_name).order_by(Organisation.short_name)
    if actor is not None and actor.role is Role.CONTRIBUTOR:  # its own only
        query = query.where(Organisation.id == actor.organisation_id)
    countries = sorted(
        {country_name(c.alpha_2, lang) for c in pycountry.countries}, key=str.casefold
    )
    return {
        "proposal": proposals,
        "organisation": list(session.scalars(query)),
        "status": [s.label(lang) for s in CONTRIBUTION_STATUSES],
        "partner_country": countries,
    }


def template_xlsx(session: Session, actor: Actor | None, lang: str) -> bytes:
    lists = _lists(session, actor, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = t("template.sheet_contributions", lang)[:31]
    titles = [column_title(name, lang) for name in TEMPLATE_COLUMNS]
    sheet.append(titles)
    for position, name in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(1, position)
        cell.font = Font(bold=True)
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = 42 if name in ("title", "description") else 18
        for line in range(2, LIST_ROWS + 2):
            if name == "progress":
                sheet.cell(line, position).number_format = "0%"
            elif name in ("start_date", "end_date"):
                sheet.cell(line, position).number_format = "DD/MM/YYYY"
    proposals = lists["proposal"]
    example = _example(
        lang,
        lists["organisation"][0] if lists["organisation"] else "",
        proposals[min(6, len(proposals) - 1)] if proposals else "",
    )
    for position, name in enumerate(TEMPLATE_COLUMNS, start=1):
        sheet.cell(2, position, example[name]).fill = EXAMPLE_FILL
    sheet.freeze_panes = "A2"

    hidden = book.create_sheet(t("template.sheet_lists", lang)[:31])
    for number, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(number)
        hidden.cell(1, number, column_title(name, lang))
        for line, value in enumerate(values, start=2):
            hidden.cell(line, number, value)
        if not values:
            continue
        quoted = hidden.title.replace("'", "''")
        source = f"'{quoted}'!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=False,  # a value typed otherwise is still understood, or named
        )
        validation.promptTitle = column_title(name, lang)[:32]
        validation.prompt = t("template.pick", lang)
        validation.showInputMessage = True
        column = get_column_letter(TEMPLATE_COLUMNS.index(name) + 1)
        validation.add(f"{column}2:{column}{LIST_ROWS + 1}")
        sheet.add_data_validation(validation)

    help_sheet = book.create_sheet(t("template.sheet_help", lang)[:31])
    help_sheet.append([t("template.help_intro", lang)])
    help_sheet.append([])
    help_sheet.append(
        [
            t("template.col_column", lang),
            t("template.col_required", lang),
            t("template.col_help", lang),
        ]
    )
    for cell in help_sheet[3]:
        cell.font = Font(bold=True)
    for name in TEMPLATE_COLUMNS:
        required = t("template.required", lang) if name in REQUIRED else ""
        help_sheet.append([column_title(name, lang), required, t(f"template.help.{name}", lang)])
    help_sheet.column_dimensions["A"].width = 26
    help_sheet.column_dimensions["B"].width = 14
    help_sheet.column_dimensions["C"].width = 110
    book.move_sheet(help_sheet, offset=-1)  # after the data, before the lists
    hidden.sheet_state = "hidden"
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(session: Session, actor: Actor | None, lang: str) -> bytes:
    """The same columns and example row as CSV, as French Excel reads it."""
    lists = _lists(session, actor, lang)
    example = _example(lang, lists["organisation"][0] if lists["organisation"] else "", "7")
    example["progress"] = "40 %"
    example["start_date"] = example["start_date"].strftime("%d/%m/%Y")
    example["end_date"] = example["end_date"].strftime("%d/%m/%Y")
    example["budget_eur"] = "12 345,50" if lang == "fr" else "12345.50"
    frame = pd.DataFrame(
        [[example[name] for name in TEMPLATE_COLUMNS]],
        columns=[column_title(name, lang) for name in TEMPLATE_COLUMNS],
    )
    return to_csv_bytes(frame)
