"""« Mentions légales » and « Données personnelles »: who publishes and hosts
the tool, what it keeps about people and for how long, with the operator's
details from the environment and placeholders that say so while unset; and
the header and footer every page carries."""

from __future__ import annotations

import pytest

from tests.apptest import open_page, texts
from tracker import config
from tracker.accounts import sessions
from tracker.ui import legal
from tracker.ui.brand import FOOTER_KEY, FOOTER_LINKS, HEADER_KEY

OPERATOR = {
    "TRACKER_PUBLISHER": "Ministère de l’Europe et des Affaires étrangères (DAECT)",
    "TRACKER_PUBLICATION_DIRECTOR": "Jeanne Exemple, déléguée",
    "TRACKER_HOST_NAME": "Hébergeur Exemple SAS",
    "TRACKER_HOST_ADDRESS": "1 rue de l’Exemple, 75000 Paris",
    "TRACKER_CONTACT": "suivi@cncd.example.invalid",
    "TRACKER_DPO_CONTACT": "dpd@cncd.example.invalid",
}


@pytest.fixture
def unset_operator(monkeypatch):
    for variable in config.OPERATOR_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def operator(monkeypatch):
    for variable, value in OPERATOR.items():
        monkeypatch.setenv(variable, value)


def all_text(sections: list[legal.Section]) -> str:
    return "\n".join(f"{s.heading}\n{s.body}" for s in sections)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.usefixtures("unset_operator")
def test_every_unset_detail_shows_a_placeholder_that_names_its_variable(lang):
    text = all_text(legal.legal_notice(lang)) + all_text(legal.personal_data(lang))
    marker = "à compléter par l’exploitant" if lang == "fr" else "to be completed by the operator"
    for variable in config.OPERATOR_VARIABLES.values():
        assert f"`{variable}`" in text
    assert text.count(marker) >= len(config.OPERATOR_VARIABLES)
    assert legal.missing_details() == list(config.OPERATOR_VARIABLES.values())
    assert "TRACKER_HOST_NAME" in legal.missing_notice(lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.usefixtures("operator")
def test_the_operators_details_come_from_the_environment(lang):
    text = all_text(legal.legal_notice(lang)) + all_text(legal.personal_data(lang))
    assert "Hébergeur Exemple SAS" in text
    assert "75000 Paris" in text
    assert "Jeanne Exemple" in text
    assert "[suivi@cncd.example.invalid](mailto:suivi@cncd.example.invalid)" in text
    assert "mailto:dpd@cncd.example.invalid" in text
    assert "TRACKER_" not in text
    assert legal.missing_notice(lang) is None


def test_an_operators_value_cannot_inject_markdown(monkeypatch):
    monkeypatch.setenv("TRACKER_HOST_NAME", "[clic](javascript:alert(1)) ![x](http://x/y.png)")
    value = legal.operator_value("host_name", "fr")
    assert "](" not in value
    assert "\\[clic\\]" in value


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_message_key_shows_through(lang):
    text = all_text(legal.legal_notice(lang)) + all_text(legal.personal_data(lang))
    for prefix in ("legal.", "privacy."):
        assert prefix not in text
    assert "{" not in text  # every placeholder filled


def test_the_durations_said_are_the_ones_the_code_enforces(monkeypatch):
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", "15")
    text = all_text(legal.personal_data("fr"))
    assert "après 15 minutes d’inactivité" in text
    assert f"{sessions.KEEP_ENDED.days} jours après sa fin" in text
    assert f"au plus tard {int(sessions.ABSOLUTE_LIFETIME.total_seconds() // 3600)} heures" in text
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", "0.5")
    assert "after 0.5 minutes without activity" in all_text(legal.personal_data("en"))


def test_the_personal_data_page_covers_what_the_database_keeps_about_people():
    text = all_text(legal.personal_data("fr"))
    for kept in (
        "adresse électronique",  # accounts
        "empreinte du mot de passe",
        "empreinte (SHA-256) d’un jeton",  # sign-in sessions
        "contact indiqué par la collectivité",  # contributions
        "destinataire",  # the mail outbox
        "journal d’audit",
        "tracker_session",  # the cookie
        "CNIL",
        "article 6",
    ):
        assert kept in text, kept


@pytest.mark.parametrize(
    ("path", "lang", "title", "words"),
    [
        ("mentions-legales", "fr", "Mentions légales", ["Éditeur", "Hébergement", "DAECT"]),
        ("mentions-legales", "en", "Legal notice", ["Publisher", "Hosting", "DAECT"]),
        ("donnees-personnelles", "fr", "Données personnelles", ["Comptes", "Vos droits"]),
        ("donnees-personnelles", "en", "Personal data", ["Accounts", "Your rights"]),
    ],
)
@pytest.mark.usefixtures("unset_operator")
def test_the_legal_pages_render_in_both_languages_and_say_what_is_missing(
    monkeypatch, demo_sqlite_url, path, lang, title, words
):
    app = open_page(monkeypatch, demo_sqlite_url, path, lang=lang)
    assert not app.exception
    assert app.title[0].value == title
    shown = texts(app)
    for word in words:
        assert word in shown
    assert "TRACKER_HOST_NAME" in app.warning[0].value  # the incomplete-page notice
    assert "TRACKER_HOST_NAME" in shown


@pytest.mark.usefixtures("operator")
def test_a_configured_operator_leaves_no_placeholder_on_the_pages(monkeypatch, demo_sqlite_url):
    app = open_page(monkeypatch, demo_sqlite_url, "mentions-legales", lang="fr")
    assert not app.exception
    assert len(app.warning) == 0 or "TRACKER_" not in app.warning[0].value
    assert "Hébergeur Exemple SAS" in texts(app)
    assert "à compléter" not in texts(app)


@pytest.mark.parametrize("path", ["/", "propositions", "a-propos", "accessibilite"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_has_the_header_and_the_footers_legal_links(
    monkeypatch, demo_sqlite_url, path, lang
):
    app = open_page(monkeypatch, demo_sqlite_url, path, lang=lang)
    assert not app.exception
    blocks = list(app.main.children.values())
    assert blocks[0].key == HEADER_KEY  # first, above the page
    # the bloc-marque, in French in both languages (the State's mark is not translated)
    assert (
        '<p class="fr-logo" lang="fr">Ministère<br>de l’Europe' in blocks[0].children[0].proto.body
    )
    footer = list(blocks[-1].children.values())  # last, below the page
    assert footer[0].key == FOOTER_KEY
    labels = [link.proto.label for link in app.get("page_link")]
    expected = {
        "fr": ["Mentions légales", "Données personnelles", "Accessibilité\u202f: non conforme"],
        "en": ["Legal notice", "Personal data", "Accessibility: not compliant"],
    }[lang]
    assert labels[-len(FOOTER_LINKS) :] == expected
