"""The working group's session cycle (#12): plan a session, see the agenda the
data propose, hold it, record its updates in one save, record decisions,
publish the minutes — and the next agenda follows the open decisions. Real
databases (SQLite and PostgreSQL) with the demonstration data; the documents
are read back (python-docx, pdftotext)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from docx import Document
from sqlalchemy import func, inspect, select

from tests.test_permissions import actor_of
from tracker.briefings.agenda import build_agenda
from tracker.briefings.session_documents import load_papers, render
from tracker.catalogue.queries import get_proposal
from tracker.clock import aware
from tracker.db.engine import make_engine, upgrade
from tracker.db.models import AuditEntry, Base, Proposal, ProposalChange
from tracker.domain.vocabulary import ADOPTION_DATE
from tracker.errors import Conflict, ValidationError
from tracker.followup import queries
from tracker.i18n import typography
from tracker.review_sessions import actions as review
from tracker.review_sessions.actions import RowsRefused
from tracker.review_sessions.queries import (
    decisions_frame,
    last_session_before,
    open_decisions,
    review_sessions_frame,
)
from tracker.review_sessions.rules import blockers_to_review, grid_changes, grid_frame

TODAY = date(2026, 12, 3)
AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _agenda(db, day: date, arranged=None, lang="fr"):
    return build_agenda(
        queries.proposals_frame(db),
        queries.history_frame(db),
        review_sessions_frame(db),
        decisions_frame(db),
        {},
        day=day,
        today=TODAY,
        lang=lang,
        arranged=arranged,
    )


def test_the_models_and_the_migrations_describe_the_same_schema(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_sessions_recorded_before_the_migration_become_held_sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0007")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO review_sessions (held_on, label, recorded_by, recorded_at) "
            "VALUES ('2024-03-14', '5e séance', 'x@y.fr', '2024-03-14 18:00:00')"
        )
    upgrade(engine)
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT state, format, attendance, version, state_changed_at FROM review_sessions"
        ).one()
    assert tuple(row[:4]) == ("held", "in_person", "", 1)
    assert row[4] is not None
    columns = {c["name"] for c in inspect(engine).get_columns("proposal_changes")}
    assert "review_session_id" in columns


def test_a_session_goes_planned_held_published_and_refuses_steps_out_of_order(db):
    reviewer = actor_of(db, "reviewer")
    planned = review.plan_session(db, reviewer, date(2027, 1, 15), "7e séance", format="video")
    assert (planned.state, planned.format) == ("planned", "video")
    with pytest.raises(Conflict):
        review.record_decision(db, reviewer, planned.id, text_fr="Trop tôt")
    with pytest.raises(ValidationError):  # not held before its day
        review.hold_session(db, reviewer, planned.id, today=TODAY)
    review.hold_session(db, reviewer, planned.id, today=date(2027, 1, 15))
    with pytest.raises(Conflict):
        review.hold_session(db, reviewer, planned.id, today=date(2027, 1, 15))
    review.publish_minutes(db, reviewer, planned.id, attendance="CNCD\nMEAE")
    assert (planned.state, planned.attendance) == ("published", "CNCD\nMEAE")
    with pytest.raises(Conflict):
        review.record_session_updates(db, reviewer, planned.id, {4: {"progress": 50}})
    with pytest.raises(ValidationError):
        review.plan_session(db, reviewer, date(2027, 2, 1), "x", format="en l'air")
    with pytest.raises(Conflict):  # one session per day
        review.plan_session(db, reviewer, date(2027, 1, 15), "encore")
    with pytest.raises(Exception, match="permission"):
        review.plan_session(db, actor_of(db, "contributor_lille"), date(2027, 3, 1), "x")


def test_one_save_writes_every_changed_field_linked_to_the_session_in_one_transaction(db):
    reviewer = actor_of(db, "reviewer")
    meeting = review.record_review_session(
        db, reviewer, date(2026, 11, 20), "Séance de novembre", today=TODAY
    )
    before = db.scalar(select(func.count(ProposalChange.id)))
    rows = {
        2: {"progress": 45, "next_steps_fr": "Lancer l'appel"},
        5: {"status": "en_suspens", "blockers_fr": "Budget gelé"},
        9: {"progress": 60},
        11: {"next_steps_en": "Publish the guide"},
        14: {"status": "realisee"},
    }
    done = review.record_session_updates(db, reviewer, meeting.id, rows, at=AT)
    assert done.changed == [2, 5, 9, 11, 14]
    linked = db.scalars(
        select(ProposalChange).where(ProposalChange.review_session_id == meeting.id)
    ).all()
    assert (
        len(linked)
        == done.fields_written
        == db.scalar(select(func.count(ProposalChange.id))) - before
    )
    assert {c.origin for c in linked} == {"session"}
    assert {aware(c.changed_at) for c in linked} == {AT}
    # A change of status or progress is an assessment on the session's day.
    assert get_proposal(db, 9).last_assessed_on == date(2026, 11, 20)
    assert get_proposal(db, 14).progress == 100
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "review_session.updates"))
    assert [a.new_value for a in audit] == ["2,5,9,11,14"]


def test_a_refused_row_is_named_with_why_and_nothing_is_saved(demo_engine):
    with demo_engine.connect() as connection:
        before = connection.scalar(select(func.count(ProposalChange.id)))
    from tracker.db.engine import reading

    with reading(demo_engine) as session:
        reviewer = actor_of(session, "reviewer")
        version_4 = get_proposal(session, 4).version
    meeting = review.record_review_session(
        demo_engine, reviewer, date(2026, 11, 20), "Séance", today=TODAY
    )
    # Someone else changes proposal 4 after the grid was opened.
    from tracker.followup.actions import edit_followup

    edit_followup(demo_engine, reviewer, 4, {"blockers_fr": "Autre"}, expected_version=version_4)
    with pytest.raises(RowsRefused) as refused:
        review.record_session_updates(
            demo_engine,
            reviewer,
            meeting.id,
            {
                2: {"progress": 45},  # fine on its own
                4: {"progress": 70},  # changed meanwhile
                6: {"status": "pas_un_statut"},  # not in the vocabulary
                7: {"progress": 140},  # out of range
            },
            versions={4: version_4},
        )
    problems = {p.number: p.message_key for p in refused.value.problems}
    assert problems == {
        4: "error.edited_meanwhile",
        6: "error.bad_status",
        7: problems[7],
    }
    assert problems[7].startswith("error.")
    with demo_engine.connect() as connection:
        after = connection.scalar(select(func.count(ProposalChange.id)))
        progress_2 = connection.scalar(select(Proposal.progress).where(Proposal.number == 2))
    assert after == before + 1  # the other person's change only
    assert progress_2 != 45


def test_the_grid_knows_what_changed_and_asks_to_review_unchanged_blockers(db):
    opened = grid_frame(queries.proposals_frame(db))
    assert list(opened["number"]) == list(range(1, 21))
    edited = opened.copy()
    index = {n: i for i, n in enumerate(edited["number"])}
    edited.loc[index[1], "status"] = "engagee"  # proposal 1 has blockers in the demo
    edited.loc[index[3], "progress"] = 55
    edited.loc[index[3], "blockers_fr"] = "Nouveau frein"
    edited.loc[index[9], "next_steps_fr"] = "  " + str(edited.loc[index[9], "next_steps_fr"])
    changes = grid_changes(opened, edited)
    assert set(changes) == {1, 3}  # spaces around a text change nothing
    assert changes[3] == {"progress": 55, "blockers_fr": "Nouveau frein"}
    assert blockers_to_review(opened, changes) == [1]


def test_the_agenda_says_why_each_item_is_there_and_keeps_what_the_secretariat_arranged(db):
    reviewer = actor_of(db, "reviewer")
    review.record_review_session(db, reviewer, date(2025, 6, 1), "Séance de juin", today=TODAY)
    upcoming = review.plan_session(db, reviewer, date(2027, 1, 15), "Séance de janvier")
    agenda = _agenda(db, upcoming.held_on)
    assert agenda.since == date(2025, 6, 1) and agenda.previous_label == "Séance de juin"
    reasons = {item.ident: item.reasons for item in agenda.items if item.kind == "proposal"}
    stalled = set(queries.proposals_frame(db).query("status == 'en_suspens'")["number"].astype(int))
    assert stalled and stalled <= set(reasons)
    assert all("en suspens" in reasons[n] for n in stalled)
    assert all(item.reasons for item in agenda.items)
    # Removed, reordered, one added by hand: kept as arranged.
    first, second = agenda.items[1].key, agenda.items[0].key
    arranged = _agenda(db, upcoming.held_on, [first, second, "proposal:20"])
    assert [i.key for i in arranged.items] == [first, second, "proposal:20"]
    assert arranged.items[2].reasons == ("ajoutée par le secrétariat",)


def test_the_next_agenda_lists_the_open_decisions_until_they_are_closed(db):
    reviewer = actor_of(db, "reviewer")
    meeting = review.record_review_session(db, reviewer, date(2026, 6, 1), "Juin", today=TODAY)
    first = review.record_decision(
        db,
        reviewer,
        meeting.id,
        text_fr="Relancer les métropoles",
        text_en="Chase the metropolises",
        numbers=[4, 12],
        owner="cncd",
        due_on=date(2026, 9, 1),
    )
    review.record_decision(db, reviewer, meeting.id, text_fr="Publier le guide", numbers=[7])
    with pytest.raises(ValidationError):
        review.record_decision(db, reviewer, meeting.id, text_fr="  ")
    with pytest.raises(ValidationError):
        review.record_decision(db, reviewer, meeting.id, text_fr="x", owner="nulle-part")
    upcoming = review.plan_session(db, reviewer, date(2027, 1, 15), "Janvier")
    agenda = _agenda(db, upcoming.held_on, lang="en")
    decisions = [i for i in agenda.items if i.kind == "decision"]
    assert [d.ident for d in decisions] == [first.id, first.id + 1]
    assert "Chase the metropolises" in decisions[0].title
    assert any("overdue" in why for why in decisions[0].reasons)
    assert "open decision" in decisions[1].reasons
    assert open_decisions(decisions_frame(db), TODAY)["id"].tolist() == [first.id, first.id + 1]
    review.set_decision_state(db, reviewer, first.id, "done", today=TODAY)
    later = _agenda(db, upcoming.held_on)
    assert [i.ident for i in later.items if i.kind == "decision"] == [first.id + 1]
    # Open on a day before it was closed: the register reads through time.
    assert first.id in set(open_decisions(decisions_frame(db), date(2026, 11, 1))["id"])


def test_since_the_last_session_is_the_last_one_held_and_the_adoption_before_any(db):
    reviewer = actor_of(db, "reviewer")
    assert last_session_before(review_sessions_frame(db), TODAY) is None
    review.plan_session(db, reviewer, date(2026, 11, 1), "Prévue, jamais tenue")
    assert last_session_before(review_sessions_frame(db), TODAY) is None
    review.record_review_session(db, reviewer, date(2026, 12, 3), "Aujourd'hui", today=TODAY)
    # Held today: the note of today compares with it (#12: it compared with 2018).
    assert last_session_before(review_sessions_frame(db), TODAY) == TODAY
    assert _agenda(db, date(2026, 11, 1)).since == ADOPTION_DATE


def _papers(db, lang="fr"):
    reviewer = actor_of(db, "reviewer")
    previous = review.record_review_session(db, reviewer, date(2026, 6, 1), "Juin", today=TODAY)
    review.record_decision(
        db, reviewer, previous.id, text_fr="Décision de juin", numbers=[3], due_on=date(2026, 9, 1)
    )
    meeting = review.record_review_session(
        db, reviewer, date(2026, 11, 20), "Séance de novembre", today=TODAY
    )
    review.record_session_updates(db, reviewer, meeting.id, {2: {"progress": 45}}, at=AT)
    review.record_decision(db, reviewer, meeting.id, text_fr="Relancer les métropoles", numbers=[4])
    review.publish_minutes(db, reviewer, meeting.id, attendance="CNCD, MEAE, France urbaine")
    db.flush()
    return load_papers(db, meeting.id, lang, TODAY)


def test_the_minutes_in_word_have_real_headings_and_tables(db):
    papers = _papers(db)
    document = Document(io.BytesIO(render(papers, "minutes", "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Compte rendu — Séance de novembre"
    assert "Présents" in headings and "Décisions prises" in headings
    assert "Suivi des décisions précédentes" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "CNCD, MEAE, France urbaine" in text
    assert "Le 20 novembre 2026" in text
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    title = typography(get_proposal(db, 2).title_fr, "fr")  # « French Cité », narrow spaces
    assert ["2", title, "Avancement"] == cells[1][:3]
    assert any("Relancer les métropoles" in row for row in map(" ".join, cells))
    assert any("Décision de juin" in row for row in map(" ".join, cells))
    # Demonstration data say so on every page.
    assert "démonstration" in document.sections[0].header.paragraphs[0].text.lower()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_minutes_and_the_agenda_in_pdf_read_back(db, tmp_path):
    papers = _papers(db, lang="en")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(render(papers, "minutes", "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Minutes — Séance de novembre" in text
    assert "CNCD, MEAE, France urbaine" in text
    assert "Relancer les métropoles" in text
    agenda = json.loads(render(papers, "agenda", "json"))
    assert agenda["session"]["title"] == "Séance de novembre"
    assert agenda["since"] == "2026-06-01"
    assert all(item["reasons"] for item in agenda["items"])


def test_a_session_s_changes_are_found_by_their_index_even_when_most_belong_to_none(
    demo_sqlite_url,
):
    """The planner's statistics see mostly NULLs in `review_session_id`: the
    partial index is still the one SQLite uses (it walked the whole history
    by proposal before, 7.5 s over a million rows)."""
    from sqlalchemy import text

    from tracker.db.engine import make_engine

    engine = make_engine(demo_sqlite_url)
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        plan = connection.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT proposals.number, proposal_changes.field "
                "FROM proposal_changes JOIN proposals ON proposals.id = proposal_changes.proposal_id "
                "WHERE proposal_changes.review_session_id = 1"
            )
        ).all()
    engine.dispose()
    assert "ix_proposal_changes_review_session_id" in " ".join(str(row[-1]) for row in plan)


# ---- Tables that read across pages (#17) ---------------------------------------------


def _papers_with_many_decisions(db, count: int = 14):
    """The minutes of a session that took `count` decisions."""
    reviewer = actor_of(db, "reviewer")
    meeting = review.record_review_session(
        db, reviewer, date(2026, 11, 20), "Novembre", today=TODAY
    )
    for index in range(1, count + 1):
        review.record_decision(
            db,
            reviewer,
            meeting.id,
            text_fr=f"Décision numéro {index:02d} à suivre",
            numbers=[index],
        )
    db.flush()
    return load_papers(db, meeting.id, "fr", TODAY)


def _with_attendance(papers, words: int):
    """The same minutes with an attendance list `words` words long: it
    pushes the tables below it down the page, line by line."""
    from dataclasses import replace

    session = papers.session.copy()
    session["attendance"] = " ".join(f"Participant{n}" for n in range(words))
    return replace(papers, session=session)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_pdf_table_never_starts_with_a_few_rows_alone_at_the_foot_of_a_page(db, tmp_path):
    """Whatever comes above it, the table of decisions starts on a page that
    also has its heading, its header and its first three rows."""
    from tracker.briefings.pdf import ROWS_KEPT_WITH_HEADING

    papers = _papers_with_many_decisions(db)
    heading = "Décisions prises"
    first = [f"Décision numéro {n:02d}" for n in range(1, ROWS_KEPT_WITH_HEADING + 1)]
    where = set()
    # From 0 to 700 words of attendance: the heading travels down the pages.
    for words in range(0, 700, 25):
        path = tmp_path / "minutes.pdf"
        path.write_bytes(render(_with_attendance(papers, words), "minutes", "pdf"))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        pages = text.split("\f")
        (page,) = [p for p in pages if heading in p]
        where.add(pages.index(page))
        after = page.split(heading, 1)[1]
        for line in first:
            assert line in after, (words, line)
    assert len(where) > 1  # the heading went down a page and over onto the next


def test_a_word_table_repeats_its_header_never_splits_a_row_and_keeps_its_heading(db):
    from docx.oxml.ns import qn

    papers = _papers_with_many_decisions(db)
    document = Document(io.BytesIO(render(papers, "minutes", "docx")))
    assert document.tables
    for table in document.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
        kept = [
            all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs)
            for r in rows
        ]
        assert kept[: min(3, len(rows) - 1)] == [True] * min(3, len(rows) - 1)
        assert not any(kept[3:])
    # Each heading, and the sentence before a table, stay with what follows.
    body = document.element.body
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading 2"):
            assert paragraph.paragraph_format.keep_with_next
    for table in document.tables:
        before = table._tbl.getprevious()
        assert before.tag == qn("w:p")
        assert before.pPr is not None and before.pPr.keepNext is not None
    assert body is not None
