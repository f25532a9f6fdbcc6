"""The public data as open data: tables, Table Schemas, the data package and its
export, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Role
from tracker.followup.actions import update_followup
from tracker.followup.aggregates import ProposalFilter
from tracker.opendata import package as opendata

REVIEWER = Actor("Camille Martin", Role.REVIEWER)


def test_the_public_proposals_are_the_twenty_with_the_schema_s_columns(demo_engine, session_of):
    with session_of(demo_engine) as session:
        frame = opendata.proposals_public(session)
    assert frame["number"].tolist() == list(range(1, 21))
    assert list(frame.columns) == [f["name"] for f in opendata.PROPOSALS_SCHEMA["fields"]]


def test_the_table_s_filters_apply_to_the_public_proposals(demo_engine, session_of):
    wanted = ProposalFilter(themes=("durable",), statuses=("engagee",))
    with session_of(demo_engine) as session:
        frame = opendata.proposals_public(session, wanted=wanted)
        searched = opendata.proposals_public(session, wanted=ProposalFilter(query="FONDATION"))
    assert len(frame) > 0
    assert set(frame["primary_theme"]) == {"durable"}
    assert set(frame["status"]) == {"engagee"}
    assert 1 in searched["number"].tolist()


def test_as_of_rebuilds_the_state_from_history(demo_engine, session_of):
    with session_of(demo_engine) as session:
        at_adoption = opendata.proposals_public(session, as_of=date(2018, 7, 5))
        before = opendata.proposals_public(session, as_of=date(2018, 7, 4))
        far_future = opendata.proposals_public(session, as_of=date(9999, 12, 31))
        today = opendata.proposals_public(session, as_of=date.today())
    assert set(at_adoption["status"]) == {"non_evaluee"}
    assert at_adoption["progress"].isna().all()
    assert before.empty
    assert far_future.equals(today)


def test_history_never_names_the_person_who_saved_a_change(demo_engine, session_of):
    with session_of(demo_engine) as session:
        update_followup(session, REVIEWER, 3, {"status": "engagee", "progress": 40})
    with session_of(demo_engine) as session:
        history = opendata.history_public(session)
        one = opendata.history_public(session, number=3)
    assert "author" not in history.columns
    assert "Camille Martin" not in history.to_csv()
    assert set(history["recorded_by"]) == {"system", "secretariat"}
    baseline = history[history["origin"] == "baseline"]
    assert set(baseline["recorded_by"]) == {"system"}
    assert set(one["number"]) == {3}
    assert one.iloc[-1]["recorded_by"] == "secretariat"


def test_every_write_changes_the_data_version(demo_engine, session_of):
    with session_of(demo_engine) as session:
        before = opendata.data_version(session)
    at = datetime(2030, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    with session_of(demo_engine) as session:
        update_followup(session, REVIEWER, 4, {"next_steps_fr": "Relancer."}, at=at)
    with session_of(demo_engine) as session:
        after = opendata.data_version(session)
    assert after.revision == before.revision + 1
    assert after.etag != before.etag
    assert after.last_modified == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_csv_is_utf8_comma_separated_with_a_header_and_typed_cells(demo_engine, session_of):
    with session_of(demo_engine) as session:
        frame = opendata.history_public(session)
        data = opendata.csv_bytes(frame, opendata.HISTORY_SCHEMA)
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert list(rows[0]) == [f["name"] for f in opendata.HISTORY_SCHEMA["fields"]]
    assert rows[0]["changed_at"] == "2018-07-05T12:00:00Z"
    assert rows[0]["old_value"] == ""


def test_open_data_csv_neutralises_formulas_and_its_records_keep_them(demo_engine, session_of):
    with session_of(demo_engine) as session:
        update_followup(session, REVIEWER, 5, {"next_steps_fr": "- relancer", "progress": 40})
    with session_of(demo_engine) as session:
        frame = opendata.proposals_public(session)
        data = opendata.csv_bytes(frame, opendata.PROPOSALS_SCHEMA)
        records = opendata.records(frame, opendata.PROPOSALS_SCHEMA)
    assert ",'- relancer," in data.decode("utf-8") and ",- relancer," not in data.decode("utf-8")
    assert next(r for r in records if r["number"] == 5)["next_steps_fr"] == "- relancer"


def test_the_data_package_says_its_licence_sources_date_and_vocabularies(demo_engine, session_of):
    with session_of(demo_engine) as session:
        package = opendata.datapackage(session)
        version = opendata.data_version(session)
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert package["licenses"][0]["title"] == "Licence Ouverte / Open Licence 2.0"
    assert package["sources"][0]["path"].startswith("https://www.diplomatie.gouv.fr/")
    assert package["created"] == version.last_modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert package["demonstration"] is True
    assert "démonstration" in package["description"]
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == [
        "non_evaluee",
        "non_engagee",
        "engagee",
        "partiellement_realisee",
        "realisee",
        "en_suspens",
        "abandonnee",
    ]
    assert fields["primary_theme"]["constraints"]["enum"] == ["connectee", "durable", "solidaire"]
    assert fields["progress"]["constraints"] == {"minimum": 0, "maximum": 100}
    assert [r["path"] for r in package["resources"]] == [
        "proposals.csv",
        "history.csv",
        "contributions.csv",
        "organisations.csv",
        "sessions.csv",
        "decisions.csv",
    ]


def test_the_exported_folder_passes_frictionless_validation(demo_engine, session_of, tmp_path):
    with session_of(demo_engine) as session:
        written = opendata.export_package(session, tmp_path / "paquet")
    assert [p.name for p in written] == [
        "datapackage.json",
        "proposals.csv",
        "history.csv",
        "contributions.csv",
        "organisations.csv",
        "sessions.csv",
        "decisions.csv",
    ]
    assert opendata.validation_errors(written[0]) == []


def test_validation_finds_a_row_that_breaks_the_schema(demo_engine, session_of, tmp_path):
    with session_of(demo_engine) as session:
        descriptor = opendata.export_package(session, tmp_path)[0]
    with (tmp_path / "history.csv").open("a", encoding="utf-8") as handle:
        handle.write("99,hier,status,,,,,ui,quelqu'un\r\n")
    errors = "\n".join(opendata.validation_errors(descriptor))
    assert "type-error" in errors
    assert "constraint-error" in errors
    assert "foreign-key" in errors


def test_cli_exports_the_package_to_a_folder(demo_sqlite_url, tmp_path):
    folder = tmp_path / "portail"
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "opendata", "export", str(folder)],
        cwd=ROOT,
        env={
            **os.environ,
            "TRACKER_DATABASE_URL": demo_sqlite_url,
            "PYTHONPATH": str(ROOT / "src"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in package["resources"]} == {
        "proposals",
        "history",
        "contributions",
        "organisations",
        "sessions",
        "decisions",
    }
    assert (folder / "proposals.csv").read_text(encoding="utf-8").startswith("number,title_fr,")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "frictionless"),
            "validate",
            str(folder / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", ["proposals", "history", "contributions", "organisations"])
def test_every_resource_s_json_records_follow_its_schema_s_fields(demo_engine, session_of, name):
    resource = opendata.resource(name)
    with session_of(demo_engine) as session:
        rows = opendata.records(resource.frame(session), resource.schema)
    assert rows
    assert all(list(row) == [f["name"] for f in resource.schema["fields"]] for row in rows)


def test_published_sessions_and_their_decisions_are_open_data_and_others_are_not(
    demo_engine, session_of, tmp_path
):
    from datetime import date

    from tracker.domain.permissions import SYSTEM
    from tracker.review_sessions import actions as review

    with session_of(demo_engine) as session:
        held = review.record_review_session(session, SYSTEM, date(2025, 3, 1), "Séance de mars")
        review.record_decision(
            session,
            SYSTEM,
            held.id,
            text_fr="Relancer le label",
            numbers=[2, 5],
            owner="meae-daect",
        )
        other = review.record_review_session(session, SYSTEM, date(2025, 4, 1), "Séance d'avril")
        review.record_decision(session, SYSTEM, other.id, text_fr="Pas encore publique")
        assert opendata.sessions_public(session).empty  # nothing published yet
        review.publish_minutes(session, SYSTEM, held.id, attendance="MEAE, CNCD")
        sessions = opendata.sessions_public(session)
        decisions = opendata.decisions_public(session)
        written = opendata.export_package(session, tmp_path / "paquet")
    assert sessions[["id", "title", "attendance"]].values.tolist() == [
        [held.id, "Séance de mars", "MEAE, CNCD"]
    ]
    assert decisions[["session", "text_fr", "proposals", "owner", "state"]].values.tolist() == [
        [held.id, "Relancer le label", "2 5", "meae-daect", "open"]
    ]
    assert opendata.validation_errors(written[0]) == []
    assert "Pas encore publique" not in (tmp_path / "paquet" / "decisions.csv").read_text()
