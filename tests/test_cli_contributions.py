"""The command line: accounts, and contributions in and out, through the same services."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tracker.accounts import actions as accounts
from tracker.accounts import queries as account_queries
from tracker.cli import main
from tracker.contributions import queries as contribution_queries
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.i18n import typography


@pytest.fixture
def cli(monkeypatch, demo_app_url):
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_app_url)
    return demo_app_url


def query(url, service, *args, **kwargs):
    engine = make_engine(url)
    with transaction(engine) as session:
        result = service(session, *args, **kwargs)
    engine.dispose()
    return result


def test_users_add_reads_the_password_from_standard_input(cli, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("un mot de passe bien long\n"))
    assert (
        main(
            [
                "users",
                "add",
                "--email",
                "Agent@Lyon.invalid",
                "--role",
                "contributor",
                "--organisation",
                "200046977",
                "--name",
                "Agent de Lyon",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "agent@lyon.invalid" in out and "généré" not in out
    result = query(cli, accounts.sign_in, "agent@lyon.invalid", "un mot de passe bien long")
    assert result.ok and result.actor.role.value == "contributor"


def test_users_add_generates_a_password_and_prints_it_once(cli, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert (
        main(
            [
                "users",
                "add",
                "--email",
                "relecteur@cncd.invalid",
                "--role",
                "reviewer",
                "--name",
                "R",
            ]
        )
        == 0
    )
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert len(password) >= 12
    assert query(cli, accounts.sign_in, "relecteur@cncd.invalid", password).ok


def test_users_list_and_disable(cli, capsys):
    assert main(["users", "list"]) == 0
    assert "lille@demo.invalid\tcontributor\tmel\tactif" in capsys.readouterr().out
    assert main(["users", "disable", "lille@demo.invalid"]) == 0
    main(["users", "list"])
    assert "lille@demo.invalid\tcontributor\tmel\tdésactivé" in capsys.readouterr().out
    assert not query(cli, accounts.sign_in, "lille@demo.invalid", "demo-demo-demo").ok


def test_a_contributor_without_organisation_is_refused_with_a_message(cli, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert (
        main(["users", "add", "--email", "x@y.invalid", "--role", "contributor", "--name", "X"])
        == 1
    )
    assert "organisation" in capsys.readouterr().err


def test_contributions_import_exits_zero_only_when_imported(cli, tmp_path, capsys):
    good = tmp_path / "bon.csv"
    good.write_bytes(
        "proposal;title;status;progress;budget_eur\n3;Vitrine;engagee;5;1 200,50\n".encode("cp1252")
    )
    bad = tmp_path / "mauvais.csv"
    bad.write_bytes(b"proposal;title;status;progress\n3;Vitrine;engagee;5\n3;Autre;engagee;500\n")
    assert main(["contributions", "import", str(bad), "--as", "lille@demo.invalid"]) == 1
    assert typography("Ligne 3, colonne « progress »", "fr") in capsys.readouterr().err
    assert (
        main(["contributions", "import", str(good), "--as", "lille@demo.invalid", "--dry-run"]) == 0
    )
    assert "Rien n’a été enregistré" in capsys.readouterr().out
    assert (
        main(["contributions", "import", str(good), "--as", "lille@demo.invalid", "--submit"]) == 0
    )
    titles = query(
        cli,
        lambda s: set(
            contribution_queries.working_frame(
                s, account_queries.actor_for(account_queries.get_account(s, "lille@demo.invalid"))
            )["title"]
        ),
    )
    assert "Vitrine" in titles


def test_contributions_validate_as_the_secretariat(cli, capsys):
    assert main(["contributions", "validate", "3", "--as", "lille@demo.invalid"]) == 1
    assert main(["contributions", "validate", "3", "--as", "secretariat@demo.invalid"]) == 0
    assert 3 in set(query(cli, contribution_queries.public_frame)["id"])


def test_contributions_export_is_public_unless_a_reviewer_asks(cli, capsys):
    assert main(["contributions", "export", "--format", "json"]) == 0
    public = json.loads(capsys.readouterr().out)
    assert {row["state"] for row in public} == {"validated"}
    assert all(not row["contact"] for row in public)
    assert (
        main(["contributions", "export", "--format", "json", "--as", "secretariat@demo.invalid"])
        == 0
    )
    everything = json.loads(capsys.readouterr().out)
    assert {"draft", "submitted", "returned"} <= {row["state"] for row in everything}
    assert any(row["contact"] for row in everything)


def test_the_exported_csv_imports_back_from_the_command_line(cli, tmp_path):
    path = tmp_path / "export.csv"
    assert (
        main(
            [
                "contributions",
                "export",
                "--format",
                "csv",
                "--as",
                "admin@demo.invalid",
                "--out",
                str(path),
            ]
        )
        == 0
    )
    assert (
        main(["contributions", "import", str(path), "--as", "admin@demo.invalid", "--dry-run"]) == 0
    )


def test_python_dash_m_tracker_runs_as_a_program(cli):
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "users", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"TRACKER_DATABASE_URL": cli, "PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "admin@demo.invalid\tadministrator" in done.stdout
