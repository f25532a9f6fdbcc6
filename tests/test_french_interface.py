"""French on French pages: Streamlit's own texts put in French by the page's
script, French typography, and the audit log read with labels, never codes."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
import pytest

from tests.languages import STREAMLIT_ENGLISH, english_offenders, french_offenders
from tracker.audit import entries
from tracker.domain.permissions import Actor
from tracker.domain.vocabulary import Role, Status
from tracker.followup.detail import shown_value
from tracker.i18n import NARROW_NBSP, catalogue, moment, t
from tracker.ui.audit_log import readable
from tracker.ui.streamlit_texts import SENTENCES, STREAMLIT_FRENCH, WORDS, texts_script


def french(text: str) -> str | None:
    """What the page's script makes of `text` (the same rules, in Python)."""
    if text in STREAMLIT_FRENCH:
        return STREAMLIT_FRENCH[text]
    for rule, to in SENTENCES:
        found = re.match(rule, text)
        if found:
            return re.sub(r"\{([wn]?)(\d)\}", lambda m, g=found: _group(g, m), to)
    return None


def _group(found: re.Match, placeholder: re.Match) -> str:
    value = found[int(placeholder[2])] or ""
    if placeholder[1] == "w":
        return WORDS.get(value, value)
    if placeholder[1] == "n":
        return re.sub(r"\.0+$", "", value).replace(".", ",", 1)
    return value


@pytest.mark.parametrize("english", STREAMLIT_ENGLISH)
def test_every_known_streamlit_text_has_its_french(english):
    assert french(english) not in (None, english)


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("10MB per file • CSV, XLSX", "10 Mo par fichier • CSV, XLSX"),
        ("Help for Situation au", f"Aide{NARROW_NBSP}: Situation au"),
        ("day, Date de la séance", "jour, Date de la séance"),
        ("File must be 10.0MB or smaller.", "Le fichier doit faire 10 Mo au plus."),
        ("1.5MB per file", "1,5 Mo par fichier"),
    ],
)
def test_streamlits_sentences_keep_their_values(english, expected):
    assert french(english) == expected


def test_no_french_text_is_itself_an_english_text_so_the_script_never_loops():
    assert not set(STREAMLIT_FRENCH.values()) & set(STREAMLIT_FRENCH)
    assert all(french(fr) is None for fr in STREAMLIT_FRENCH.values())


def test_the_french_is_french_and_spaced_as_french_is():
    items = [f"text: {fr}" for fr in STREAMLIT_FRENCH.values()]
    assert english_offenders(items) == []
    assert f"Aide{NARROW_NBSP}:" in french("Help for x")


def test_the_script_holds_only_our_constants_and_the_language_code():
    script = texts_script("fr")
    assert script.count("<script>") == 1 and script.count("</script>") == 1
    assert texts_script("<img src=x>") == texts_script("en")
    assert '"Skip to main content": "Aller au contenu principal"' in script


def test_the_french_only_words_are_found_and_names_are_not():
    assert french_offenders(["text: Télécharger la note"]) != []
    assert french_offenders(["text: Banque des Territoires, Défenseur des droits"]) == []
    assert french_offenders(["text: Download the briefing"]) == []


def test_a_moment_is_written_to_the_minute():
    at = datetime(2026, 12, 1, 18, 45, 32)
    assert moment(at, "fr") == "1er déc. 2026, 18:45"
    assert moment(at, "en") == "1 Dec 2026, 18:45"


def test_the_audit_log_shows_labels_never_codes():
    actor = Actor("s", Role.REVIEWER, account_id=2, email="s@x.invalid")
    at = datetime(2026, 12, 4, 9, 30, 12)
    rows = [
        *entries(
            actor, "proposal.followup", "proposal", 7, {"status": (None, "en_suspens")}, at=at
        ),
        *entries(actor, "session.sign_in", "account", "s@x.invalid", at=at, origin="sign-in"),
    ]
    columns = ["at", "actor", "actor_role", "action", "entity", "entity_id", "field"]
    frame = pd.DataFrame(rows)[[*columns, "old_value", "new_value", "origin"]]
    shown = readable(frame, "fr")
    assert list(shown.columns) == [t(f"admin.audit.{c}", "fr") for c in frame.columns]
    text = shown.to_string()
    for raw in ("reviewer", "proposal.followup", "en_suspens", "None", ":12", "sign-in"):
        assert raw not in text
    first = shown.iloc[0]
    assert first[t("admin.audit.actor_role", "fr")] == Role.REVIEWER.label("fr")
    assert first[t("admin.audit.new_value", "fr")] == Status.EN_SUSPENS.label("fr")
    assert first[t("admin.audit.old_value", "fr")] == ""
    assert first[t("admin.audit.at", "fr")] == "4 déc. 2026, 09:30"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_sessions_audit_rows_name_its_fields_and_its_format(lang):
    actor = Actor("s", Role.REVIEWER, account_id=2, email="s@x.invalid")
    changes = {
        "held_on": (None, "2026-12-14"),
        "label": (None, "Séance de décembre"),
        "format": (None, "video"),
        "attendance": (None, "MEAE, CNCD"),
    }
    at = datetime(2026, 12, 4, 9, 30)
    rows = entries(actor, "session.add", "review_session", 1, changes, at=at)
    columns = ["at", "actor", "actor_role", "action", "entity", "entity_id", "field"]
    shown = readable(pd.DataFrame(rows)[[*columns, "old_value", "new_value", "origin"]], lang)
    fields = set(shown[t("admin.audit.field", lang)])
    assert fields.isdisjoint(changes), fields
    assert "video" not in set(shown[t("admin.audit.new_value", lang)])


def test_the_wording_history_names_themes_and_wording_status():
    assert shown_value("secondary_themes", "connectee|durable", {}, "fr") == "Connectée, Durable"
    assert shown_value("wording_status", "summary", {}, "en") != "summary"


def test_a_tables_dates_are_written_as_the_text_writes_them():
    from tracker.ui.widgets import written_dates

    table = pd.DataFrame({"Le": [pd.Timestamp("2024-06-01"), None], "n": [1, 2]})
    assert list(written_dates(table, ["Le"], "fr")["Le"]) == ["1er juin 2024", "—"]
    assert list(written_dates(table, ["Le"], "en")["Le"]) == ["1 June 2024", "—"]
    assert list(written_dates(table, ["Le"], "fr")["n"]) == [1, 2]


def test_french_messages_take_narrow_no_break_spaces_and_values_stay_as_typed():
    for text in catalogue("fr").values():
        assert not re.search(r"[ \u00a0][;:!?»]|«[ \u00a0]", text), text
    said = t("import.bad_value", "fr", value="a : b")
    assert said == f"Valeur non valide{NARROW_NBSP}: «{NARROW_NBSP}a : b{NARROW_NBSP}»."


def test_a_charts_table_reads_as_its_sentence_never_none_nor_a_decimal_point():
    from datetime import date

    from tracker.ui.widgets import read_as_text

    table = pd.DataFrame(
        {
            "Date": [date(2018, 7, 31), date(2018, 8, 31)],
            "Moyenne": [None, 12.13],
            "N": [0, 3],
            "Porteur": ["CNCD", None],
        }
    )
    shown = read_as_text(table, "fr")
    assert shown.to_dict("list") == {
        "Date": ["31 juillet 2018", "31 août 2018"],
        "Moyenne": ["—", "12,1"],
        "N": [0, 3],
        "Porteur": ["CNCD", "—"],
    }
    assert read_as_text(table, "en")["Moyenne"].tolist() == ["—", "12.1"]
