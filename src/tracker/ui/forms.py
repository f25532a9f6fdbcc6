"""The contribution form: layout only. It returns what was typed; the service
checks it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pycountry
import streamlit as st

from tracker.contributions.rules import CONTRIBUTION_STATUSES, country_name
from tracker.domain.vocabulary import Status
from tracker.errors import ValidationError
from tracker.i18n import decimal_text, t
from tracker.ui.errors import described


@dataclass(frozen=True)
class Submitted:
    fields: dict[str, object]
    submit_too: bool


def _value(defaults: Mapping[str, object], name: str, fallback: object = None) -> object:
    value = defaults.get(name, fallback)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return fallback
    return value


def contribution_form(
    key: str,
    lang: str,
    proposals: Mapping[int, str],
    defaults: Mapping[str, object],
    organisations: Mapping[str, str] | None = None,
    problems: Mapping[str, str] | None = None,
) -> Submitted | None:
    """The fields of a contribution. `organisations` (code → name) is given only
    to an administrator, who chooses the organisation of a new contribution.
    `problems` (field → message, from the last attempt): all shown at once,
    each beside its field, and together at the top."""
    problems = problems or {}

    def beside(where, name: str) -> None:
        if name in problems:
            where.error(problems[name], icon=":material/error:")

    countries = [
        "",
        *sorted(
            (c.alpha_2 for c in pycountry.countries), key=lambda c: country_name(c, lang).casefold()
        ),
    ]
    statuses = [s.value for s in CONTRIBUTION_STATUSES]
    # No `max_chars` on the text fields: Streamlit drops a whole paste longer
    # than it, without a word (found in the browser). The service checks the
    # lengths and says which field is too long, keeping what was typed on screen.
    with st.form(key, border=True):
        if problems:
            st.error(
                t("contrib.problems", lang, count=len(problems))
                + "\n\n"
                + "\n".join(f"- {message}" for message in problems.values()),
                icon=":material/block:",
            )
        st.caption(t("contrib.required_fields", lang))
        numbers = list(proposals)
        chosen = _value(defaults, "proposal", None)
        proposal = st.selectbox(
            t("contrib.field.proposal", lang),
            numbers,
            # A new contribution names its proposal itself: none is pre-selected.
            index=numbers.index(int(chosen)) if chosen is not None else None,  # type: ignore[arg-type]
            format_func=lambda x: f"{x}. {proposals[x]}",
            placeholder=t("contrib.choose_proposal", lang),
        )
        beside(st, "proposal")
        organisation = None
        if organisations:
            codes = list(organisations)
            current = _value(defaults, "organisation", codes[0])
            organisation = st.selectbox(
                t("contrib.field.organisation", lang),
                codes,
                index=codes.index(current) if current in codes else 0,
                format_func=organisations.get,
            )
            beside(st, "organisation")
        title = st.text_input(
            t("contrib.field.title", lang), value=str(_value(defaults, "title", ""))
        )
        beside(st, "title")
        description = st.text_area(
            t("contrib.field.description", lang),
            value=str(_value(defaults, "description", "")),
            help=t("contrib.help.description", lang),
        )
        beside(st, "description")
        # One row of columns per pair of fields: the keyboard then moves as the
        # eye reads, left to right and row by row (WCAG 2.4.3), not down a column.
        left, right = st.columns(2)
        status = left.selectbox(
            t("contrib.field.status", lang),
            statuses,
            index=statuses.index(str(_value(defaults, "status", "engagee"))),
            format_func=lambda s: Status(s).badge(lang),
        )
        progress = right.number_input(
            t("contrib.field.progress", lang),
            min_value=0,
            max_value=100,
            step=5,
            value=_value(defaults, "progress", None),
            help=t("contrib.help.progress", lang),
        )
        beside(left, "status")
        beside(right, "progress")
        left, right = st.columns(2)
        start = left.date_input(
            t("contrib.field.start_date", lang),
            value=_value(defaults, "start_date", None),
            min_value=date(2000, 1, 1),
            format="DD/MM/YYYY",
        )
        end = right.date_input(
            t("contrib.field.end_date", lang),
            value=_value(defaults, "end_date", None),
            min_value=date(2000, 1, 1),
            format="DD/MM/YYYY",
        )
        beside(left, "start_date")
        beside(right, "end_date")
        current_country = str(_value(defaults, "partner_country", ""))
        left, right = st.columns(2)
        country = left.selectbox(
            t("contrib.field.partner_country", lang),
            countries,
            index=countries.index(current_country) if current_country in countries else 0,
            format_func=lambda c: country_name(c, lang) if c else "—",
        )
        authority = right.text_input(
            t("contrib.field.partner_authority", lang),
            value=str(_value(defaults, "partner_authority", "")),
        )
        beside(left, "partner_country")
        beside(right, "partner_authority")
        links = st.text_area(
            t("contrib.field.evidence_links", lang),
            value=str(_value(defaults, "evidence_links", "")),
            help=t("contrib.help.evidence_links", lang),
            height=100,
        )
        beside(st, "evidence_links")
        left, right = st.columns(2)
        budget = left.text_input(
            t("contrib.field.budget_eur", lang),
            value=_budget_text(_value(defaults, "budget_eur", None), lang),
            help=t("contrib.help.budget_eur", lang),
        )
        contact = right.text_input(
            t("contrib.field.contact", lang),
            value=str(_value(defaults, "contact", "")),
            help=t("contrib.help.contact", lang),
        )
        beside(left, "budget_eur")
        beside(right, "contact")
        save = st.form_submit_button(t("contrib.save", lang), icon=":material/save:")
        save_and_submit = st.form_submit_button(
            t("contrib.save_and_submit", lang), type="primary", icon=":material/send:"
        )
    if not (save or save_and_submit):
        return None
    fields: dict[str, object] = {
        "proposal": proposal,
        "title": title,
        "description": description,
        "status": status,
        "progress": progress,
        "start_date": start,
        "end_date": end,
        "partner_country": country,
        "partner_authority": authority,
        "evidence_links": links,
        "budget_eur": budget,
        "contact": contact,
    }
    if organisation is not None:
        fields["organisation"] = organisation
    return Submitted(fields, bool(save_and_submit))


PROBLEMS = "{key}__problems"  # session state: the last attempt's problems, by field


def problems_of(key: str) -> dict[str, str]:
    return st.session_state.get(PROBLEMS.format(key=key), {})


def remember_problems(key: str, error: ValidationError, lang: str) -> None:
    """Every problem of an attempt, by field, for the form to show beside each
    (a problem of no field of the form is shown at the top only)."""
    problems: dict[str, str] = {}
    for problem in getattr(error, "problems", [error]):
        name = str(problem.params.get("field") or "") or f"_{len(problems)}"
        problems.setdefault(name, described(problem, lang))
    st.session_state[PROBLEMS.format(key=key)] = problems


def forget_problems(key: str) -> None:
    st.session_state.pop(PROBLEMS.format(key=key), None)


def _budget_text(value: object, lang: str) -> str:
    if value is None:
        return ""
    text = f"{value}"
    return decimal_text(text, lang)
