"""Logs: one structured line per change and per error, JSON on request, with
no password, hash, token or contact in them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from tests.apptest import open_page
from tests.conftest import ROOT
from tracker.db.engine import make_engine
from tracker.db.models import Account
from tracker.db.unit_of_work import transaction

PASSWORD = "un mot de passe très secret"
EMAIL = "agent.secret@lyon.invalid"


def cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "TRACKER_DATABASE_URL": url,
            "TRACKER_LOG_FORMAT": "json",
            "PYTHONPATH": str(ROOT / "src"),
        },
        timeout=120,
        check=False,
    )


def json_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_each_change_and_each_error_is_one_json_line_without_secrets_or_contacts(
    demo_sqlite_url, tmp_path
):
    added = cli(
        demo_sqlite_url,
        "users",
        "add",
        "--email",
        EMAIL,
        "--role",
        "contributor",
        "--organisation",
        "200046977",
        "--name",
        "Agent de Lyon",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    changes = json_lines(added.stderr)
    assert [(line["kind"], line["event"]) for line in changes] == [("change", "account.create")]
    assert changes[0]["entity"] == "account" and changes[0]["actor_role"]
    assert set(changes[0]["fields"]) >= {"role", "organisation"}

    contact = "joindre.moi@mairie.invalid"
    csv = tmp_path / "une.csv"
    csv.write_text(f"proposal;title;status;progress;contact\n4;Action;engagee;20;{contact}\n")
    imported = cli(demo_sqlite_url, "contributions", "import", str(csv), "--as", EMAIL)
    assert imported.returncode == 0, imported.stderr
    assert [line["event"] for line in json_lines(imported.stderr)] == ["contribution.create"]

    refused = cli(demo_sqlite_url, "users", "disable", "personne@nulle.part.invalid")
    assert refused.returncode == 1
    errors = json_lines(refused.stderr)
    assert [(line["kind"], line["event"]) for line in errors] == [("error", "NotFound")]
    assert errors[0]["key"]

    engine = make_engine(demo_sqlite_url)
    with transaction(engine) as session:
        password_hash = session.scalar(select(Account.password_hash).where(Account.email == EMAIL))
    engine.dispose()
    everything = "\n".join(
        json.dumps(line, ensure_ascii=False)
        for result in (added, imported, refused)
        for line in json_lines(result.stderr)
    )
    for secret in (PASSWORD, password_hash, EMAIL, contact, "personne@nulle.part.invalid", "@"):
        assert secret not in everything


def test_without_json_a_line_is_key_value_pairs(demo_sqlite_url):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "sessions",
            "add",
            "--date",
            "2025-01-09",
            "--label",
            "x",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TRACKER_DATABASE_URL": demo_sqlite_url, "TRACKER_LOG_FORMAT": ""},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if "review_session.add" in x)
    assert "kind=change" in line and "event=review_session.add" in line


def test_an_error_a_page_shows_is_logged_once_by_name(monkeypatch, demo_sqlite_url, caplog):
    caplog.set_level("INFO", logger="tracker")
    app = open_page(monkeypatch, demo_sqlite_url, "proposition", n="99")
    assert not app.exception
    logged = [r for r in caplog.records if r.name == "tracker" and r.fields["kind"] == "error"]
    assert [r.getMessage() for r in logged] == ["NotFound"]
