"""Contributions: their fields, their states, what the public sees, concurrency
and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.test_permissions import actor_of
from tracker.catalogue.queries import get_proposal
from tracker.contributions import actions as contributions
from tracker.contributions import queries as contribution_queries
from tracker.contributions.rules import clean_fields
from tracker.db.models import AuditEntry
from tracker.domain.vocabulary import ContributionState
from tracker.errors import Conflict, ValidationError
from tracker.followup import actions as followup
from tracker.i18n import typography

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FIELDS = {
    "proposal": 4,
    "title": "Jumelage numérique",
    "description": "Un atelier par an.",
    "status": "engagee",
    "progress": "25",
    "start_date": "01/03/2025",
    "end_date": "2026-12-31",
    "partner_country": "sen",
    "partner_authority": "Ville de Dakar",
    "evidence_links": "https://exemple.org/a http://exemple.org/b",
    "budget_eur": "12 500,50",
    "contact": "agent@lille.invalid",
}


def test_fields_are_normalised_from_what_a_french_user_types():
    values = clean_fields(FIELDS)
    assert values["start_date"] == date(2025, 3, 1)
    assert values["end_date"] == date(2026, 12, 31)
    assert values["partner_country"] == "SN"
    assert values["budget_eur"] == Decimal("12500.50")
    assert values["progress"] == 25
    assert values["evidence_links"] == "https://exemple.org/a\nhttp://exemple.org/b"


@pytest.mark.parametrize(
    ("change", "key", "field"),
    [
        ({"title": " "}, "contrib.required", "title"),
        ({"description": "x" * 5001}, "contrib.too_long", "description"),
        ({"status": "non_evaluee", "progress": ""}, "contrib.bad_status", "status"),
        ({"status": "realisee", "progress": 80}, "error.progress_done", "progress"),
        ({"end_date": "28/02/2025"}, "contrib.end_before_start", "end_date"),
        ({"start_date": "31/02/2025"}, "contrib.bad_date", "start_date"),
        ({"partner_country": "XX"}, "contrib.bad_country", "partner_country"),
        ({"evidence_links": "javascript:alert(1)"}, "contrib.bad_link", "evidence_links"),
        ({"evidence_links": "ftp://exemple.org/f"}, "contrib.bad_link", "evidence_links"),
        (
            {"evidence_links": " ".join(f"https://e.org/{i}" for i in range(6))},
            "contrib.too_many_links",
            "evidence_links",
        ),
        ({"budget_eur": "-1"}, "contrib.bad_budget", "budget_eur"),
        ({"budget_eur": "beaucoup"}, "contrib.bad_budget", "budget_eur"),
    ],
)
def test_invalid_fields_are_refused_naming_the_field(change, key, field):
    with pytest.raises(ValidationError) as raised:
        clean_fields({**FIELDS, **change})
    assert raised.value.key == key
    assert raised.value.params["field"] == field


def test_a_contribution_goes_from_draft_to_validated_and_only_then_is_public(db):
    lille, reviewer = actor_of(db, "contributor_lille"), actor_of(db, "reviewer")
    item = contributions.create(db, lille, FIELDS, at=T0)
    assert item.state == ContributionState.DRAFT.value
    assert item.id not in set(contribution_queries.public_frame(db)["id"])
    contributions.submit(db, lille, item.id, at=T0)
    assert item.state == ContributionState.SUBMITTED.value
    assert item.id not in set(contribution_queries.public_frame(db)["id"])
    contributions.validate(db, reviewer, item.id, at=T0 + timedelta(days=1))
    public = contribution_queries.public_frame(db)
    row = public[public["id"] == item.id].iloc[0]
    assert row["title"] == "Jumelage numérique"
    assert "contact" not in public.columns and "state" not in public.columns


def test_a_returned_contribution_carries_the_comment_and_is_resubmitted(db):
    lille, reviewer = actor_of(db, "contributor_lille"), actor_of(db, "reviewer")
    item = contributions.create(db, lille, FIELDS, at=T0)
    contributions.submit(db, lille, item.id, at=T0)
    with pytest.raises(ValidationError):
        contributions.send_back(db, reviewer, item.id, comment="  ")
    contributions.send_back(db, reviewer, item.id, comment="Ajoutez le budget voté.")
    assert item.state == ContributionState.RETURNED.value
    own = contribution_queries.working_frame(db, lille)
    assert own[own["id"] == item.id].iloc[0]["review_comment"] == "Ajoutez le budget voté."
    contributions.update(db, lille, item.id, {"budget_eur": "13 000"})
    contributions.submit(db, lille, item.id)
    assert item.state == ContributionState.RESUBMITTED.value


def test_editing_a_validated_contribution_sends_it_back_to_review_while_the_public_keeps_the_validated_one(
    db,
):
    lille, reviewer = actor_of(db, "contributor_lille"), actor_of(db, "reviewer")
    item = contributions.create(db, lille, FIELDS, at=T0)
    contributions.submit(db, lille, item.id, at=T0)
    contributions.validate(db, reviewer, item.id, at=T0)
    contributions.update(db, lille, item.id, {"title": "Jumelage numérique élargi"})
    assert item.state == ContributionState.RESUBMITTED.value
    public = contribution_queries.public_frame(db)
    assert public[public["id"] == item.id].iloc[0]["title"] == "Jumelage numérique"
    queued = [
        q
        for q in contribution_queries.review_queue(db, reviewer)
        if q.contribution["id"] == item.id
    ]
    assert [(c.field, c.validated, c.proposed) for c in queued[0].changes] == [
        ("title", "Jumelage numérique", "Jumelage numérique élargi")
    ]
    contributions.validate(db, reviewer, item.id)
    public = contribution_queries.public_frame(db)
    assert public[public["id"] == item.id].iloc[0]["title"] == "Jumelage numérique élargi"


def test_the_review_queue_is_oldest_first(db):
    lille, lyon, reviewer = (
        actor_of(db, r) for r in ("contributor_lille", "contributor_lyon", "reviewer")
    )
    late = contributions.create(db, lyon, FIELDS)
    contributions.submit(db, lyon, late.id, at=T0 + timedelta(days=30))
    early = contributions.create(db, lille, FIELDS)
    contributions.submit(db, lille, early.id, at=datetime(2020, 1, 1, tzinfo=UTC))
    ids = [q.contribution["id"] for q in contribution_queries.review_queue(db, reviewer)]
    assert ids.index(early.id) == 0
    assert ids.index(early.id) < ids.index(late.id)


def test_a_validated_contribution_cannot_be_deleted(db):
    lille, reviewer = actor_of(db, "contributor_lille"), actor_of(db, "reviewer")
    item = contributions.create(db, lille, FIELDS)
    contributions.submit(db, lille, item.id)
    contributions.validate(db, reviewer, item.id)
    with pytest.raises(Conflict):
        contributions.delete(db, lille, item.id)


def test_the_second_of_two_saves_on_the_same_version_is_refused(db):
    lille = actor_of(db, "contributor_lille")
    item = contributions.create(db, lille, FIELDS)
    seen = item.version
    contributions.update(db, lille, item.id, {"title": "Première"}, expected_version=seen)
    with pytest.raises(Conflict) as raised:
        contributions.update(db, lille, item.id, {"title": "Seconde"}, expected_version=seen)
    assert raised.value.key == "contrib.edited_meanwhile"
    assert item.title == "Première"


def test_a_reviewer_saving_a_stale_follow_up_is_refused(db):
    reviewer = actor_of(db, "reviewer")
    seen = get_proposal(db, 5).version
    followup.edit_followup(db, reviewer, 5, {"next_steps_fr": "A"}, expected_version=seen)
    with pytest.raises(Conflict):
        followup.edit_followup(db, reviewer, 5, {"next_steps_fr": "B"}, expected_version=seen)
    assert get_proposal(db, 5).next_steps_fr == "A"


def test_every_change_is_in_the_audit_log_with_old_and_new_values(db):
    lille = actor_of(db, "contributor_lille")
    item = contributions.create(db, lille, FIELDS, at=T0)
    contributions.update(db, lille, item.id, {"title": "Autre titre"}, at=T0 + timedelta(hours=1))
    reviewer = actor_of(db, "reviewer")
    followup.edit_followup(
        db, reviewer, 6, {"blockers_fr": "Budget"}, expected_version=get_proposal(db, 6).version
    )
    db.flush()
    rows = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_id == str(item.id), AuditEntry.entity == "contribution"
        )
    ).all()
    update = [r for r in rows if r.action == "contribution.update"]
    assert [(r.actor, r.field, r.old_value, r.new_value) for r in update] == [
        ("lille@demo.invalid", "title", "Jumelage numérique", "Autre titre")
    ]
    assert {r.field for r in rows if r.action == "contribution.create"} >= {"title", "contact"}
    edits = db.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.followup")).all()
    assert any(r.entity_id == "6" and r.new_value == "Budget" for r in edits)


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_edit_the_audit_log(db, statement):
    assert db.scalar(select(AuditEntry.id).limit(1)) is not None
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text(statement))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", typography("Le champ « Titre » est obligatoire", "fr")),
        ("en", "The field “Title” is required"),
    ],
)
def test_a_message_names_the_field_by_its_label_in_the_users_language(lang, words):
    from tracker.i18n import describe

    with pytest.raises(ValidationError) as caught:
        clean_fields({**FIELDS, "title": "\u202e\u200b"})
    assert caught.value.params["field"] == "title"  # the column, for files
    assert words in describe(caught.value, lang)
