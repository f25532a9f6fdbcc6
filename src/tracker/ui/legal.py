"""« Mentions légales » and « Données personnelles »: what the two pages say,
built here so that the pages only draw it and plain pytest reads it.

The operator's details come from the configuration (`config.operator_details`);
one that is unset shows as a placeholder that says so and names its variable.
How long sign-in records are kept is read from the code that keeps them, so the
page cannot drift from what the tool really does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker import config
from tracker.accounts import links, passwords, sessions
from tracker.i18n import n, t
from tracker.ui.markdown import md_escape

# An address written by the operator becomes a mail link; anything else is text.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Section:
    heading: str
    body: str  # Markdown written by this project; the operator's values made inert


def operator_value(name: str, lang: str) -> str:
    """One of the operator's details as Markdown, or the visible placeholder
    that says it is missing (and which variable sets it)."""
    value = config.operator_details()[name]
    if not value:
        return t("legal.placeholder", lang, variable=config.OPERATOR_VARIABLES[name])
    if EMAIL.fullmatch(value):
        return f"[{value}](mailto:{value})"
    return md_escape(value)


def missing_details() -> list[str]:
    """The variables the operator has not set yet."""
    details = config.operator_details()
    return [config.OPERATOR_VARIABLES[name] for name, value in details.items() if not value]


def missing_notice(lang: str) -> str | None:
    """The notice at the top of both pages while some details are missing."""
    missing = missing_details()
    if not missing:
        return None
    return t("legal.missing", lang, variables=", ".join(f"`{name}`" for name in missing))


def _operator(lang: str) -> dict[str, str]:
    return {name: operator_value(name, lang) for name in config.OPERATOR_VARIABLES}


def legal_notice(lang: str) -> list[Section]:
    """Who publishes the tool, who hosts it, how its content may be reused."""
    values = _operator(lang)
    return [
        Section(t("legal.publisher_heading", lang), t("legal.publisher", lang, **values)),
        Section(t("legal.host_heading", lang), t("legal.host", lang, **values)),
        Section(t("legal.reuse_heading", lang), t("legal.reuse", lang)),
        Section(t("legal.personal_data_heading", lang), t("legal.personal_data", lang)),
        Section(t("legal.accessibility_heading", lang), t("legal.accessibility", lang)),
    ]


def _minutes(value: float, lang: str) -> str:
    return n(value, lang) if value == int(value) else n(value, lang, 1)


def retention(lang: str) -> dict[str, str]:
    """The durations the code enforces, written for the page."""
    return {
        "idle": _minutes(config.idle_minutes(), lang),
        "lifetime": n(sessions.ABSOLUTE_LIFETIME.total_seconds() / 3600, lang),
        "keep_days": n(sessions.KEEP_ENDED.days, lang),
        "code_seconds": n(sessions.CODE_LIFETIME.total_seconds(), lang),
        "invitation_days": n(links.INVITATION_LIFETIME.days, lang),
        "reset_hours": n(links.RESET_LIFETIME.total_seconds() / 3600, lang),
        "lock": n(passwords.LOCK_DURATION.total_seconds() / 60, lang),
    }


PERSONAL_DATA = ("accounts", "sign_in", "contributions", "outbox", "audit", "logs")


def personal_data(lang: str) -> list[Section]:
    """What personal data the tool keeps, why, for how long, who sees it, and
    how to exercise one's rights."""
    values = _operator(lang)
    durations = retention(lang)
    return [
        Section(t("privacy.controller_heading", lang), t("privacy.controller", lang, **values)),
        *(
            Section(t(f"privacy.{kind}_heading", lang), t(f"privacy.{kind}", lang, **durations))
            for kind in PERSONAL_DATA
        ),
        Section(t("privacy.cookies_heading", lang), t("privacy.cookies", lang)),
        Section(t("privacy.basis_heading", lang), t("privacy.basis", lang)),
        Section(t("privacy.recipients_heading", lang), t("privacy.recipients", lang, **values)),
        Section(t("privacy.rights_heading", lang), t("privacy.rights", lang, **values)),
    ]
