"""Faults survived: a killed import, many writers at once, every write seen by
the caches, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests.conftest import ROOT
from tests.test_permissions import EMAILS, actor_of
from tracker.accounts import actions as accounts
from tracker.contributions import actions as contributions
from tracker.contributions import importer
from tracker.db import settings
from tracker.db.engine import make_engine
from tracker.db.models import AuditEntry, Contribution
from tracker.db.unit_of_work import transaction
from tracker.followup import actions as followup
from tracker.review_sessions.actions import record_review_session

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NEW = {"proposal": 3, "title": "Action nouvelle", "status": "engagee", "progress": 10}


def revision(engine) -> int:
    with transaction(engine) as session:
        return settings.revision(session)


def contribution_count(engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count(Contribution.id)))


def _contribution(session, email):
    return contributions.create(session, actor_of(session, email), NEW, at=T0)


WRITES = {
    "contribution created": lambda s, ids: _contribution(s, "contributor_lille"),
    "contribution updated": lambda s, ids: contributions.update(
        s, actor_of(s, "contributor_lille"), ids["draft"], {"title": "Autre titre"}, at=T0
    ),
    "contribution submitted": lambda s, ids: contributions.submit(
        s, actor_of(s, "contributor_lille"), ids["draft"], at=T0
    ),
    "contribution deleted": lambda s, ids: contributions.delete(
        s, actor_of(s, "contributor_lille"), ids["draft"], at=T0
    ),
    "contribution validated": lambda s, ids: contributions.validate(
        s, actor_of(s, "reviewer"), ids["submitted"], at=T0
    ),
    "contribution sent back": lambda s, ids: contributions.send_back(
        s, actor_of(s, "reviewer"), ids["submitted"], comment="À préciser", at=T0
    ),
    "account created": lambda s, ids: accounts.create_account(
        s,
        actor_of(s, "administrator"),
        email="nouvelle@demo.invalid",
        role="reviewer",
        password="un mot de passe bien long",
        display_name="Nouvelle Relectrice",
        at=T0,
    ),
    "account disabled": lambda s, ids: accounts.set_active(
        s, actor_of(s, "administrator"), EMAILS["contributor_lyon"], False, at=T0
    ),
    "password changed": lambda s, ids: accounts.set_password(
        s, actor_of(s, "administrator"), EMAILS["contributor_lyon"], "encore un mot de passe", at=T0
    ),
    "follow-up edited": lambda s, ids: followup.edit_followup(
        s,
        actor_of(s, "reviewer"),
        4,
        {"next_steps_fr": "Nouvelle étape"},
        expected_version=ids["version_4"],
        at=T0,
    ),
    "review session recorded": lambda s, ids: record_review_session(
        s, actor_of(s, "reviewer"), date(2025, 1, 9), "Séance de janvier"
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_moves_the_data_revision_so_no_cache_is_stale(demo_engine, write):
    with transaction(demo_engine) as session:
        draft = _contribution(session, "contributor_lille")
        submitted = _contribution(session, "contributor_lille")
        contributions.submit(session, actor_of(session, "contributor_lille"), submitted.id, at=T0)
        from tracker.catalogue.queries import get_proposal

        ids = {
            "draft": draft.id,
            "submitted": submitted.id,
            "version_4": get_proposal(session, 4).version,
        }
    before = revision(demo_engine)
    with transaction(demo_engine) as session:
        WRITES[write](session, ids)
    assert revision(demo_engine) == before + 1  # once per unit of work, however many rows


def test_a_failed_sign_in_is_counted_without_touching_the_data_revision(demo_engine):
    before = revision(demo_engine)
    with transaction(demo_engine) as session:
        assert accounts.sign_in(session, EMAILS["reviewer"], "pas le bon").actor is None
    assert revision(demo_engine) == before


# Many writers at once --------------------------------------------------------------

WRITERS, SAVES = 20, 50


def test_twenty_writers_saving_fifty_contributions_each_leave_exactly_a_thousand(demo_engine):
    url = demo_engine.url.render_as_string(hide_password=False)
    before, revision_before = contribution_count(demo_engine), revision(demo_engine)
    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        engine = make_engine(url)  # a connection pool of its own, like another server
        try:
            start.wait()
            for save in range(SAVES):
                with transaction(engine) as session:
                    who = "contributor_lille" if number % 2 else "contributor_lyon"
                    contributions.create(
                        session,
                        actor_of(session, who),
                        {**NEW, "title": f"Écrivain {number}, action {save}"},
                    )
        except BaseException as error:  # reported below, with the others
            failures.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures[:3]
    assert contribution_count(demo_engine) == before + WRITERS * SAVES
    # Each save moved the revision: none was lost between two writers.
    assert revision(demo_engine) == revision_before + WRITERS * SAVES
    with transaction(demo_engine) as session:
        titles = session.scalars(
            select(Contribution.title).where(Contribution.title.like("Écrivain %"))
        ).all()
    assert len(set(titles)) == WRITERS * SAVES


# A process killed in the middle of an import ---------------------------------------

IMPORT_ROWS = 10_000
KILLED_AFTER = 1  # batches of new contributions written when the process dies
# Runs the real import in its own process; says when it is in the middle of
# writing (a first batch of rows written, more to come).
KILLED_IMPORT = """
import sys
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.accounts import queries as account_queries
from tracker.contributions import actions as contributions, importer

real_write, seen = contributions._write_batch, [0]

def write_batch(*args, **kwargs):
    ids = real_write(*args, **kwargs)
    seen[0] += 1
    if seen[0] == {after}:
        print("WRITING", flush=True)
        import time
        time.sleep(600)  # until killed
    return ids

contributions._write_batch = write_batch
engine = make_engine(sys.argv[1])
with transaction(engine) as session:
    actor = account_queries.actor_for(account_queries.get_account(session, "lille@demo.invalid"))
    importer.import_contributions(session, actor, open(sys.argv[2], "rb").read(), "big.csv")
print("DONE", flush=True)
"""


def import_file(rows: int) -> bytes:
    header = "proposal;title;status;progress;start_date;partner_country;budget_eur\r\n"
    lines = [
        f"{n % 20 + 1};Action importée {n};engagee;{n % 100};01/03/2025;SN;{n},50\r\n"
        for n in range(rows)
    ]
    return (header + "".join(lines)).encode("utf-8")


def test_an_import_killed_while_writing_leaves_the_database_as_it_was(demo_engine, tmp_path):
    url = demo_engine.url.render_as_string(hide_password=False)
    path = tmp_path / "big.csv"
    path.write_bytes(import_file(IMPORT_ROWS))
    with transaction(demo_engine) as session:
        before = (
            session.scalar(select(func.count(Contribution.id))),
            session.scalar(select(func.count(AuditEntry.id))),
            settings.revision(session),
        )
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT.replace("{after}", str(KILLED_AFTER)), url, path],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "WRITING", process.stderr.read()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    demo_engine.dispose()  # nothing of the killed process's connection is reused
    with transaction(demo_engine) as session:
        after = (
            session.scalar(select(func.count(Contribution.id))),
            session.scalar(select(func.count(AuditEntry.id))),
            settings.revision(session),
        )
    assert after == before
    # …and the database still takes writes (no lock left behind).
    with transaction(demo_engine) as session:
        _contribution(session, "contributor_lille")
    assert contribution_count(demo_engine) == before[0] + 1


def test_the_same_import_runs_whole_when_nobody_kills_it(demo_engine):
    content = import_file(200)
    with transaction(demo_engine) as session:
        before = session.scalar(select(func.count(Contribution.id)))
        report = importer.import_contributions(
            session, actor_of(session, "contributor_lille"), content, "big.csv"
        )
        assert report.ok, report.problems[:3]
    assert contribution_count(demo_engine) == before + 200
