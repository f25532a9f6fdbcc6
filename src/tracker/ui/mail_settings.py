"""The scheduled mail's settings, drawn where they are chosen: each account's
choices on `/preferences` (reminders; how the secretariat hears of submitted
contributions) and the number of days before a session on `/administration`.
Kept apart from those pages' other sections."""

from __future__ import annotations

import streamlit as st

from tracker.accounts import queries as account_queries
from tracker.db.engine import reading
from tracker.domain.permissions import Actor
from tracker.i18n import t
from tracker.mail import actions as mail_actions
from tracker.mail.rules import MAX_REMINDER_DAYS, SubmissionMail
from tracker.ui.database import engine


def mail_choices_data(actor: Actor) -> account_queries.MailChoices:
    """The signed-in account's choices (never cached)."""
    with reading(engine()) as session:
        return account_queries.mail_choices(session, actor)


def scheduled_mail_choices(actor: Actor, lang: str) -> dict[str, object]:
    """The widgets, inside the preferences form: what they choose, as the
    keyword arguments of `accounts.set_preferences`."""
    choices = mail_choices_data(actor)
    chosen: dict[str, object] = {}
    if choices.contributor:
        chosen["notify_reminders"] = st.checkbox(
            t("prefs.notify_reminders", lang), value=choices.notify_reminders
        )
    if choices.secretariat:
        chosen["submission_mail"] = st.radio(
            t("prefs.submission_mail", lang),
            list(SubmissionMail.ALL),
            index=list(SubmissionMail.ALL).index(choices.submission_mail),
            format_func=lambda code: t(f"prefs.submission_{code}", lang),
        )
    return chosen


def reminder_days_data() -> int:
    with reading(engine()) as session:
        return mail_actions.reminder_days(session)


def reminder_days_section(actor: Actor, lang: str, flash_key: str) -> None:
    """« Rappels avant les séances »: how many days before (0: none)."""
    with st.form("reminder_days", border=True):
        st.subheader(t("reminders.heading", lang))
        st.caption(t("reminders.lead", lang))
        days = st.number_input(
            t("reminders.days", lang),
            min_value=0,
            max_value=MAX_REMINDER_DAYS,
            value=reminder_days_data(),
            step=1,
        )
        if st.form_submit_button(t("admin.save", lang)):
            mail_actions.set_reminder_days(engine(), actor, int(days))
            st.session_state[flash_key] = t("reminders.saved", lang, days=int(days))
            st.rerun()
