"""Every page, run as Streamlit runs it (AppTest), on a seeded database of its own."""

import pytest

from tests.apptest import open_page, texts
from tracker.i18n import t


@pytest.fixture
def url(demo_app_url):
    return demo_app_url


def param(app, key):
    value = app.query_params[key]
    return value if isinstance(value, list) else [value]


def no_error(app):
    assert not app.exception, [e.value for e in app.exception]


def test_dashboard_shows_key_figures_charts_and_their_tables(monkeypatch, url):
    app = open_page(monkeypatch, url)
    no_error(app)
    assert app.title[0].value == "Tableau de bord"
    labels = [m.label for m in app.metric]
    assert labels[:3] == ["Avancement moyen", "Réalisées", "En suspens"]
    assert app.metric[1].value == "2 / 20"
    assert app.metric[2].value == "3"
    charts = len(app.get("plotly_chart"))
    assert charts >= 4
    tables = [e for e in app.expander if e.label == t("chart.show_table", "fr")]
    assert len(tables) == charts  # each chart readable as a table
    assert "Données de démonstration" in app.warning[0].value


def test_dashboard_in_english(monkeypatch, url):
    app = open_page(monkeypatch, url, lang="en")
    no_error(app)
    assert app.title[0].value == "Dashboard"
    assert "Demonstration data" in app.warning[0].value
    assert next(m.label for m in app.metric) == "Average progress"


def test_the_language_switch_changes_every_label_and_the_url(monkeypatch, url):
    app = open_page(monkeypatch, url)
    assert app.title[0].value == "Tableau de bord"
    app.sidebar.segmented_control[0].set_value("en").run()
    no_error(app)
    assert app.title[0].value == "Dashboard"
    assert app.metric[0].label == "Average progress"
    assert param(app, "lang") == ["en"]


def test_filter_from_the_url_shows_only_that_theme_and_says_how_many(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions", theme="solidaire")
    no_error(app)
    assert "**8 propositions sur 20**" in [m.value for m in app.markdown]
    table = app.dataframe[0].value
    assert len(table) == 8
    assert set(table["Thème"]) == {"Solidaire"}
    assert app.multiselect[0].value == ["solidaire"]


def test_filters_combine_and_go_back_into_the_url(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions")
    assert "**Les 20 propositions**" in [m.value for m in app.markdown]
    app.multiselect[1].set_value(["engagee"]).run()
    no_error(app)
    assert param(app, "status") == ["engagee"]
    assert len(app.dataframe[0].value) == 6
    assert "**6 propositions sur 20**" in [m.value for m in app.markdown]


def test_search_ignores_accents_and_case(monkeypatch, url):
    accented = open_page(monkeypatch, url, "propositions", q="numérique").dataframe[0].value
    app = open_page(monkeypatch, url, "propositions", q="NUMERIQUE")
    no_error(app)
    shown = app.dataframe[0].value
    assert 1 <= len(shown) < 20
    assert shown["N°"].tolist() == accented["N°"].tolist()


def test_no_recent_assessment_filter(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions", stale="1")
    no_error(app)
    assert app.toggle[0].value is True
    assert 0 < len(app.dataframe[0].value) < 20


def test_an_unknown_theme_gets_a_friendly_message_not_a_traceback(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions", theme="xyz")
    no_error(app)
    assert any("xyz" in w.value for w in app.warning)
    assert len(app.dataframe[0].value) == 20


def test_every_non_verbatim_title_carries_its_badge_in_the_table(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions")
    table = app.dataframe[0].value
    assert set(table["Libellé"]) == {"Résumé d’une source publique", "Libellé reconstitué"}


def test_the_table_downloads_as_csv_and_xlsx(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions", theme="durable")
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Télécharger (CSV pour Excel)", "Télécharger (XLSX)"]


def test_a_proposal_page_shows_wording_badge_status_and_timeline(monkeypatch, url):
    app = open_page(monkeypatch, url, "proposition", n="7")
    no_error(app)
    assert app.title[0].value == "Proposition n° 7"
    shown = texts(app)
    assert "Historique des changements" in shown
    assert "Statut" in shown
    assert any("Résumé d’une source publique" in m.value for m in app.markdown)
    assert len(app.text) > 5  # summary, next steps, blockers, timeline entries


def test_a_reconstructed_proposal_says_so_in_english_too(monkeypatch, url):
    app = open_page(monkeypatch, url, "proposition", n="15", lang="en")
    no_error(app)
    assert app.title[0].value == "Proposal No. 15"
    assert any("Reconstructed wording" in m.value for m in app.markdown)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        ("abc", "n’est pas un numéro"),
        ("99", "Il n’y a pas de proposition n° 99"),
        ("", "Aucune proposition n’est indiquée"),
        ("-1", "n’est pas un numéro"),
    ],
)
def test_a_bad_proposal_number_gets_a_friendly_message(monkeypatch, url, n, expected):
    app = open_page(monkeypatch, url, "proposition", n=n)
    no_error(app)
    assert expected in texts(app)


def test_about_page_explains_statuses_wording_and_demo_data(monkeypatch, url):
    app = open_page(monkeypatch, url, "a-propos")
    no_error(app)
    shown = texts(app)
    for words in (
        "Non évaluée",
        "Abandonnée ou sans objet",
        "Libellé reconstitué",
        "9 résumés de sources publiques",
        "11 libellés reconstitués",
        "données de démonstration",
    ):
        assert words in shown


def test_about_page_in_english(monkeypatch, url):
    app = open_page(monkeypatch, url, "a-propos", lang="en")
    no_error(app)
    assert "What each status means" in texts(app)


def test_without_demo_data_there_is_no_banner_and_nothing_is_assessed(monkeypatch, app_url):
    app = open_page(monkeypatch, app_url)
    no_error(app)
    assert not app.warning
    assert app.metric[0].value == "—"
    assert app.metric[4].value == "20"
