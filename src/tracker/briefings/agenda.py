"""The agenda (« ordre du jour ») of a session, proposed from the data.

For the session on day D, compared with the previous session held (or the
report's adoption): the proposals whose status or progress changed, the
stalled ones, the overdue ones (target date passed, not done), the ones that
went backwards, the ones with no assessment for six months, the ones with
contributions validated since, and the decisions still open (due or overdue
said). Each item says why it is there. The secretariat removes, adds and
reorders items (`review_sessions.actions.save_agenda`); what it kept is the
agenda, each item still with its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker.briefings.comparison import alerts, compare
from tracker.domain.vocabulary import ADOPTION_DATE, AlertKind
from tracker.i18n import d, field_name, list_separator, quantity, t
from tracker.review_sessions.queries import open_decisions, session_before

PROPOSAL = "proposal"
DECISION = "decision"


@dataclass(frozen=True)
class AgendaItem:
    key: str  # "proposal:4", "decision:2": what `save_agenda` keeps
    kind: str  # PROPOSAL or DECISION
    ident: int  # the proposal's number, or the decision's id
    title: str
    reasons: tuple[str, ...]  # why it is there, in the reader's language
    proposed: bool  # proposed from the data (else: added by the secretariat)


@dataclass(frozen=True)
class Agenda:
    day: date
    since: date  # the previous session held, or the report's adoption
    previous_label: str | None
    items: list[AgendaItem]
    proposed: list[AgendaItem]  # everything the data proposes, for adding back
    arranged: bool  # the secretariat arranged it (else: as proposed)


def key_of(kind: str, ident: int) -> str:
    return f"{kind}:{ident}"


def build_agenda(
    proposals: pd.DataFrame,
    history: pd.DataFrame,
    sessions: pd.DataFrame,
    decisions: pd.DataFrame,
    contribution_counts: dict[int, int],
    *,
    day: date,
    today: date,
    lang: str,
    arranged: list[str] | None = None,
) -> Agenda:
    """The agenda of the session on `day` (its state is read at `today` when
    the session is still to come). `contribution_counts`: contributions
    validated since the previous session, per proposal."""
    previous = session_before(sessions, day)
    since = previous["held_on"] if previous is not None else ADOPTION_DATE
    at = min(day, today)
    since = min(since, at)
    comparison = compare(proposals, history, since, at)
    found = alerts(comparison.after, history, at)
    reasons: dict[int, list[str]] = {}

    def add(number: int, reason: str) -> None:
        reasons.setdefault(int(number), []).append(reason)

    since_text = d(since, lang, "medium")
    for row in comparison.rows.itertuples(index=False):
        if row.status_changed:
            add(row.number, t("agenda.reason_status", lang, date=since_text))
        elif row.progress_changed:
            add(row.number, t("agenda.reason_progress", lang, date=since_text))
    for alert in found:
        add(alert.number, _alert_reason(alert.kind, lang))
    for number, count in sorted(contribution_counts.items()):
        if count:
            add(number, t("agenda.reason_contributions", lang, count=quantity(count, lang)))
    still_open = open_decisions(decisions, at)
    decision_items = []
    for row in still_open.itertuples(index=False):
        for number in row.numbers:
            add(number, t("agenda.reason_decision", lang, id=row.id))
        decision_items.append(_decision_item(row, at, lang))

    titles = dict(zip(proposals["number"], proposals[field_name("title", lang)], strict=True))
    proposal_items = [
        AgendaItem(
            key_of(PROPOSAL, number),
            PROPOSAL,
            number,
            t("agenda.proposal_title", lang, number=number, title=titles.get(number, "")),
            tuple(dict.fromkeys(why)),
            True,
        )
        for number, why in sorted(reasons.items())
    ]
    proposed = proposal_items + decision_items
    if arranged is None:
        items = proposed
    else:
        by_key = {item.key: item for item in proposed}
        items = [by_key.get(key) or _added(key, titles, decisions, at, lang) for key in arranged]
        items = [item for item in items if item is not None]
    previous_label = previous["label"] if previous is not None else None
    return Agenda(day, since, previous_label, items, proposed, arranged is not None)


def _alert_reason(kind: AlertKind, lang: str) -> str:
    if kind is AlertKind.DECISION_OVERDUE:
        return t("agenda.reason_decision_overdue_alert", lang)
    return t(f"agenda.reason_{kind.value}", lang)


def _decision_item(row, day: date, lang: str) -> AgendaItem:
    why = [t("agenda.reason_open_decision", lang)]
    if row.due_on is not None:
        key = "agenda.reason_decision_overdue" if row.due_on < day else "agenda.reason_decision_due"
        why.append(t(key, lang, date=d(row.due_on, lang, "medium")))
    text = decision_text(row, lang)
    return AgendaItem(
        key_of(DECISION, int(row.id)),
        DECISION,
        int(row.id),
        t("agenda.decision_title", lang, id=int(row.id), text=text),
        tuple(why),
        True,
    )


def decision_text(row, lang: str) -> str:
    """A decision's text in `lang`: the French one when no English was given."""
    return (row.text_en if lang == "en" and row.text_en else row.text_fr) or ""


def _added(key: str, titles: dict, decisions: pd.DataFrame, day: date, lang: str):
    """An item the secretariat added that the data did not propose."""
    kind, _, ident = key.partition(":")
    number = int(ident)
    if kind == PROPOSAL and number in titles:
        return AgendaItem(
            key,
            PROPOSAL,
            number,
            t("agenda.proposal_title", lang, number=number, title=titles[number]),
            (t("agenda.reason_added", lang),),
            False,
        )
    if kind == DECISION and len(decisions) and number in set(decisions["id"]):
        row = next(decisions[decisions["id"] == number].itertuples(index=False))
        item = _decision_item(row, day, lang)
        return AgendaItem(item.key, item.kind, item.ident, item.title, item.reasons, False)
    return None  # a proposal or decision that no longer exists


def agenda_table(agenda: Agenda, lang: str) -> pd.DataFrame:
    """The agenda as a table: order, item, why."""
    return pd.DataFrame(
        {
            t("agenda.col_order", lang): list(range(1, len(agenda.items) + 1)),
            t("agenda.col_item", lang): [item.title for item in agenda.items],
            t("agenda.col_why", lang): [
                list_separator(lang).join(item.reasons) for item in agenda.items
            ],
        }
    )
