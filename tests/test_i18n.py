"""French and English catalogues: same keys, same placeholders, every key used exists."""

import re
import string
from datetime import date
from pathlib import Path

import pytest

from tracker import i18n
from tracker.errors import NotFound, ValidationError

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    assert set(i18n.catalogue("fr")) == set(i18n.catalogue("en"))


@pytest.mark.parametrize("key", sorted(i18n.catalogue("fr")))
def test_placeholders_match_between_languages(key):
    assert placeholders(i18n.catalogue("fr")[key]) == placeholders(i18n.catalogue("en")[key])


def test_every_literal_key_in_the_code_is_in_the_catalogue():
    pattern = re.compile(r"""\bt\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""")
    used = set()
    for path in [*ROOT.glob("src/tracker/**/*.py"), *ROOT.glob("pages/*.py")]:
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no key at all"
    missing = sorted(k for k in used if k not in i18n.catalogue("fr"))
    assert missing == []


def test_every_key_in_the_catalogue_is_used():
    """A key is used when the code names it in quotes (`t("nav.dashboard")`,
    `ValidationError("as_of.future")`, `AS_OF_FUTURE = "as_of.future"`) or
    builds it from a quoted prefix (`t(f"field.{name}")`)."""
    code = "".join(
        path.read_text(encoding="utf-8")
        for path in [*ROOT.glob("src/tracker/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    )
    quoted = set(re.findall(r"""["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""", code))
    prefixes = set(re.findall(r"""f["']([a-z0-9_.]+)\{""", code))
    unused = sorted(
        key
        for key in i18n.catalogue("fr")
        if key not in quoted and not any(key.startswith(p) for p in prefixes if "." in p)
    )
    assert unused == []


def test_history_fields_all_have_a_label():
    from tracker.catalogue.rules import CATALOGUE_FIELDS
    from tracker.followup.rules import FOLLOWUP_FIELDS

    for field in (*FOLLOWUP_FIELDS, *CATALOGUE_FIELDS):
        assert f"field.{field}" in i18n.catalogue("fr")


def test_numbers_and_dates_follow_the_locale():
    assert i18n.pct(42, "fr") == "42\xa0%"  # no-break space, as CLDR has it
    assert i18n.pct(42, "en") == "42%"
    assert i18n.pct(None, "fr") == "—"
    assert i18n.n(1234567, "fr") == "1\u202f234\u202f567"
    assert i18n.n(1234567, "en") == "1,234,567"
    assert i18n.d(date(2018, 7, 5), "fr") == "5 juillet 2018"
    assert i18n.d(date(2018, 7, 5), "en") == "5 July 2018"


def test_the_first_of_the_month_is_an_ordinal_in_french_whatever_the_format():
    assert i18n.d(date(2024, 6, 1), "fr") == "1er juin 2024"
    assert i18n.d(date(2019, 2, 1), "fr", "medium") == "1er févr. 2019"
    assert i18n.d(date(2019, 2, 11), "fr", "medium") == "11 févr. 2019"
    assert i18n.d(date(2024, 6, 1), "en") == "1 June 2024"


def test_unknown_language_falls_back_to_french():
    assert i18n.language("de") == "fr"
    assert i18n.language("EN") == "en"
    assert i18n.language(None) == "fr"


def test_named_errors_become_sentences_in_the_users_language():
    error = NotFound("error.proposal_not_found", number=99)
    assert "99" in i18n.describe(error, "fr") and "proposition" in i18n.describe(error, "fr")
    assert "No. 99" in i18n.describe(error, "en")
    generic = ValidationError("error.no_such_key")
    assert i18n.describe(generic, "en") == i18n.catalogue("en")["error.validation"]
