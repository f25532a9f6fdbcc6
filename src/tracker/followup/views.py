"""What pages and exports show: localised frames built from the raw ones."""

from __future__ import annotations

import pandas as pd

from tracker.domain.vocabulary import Status, Theme, WordingStatus
from tracker.followup.queries import PROPOSAL_FIELDS
from tracker.i18n import field_name, t

ORIGIN_BASELINE = "baseline"  # the state at the report's adoption, written by the tool


def recorded_by(origin: str) -> str:
    """Who recorded a follow-up change, as the public may know it: the tool
    (`system`, the state at adoption) or the CNCD's secretariat
    (`secretariat`): only its reviewers and administrators edit the
    follow-up. Never which person: the `author` column holds a name, which
    defaults to an e-mail address."""
    return "system" if origin == ORIGIN_BASELINE else "secretariat"


def public_author(origin: str, lang: str) -> str:
    """« Secrétariat de la CNCD »: the role and the organisation, for the
    public timeline and the note's history."""
    return t(f"recorded_by.{recorded_by(origin)}", lang)


def organisation_names(organisations: pd.DataFrame) -> dict[str, str]:
    return dict(zip(organisations["code"], organisations["short_name"], strict=True))


def owner_list(codes: str | None, names: dict[str, str]) -> str:
    return ", ".join(names.get(c, c) for c in (codes or "").split("|") if c)


def wording_badge(code: str, lang: str) -> str:
    """The badge shown beside a title that is not the report's own words."""
    status = WordingStatus.parse(code)
    if status is None or status is WordingStatus.VERBATIM:
        return ""
    return status.badge(lang)


def proposals_table(frame: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The proposals as the table page and every export show them.

    Column headers are in `lang`; the number, progress and dates keep their
    types so that spreadsheets can sort and compute on them.
    """
    return pd.DataFrame(
        {
            t("col.number", lang): frame["number"].astype(int),
            t("col.title", lang): frame[field_name("title", lang)],
            t("col.wording", lang): [WordingStatus(c).label(lang) for c in frame["wording_status"]],
            t("col.theme", lang): [Theme(c).label(lang) for c in frame["primary_theme"]],
            t("col.secondary_themes", lang): [
                ", ".join(Theme(x).label(lang) for x in (c or "").split("|") if x)
                for c in frame["secondary_themes"]
            ],
            t("col.lead_owner", lang): [names.get(c, c or "") for c in frame["lead_owner"]],
            t("col.co_owners", lang): [owner_list(c, names) for c in frame["co_owners"]],
            t("col.status", lang): [Status(c).label(lang) for c in frame["status"]],
            t("col.progress", lang): frame["progress"],
            t("col.target_date", lang): frame["target_date"],
            t("col.last_assessed_on", lang): frame["last_assessed_on"],
            t("col.next_steps", lang): frame[field_name("next_steps", lang)],
            t("col.blockers", lang): frame[field_name("blockers", lang)],
            t("col.source_url", lang): frame["source_url"],
        }
    )


def machine_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The proposals with stable codes and both languages, for the CLI's JSON/CSV."""
    return frame[PROPOSAL_FIELDS].reset_index(drop=True)
