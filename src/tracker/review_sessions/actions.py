"""The working group's session cycle: plan a session, hold it, record its
follow-up updates and its decisions, publish its minutes.

Each function here is one action (`@action`): it checks the permission,
validates, writes in one transaction and records its audit row with the
account that acted. `record_review_session` (a session already held, in one
step) is what the note page's short form and `sessions add` with a past date
use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import audit, clock
from tracker.catalogue.queries import get_proposal
from tracker.clock import now
from tracker.db.models import Decision, DecisionProposal, Organisation, ReviewSession
from tracker.db.unit_of_work import action
from tracker.domain.permissions import Action, Actor, require
from tracker.domain.text import plain_line, plain_text
from tracker.domain.vocabulary import ADOPTION_DATE, DecisionState, SessionFormat, SessionState
from tracker.errors import Conflict, NotFound, TrackerError, ValidationError
from tracker.followup.actions import update_followup
from tracker.followup.rules import FOLLOWUP_FIELDS

MAX_LABEL = 200
MAX_ATTENDANCE = 5_000
MAX_DECISION = 2_000
MAX_AGENDA_ITEMS = 200


def _label(label: str) -> str:
    text = plain_line(label or "")
    if not text:
        raise ValidationError("session.error_label_missing")
    if len(text) > MAX_LABEL:
        raise ValidationError("session.error_label_too_long", limit=MAX_LABEL)
    return text


def _format(value: str | None) -> SessionFormat:
    chosen = SessionFormat.parse(value or SessionFormat.IN_PERSON.value)
    if chosen is None:
        raise ValidationError("session.error_bad_format", value=str(value)[:40])
    return chosen


def _free_day(session: Session, day: date) -> None:
    if day < ADOPTION_DATE:
        raise ValidationError("session.error_before_adoption", adoption=ADOPTION_DATE.isoformat())
    if session.scalar(select(ReviewSession.id).where(ReviewSession.held_on == day)):
        raise Conflict("session.error_duplicate", day=day.isoformat())


def get_session(session: Session, session_id: int) -> ReviewSession:
    row = session.get(ReviewSession, int(session_id))
    if row is None:
        raise NotFound("session.error_unknown", id=str(session_id))
    return row


def _expect(row: ReviewSession | Decision, expected_version: int | None, key: str) -> None:
    if expected_version is not None and row.version != expected_version:
        raise Conflict(key, id=str(row.id))


def _state_of(row: ReviewSession) -> SessionState:
    return SessionState(row.state)


def _new_session(
    session: Session,
    actor: Actor,
    day: date,
    label: str,
    format_: str | None,
    state: SessionState,
    at: datetime,
    origin: str,
) -> ReviewSession:
    require(actor, Action.RECORD_REVIEW_SESSION)
    text = _label(label)
    chosen = _format(format_)
    _free_day(session, day)
    row = ReviewSession(
        held_on=day,
        label=text,
        recorded_by=actor.account,
        recorded_at=at,
        format=chosen.value,
        state=state.value,
        state_changed_at=at,
        attendance="",
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "review_session.add",
        "review_session",
        row.id,
        {
            "held_on": (None, day),
            "label": (None, text),
            "format": (None, chosen.value),
            "state": (None, state.value),
        },
        at=at,
        origin=origin,
    )
    return row


@action
def plan_session(
    session: Session,
    actor: Actor,
    day: date,
    label: str,
    *,
    format: str | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> ReviewSession:
    """Plan a session of the working group on `day` (any day after the
    report's adoption; one session per day)."""
    return _new_session(
        session, actor, day, label, format, SessionState.PLANNED, at or now(), origin
    )


@action
def record_review_session(
    session: Session,
    actor: Actor,
    held_on: date,
    label: str,
    *,
    format: str | None = None,
    today: date | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> ReviewSession:
    """Record a session already held on `held_on` (not in the future)."""
    today = today or clock.today()
    if held_on > today:
        require(actor, Action.RECORD_REVIEW_SESSION)
        raise ValidationError("session.error_in_future", day=held_on.isoformat())
    return _new_session(
        session, actor, held_on, label, format, SessionState.HELD, at or now(), origin
    )


@action
def hold_session(
    session: Session,
    actor: Actor,
    session_id: int,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> ReviewSession:
    """Mark a planned session as held (on its day or after)."""
    require(actor, Action.RECORD_REVIEW_SESSION)
    row = get_session(session, session_id)
    _expect(row, expected_version, "session.error_changed_meanwhile")
    if not _state_of(row).may_hold:
        raise Conflict("session.error_not_planned", id=str(row.id))
    today = today or clock.today()
    if row.held_on > today:
        raise ValidationError("session.error_hold_in_future", day=row.held_on.isoformat())
    return _move(session, actor, row, SessionState.HELD, at or now(), origin=origin)


@action
def publish_minutes(
    session: Session,
    actor: Actor,
    session_id: int,
    *,
    attendance: str,
    expected_version: int | None = None,
    at: datetime | None = None,
    origin: str = "ui",
) -> ReviewSession:
    """Publish a held session's minutes, with who attended: from then on they
    are public (`/seances`, the API), and the session is closed to changes."""
    require(actor, Action.RECORD_REVIEW_SESSION)
    row = get_session(session, session_id)
    _expect(row, expected_version, "session.error_changed_meanwhile")
    if not _state_of(row).may_publish:
        raise Conflict("session.error_not_held", id=str(row.id))
    text = plain_text(attendance)
    if len(text) > MAX_ATTENDANCE:
        raise ValidationError("error.text_too_long", field="attendance", limit=MAX_ATTENDANCE)
    old = row.attendance
    row.attendance = text
    return _move(
        session,
        actor,
        row,
        SessionState.PUBLISHED,
        at or now(),
        {"attendance": (old, text)},
        origin=origin,
    )


def _move(
    session: Session,
    actor: Actor,
    row: ReviewSession,
    state: SessionState,
    at: datetime,
    more: Mapping[str, tuple[object, object]] | None = None,
    *,
    origin: str = "ui",
) -> ReviewSession:
    old = row.state
    row.state = state.value
    row.state_changed_at = at
    session.flush()
    audit.record(
        session,
        actor,
        f"review_session.{state.value}",
        "review_session",
        row.id,
        {"state": (old, state.value), **(more or {})},
        at=at,
        origin=origin,
    )
    return row


@action
def save_agenda(
    session: Session,
    actor: Actor,
    session_id: int,
    items: Sequence[str] | None,
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> ReviewSession:
    """Keep the agenda as the secretariat arranged it: the item keys
    (`proposal:4`, `decision:2`), in order. An empty list is an empty agenda;
    None goes back to the one proposed from the data."""
    require(actor, Action.RECORD_REVIEW_SESSION)
    row = get_session(session, session_id)
    _expect(row, expected_version, "session.error_changed_meanwhile")
    if _state_of(row).is_public:
        raise Conflict("session.error_published", id=str(row.id))
    keys = list(dict.fromkeys(plain_line(item) for item in items or () if plain_line(item)))
    if len(keys) > MAX_AGENDA_ITEMS:
        raise ValidationError("session.error_agenda_too_long", limit=MAX_AGENDA_ITEMS)
    for key in keys:
        kind, _, ident = key.partition(":")
        if kind not in {"proposal", "decision"} or not ident.isdigit():
            raise ValidationError("session.error_agenda_item", value=key[:40])
    old = row.agenda
    row.agenda = None if items is None else json.dumps(keys)
    at = at or now()
    session.flush()
    audit.record(
        session,
        actor,
        "review_session.agenda",
        "review_session",
        row.id,
        {"agenda": (old, row.agenda)},
        at=at,
    )
    return row


# Recording a session's follow-up updates: one grid, one save --------------------


@dataclass
class RowProblem:
    number: int
    message_key: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Updates:
    """What one save of the grid did: the proposals changed, and how many
    history rows (one per changed field) were written."""

    changed: list[int] = field(default_factory=list)
    fields_written: int = 0


class RowsRefused(ValidationError):
    """Some rows of the grid cannot be saved; nothing was. `problems` names
    each row with why (a stale row: someone changed it since the grid opened)."""

    key = "session.error_rows_refused"

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(self.key, count=str(len(problems)))
        self.problems = problems


@action
def record_session_updates(
    session: Session,
    actor: Actor,
    session_id: int,
    rows: Mapping[int, Mapping[str, object]],
    *,
    versions: Mapping[int, int] | None = None,
    at: datetime | None = None,
) -> Updates:
    """Write every changed field of every row of the grid in one transaction,
    one history entry per field, each linked to the session. The date of
    assessment is the session's unless the row gives one. Every row is checked
    first: if any is refused (a rule of the vocabulary, or a proposal changed
    by someone else since `versions` was read), nothing is saved and every
    refused row is named."""
    require(actor, Action.EDIT_FOLLOWUP)
    require(actor, Action.RECORD_REVIEW_SESSION)
    meeting = get_session(session, session_id)
    if not _state_of(meeting).may_record:
        raise Conflict("session.error_not_held", id=str(meeting.id))
    at = at or now()
    problems: list[RowProblem] = []
    done = Updates()
    for number in sorted(rows):
        changes = {k: v for k, v in rows[number].items() if k in FOLLOWUP_FIELDS}
        unknown = set(rows[number]) - set(FOLLOWUP_FIELDS)
        if unknown:
            problems.append(
                RowProblem(number, "error.unknown_field", {"field": ", ".join(sorted(unknown))})
            )
            continue
        if not changes:
            continue
        if ("status" in changes or "progress" in changes) and "last_assessed_on" not in changes:
            changes["last_assessed_on"] = meeting.held_on
        expected = (versions or {}).get(number)
        try:
            with session.begin_nested():
                written = update_followup(
                    session,
                    actor,
                    number,
                    changes,
                    at=at,
                    origin="session",
                    expected_version=expected,
                    review_session_id=meeting.id,
                )
        except TrackerError as error:
            problems.append(
                RowProblem(number, error.key, {k: str(v) for k, v in error.params.items()})
            )
            continue
        if written:
            done.changed.append(number)
            done.fields_written += len(written)
    if problems:
        raise RowsRefused(problems)
    if done.changed:
        audit.record(
            session,
            actor,
            "review_session.updates",
            "review_session",
            meeting.id,
            {"proposals": (None, ",".join(str(n) for n in done.changed))},
            at=at,
        )
    return done


# Decisions ------------------------------------------------------------------------


def _decision_text(value: str, name: str, *, required: bool) -> str:
    text = plain_text(value)
    if required and not text:
        raise ValidationError("decision.error_text_missing")
    if len(text) > MAX_DECISION:
        raise ValidationError("error.text_too_long", field=name, limit=MAX_DECISION)
    return text


@action
def record_decision(
    session: Session,
    actor: Actor,
    session_id: int,
    *,
    text_fr: str,
    text_en: str = "",
    numbers: Sequence[int] = (),
    owner: str | None = None,
    due_on: date | None = None,
    at: datetime | None = None,
) -> Decision:
    """A decision taken at a held session: its text, the proposals it concerns,
    the organisation that carries it and its due date. It stays open, shown on
    those proposals and in every next agenda, until it is done or dropped."""
    require(actor, Action.RECORD_REVIEW_SESSION)
    meeting = get_session(session, session_id)
    if not _state_of(meeting).may_record:
        raise Conflict("session.error_not_held", id=str(meeting.id))
    french = _decision_text(text_fr, "text_fr", required=True)
    english = _decision_text(text_en, "text_en", required=False)
    chosen = sorted({int(n) for n in numbers})
    for number in chosen:
        get_proposal(session, number)  # NotFound for a number that is not one of the twenty
    owner_row = None
    if owner:
        owner_row = session.scalar(select(Organisation).where(Organisation.code == owner))
        if owner_row is None:
            raise ValidationError("error.unknown_organisation", value=str(owner)[:80])
    if due_on is not None and due_on < meeting.held_on:
        raise ValidationError("decision.error_due_before_session", day=due_on.isoformat())
    at = at or now()
    row = Decision(
        review_session_id=meeting.id,
        text_fr=french,
        text_en=english,
        owner_id=owner_row.id if owner_row else None,
        due_on=due_on,
        state=DecisionState.OPEN.value,
        state_changed_on=meeting.held_on,
        created_by=actor.account,
        created_at=at,
        proposals=[DecisionProposal(number=n) for n in chosen],
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "decision.add",
        "decision",
        row.id,
        {
            "session": (None, meeting.id),
            "text_fr": (None, french),
            "text_en": (None, english),
            "proposals": (None, ",".join(map(str, chosen))),
            "owner": (None, owner or None),
            "due_on": (None, due_on),
        },
        at=at,
    )
    return row


@action
def set_decision_state(
    session: Session,
    actor: Actor,
    decision_id: int,
    state: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> Decision:
    """Mark a decision done, dropped, or open again, on `today`."""
    require(actor, Action.RECORD_REVIEW_SESSION)
    row = session.get(Decision, int(decision_id))
    if row is None:
        raise NotFound("decision.error_unknown", id=str(decision_id))
    _expect(row, expected_version, "decision.error_changed_meanwhile")
    wanted = DecisionState.parse(state)
    if wanted is None:
        raise ValidationError("decision.error_bad_state", value=str(state)[:40])
    if wanted.value == row.state:
        return row
    old, old_day = row.state, row.state_changed_on
    row.state = wanted.value
    row.state_changed_on = today or clock.today()
    session.flush()
    audit.record(
        session,
        actor,
        f"decision.{wanted.value}",
        "decision",
        row.id,
        {"state": (old, wanted.value), "state_changed_on": (old_day, row.state_changed_on)},
        at=at or now(),
    )
    return row
