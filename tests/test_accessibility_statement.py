"""The accessibility statement page, the language script, and what is kept
out of the repository."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest

from tests.apptest import open_page, texts
from tests.conftest import ROOT
from tracker.ui.a11y import language_script


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fr",
            [
                "Déclaration d’accessibilité",
                "non conforme",
                "aucun audit",
                "Défenseur des droits",
                "Pages réservées aux comptes",
                "au clavier seul",
            ],
        ),
        (
            "en",
            [
                "Accessibility statement",
                "not compliant",
                "no complete RGAA",
                "Défenseur des droits",
                "Pages for signed-in accounts",
                "keyboard alone",
            ],
        ),
    ],
)
def test_the_statement_says_its_status_what_was_tested_and_where_to_turn(
    monkeypatch, demo_sqlite_url, lang, words
):
    app = open_page(monkeypatch, demo_sqlite_url, "accessibilite", lang=lang)
    assert not app.exception
    shown = texts(app)
    for word in [*words, "axe-core"]:
        assert word in shown
    assert len(app.header) == 6  # the six sections French statements have


def test_the_statement_names_the_contact_the_operator_configured(monkeypatch, demo_sqlite_url):
    monkeypatch.setenv("TRACKER_ACCESSIBILITY_CONTACT", "accessibilite@cncd.example.invalid")
    app = open_page(monkeypatch, demo_sqlite_url, "accessibilite", lang="fr")
    assert "accessibilite@cncd.example.invalid" in texts(app)


@pytest.mark.parametrize(
    ("asked", "declared"), [("fr", "'fr'"), ("en", "'en'"), ("x'</script>", "'fr'")]
)
def test_the_language_script_only_ever_holds_a_known_code(asked, declared):
    script = language_script(asked)
    assert script == f"<script>document.documentElement.lang = {declared};</script>"


PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
# scheme://user:password@host, with a real-looking password (not a placeholder)
PASSWORD_IN_URL = re.compile(r"[a-z+]+://[^\s:/@]+:(?!CHANGE-ME|\*+|password@)[^\s:/@{}$]{6,}@")


def tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    return result.stdout.split()


def test_no_secret_is_tracked_and_the_example_is_only_placeholders():
    files = tracked_files()
    assert ".streamlit/secrets.toml" not in files
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
    example = tomllib.loads((ROOT / ".streamlit/secrets.toml.example").read_text())
    assert example["auth"]["cookie_secret"] == "CHANGE-ME"
    assert example["auth"]["client_secret"] == "CHANGE-ME"
    leaks = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if PRIVATE_KEY.search(text) or PASSWORD_IN_URL.search(text):
            leaks.append(name)
    assert leaks == []
