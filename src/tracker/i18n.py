"""Messages and formats in French (default) and English.

Messages live in gettext catalogues (`locales/<lang>/LC_MESSAGES/messages.po`),
read with Babel, so that translators can use their usual tools; numbers and
dates are formatted by Babel with the locale's own conventions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, get_decimal_symbol

from tracker.config import PACKAGE_DIR
from tracker.domain.text import plain_line
from tracker.domain.vocabulary import DEFAULT_LANGUAGE, LANGUAGES
from tracker.errors import TrackerError

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@dataclass(frozen=True)
class Typography:
    """How a language sets what is not a message: the space before a colon,
    between a number and « % », list separators, date entry… One table, so
    that no page or document decides it with its own `if lang == "fr"`."""

    before_colon: str
    list_separator: str
    before_percent: str
    date_input: str  # for Streamlit's date widgets and columns, and spreadsheets
    plotly_separators: str  # Plotly's "decimal, thousands" characters
    first_ordinal: str  # « 1er juin »: the suffix of the first of the month
    spaced_punctuation: bool  # narrow no-break spaces before ; : ! ? and inside « »


TYPOGRAPHY = {
    # narrow no-break spaces (U+202F): a line never starts with « : » or « % »
    "fr": Typography("\u202f", "\u202f; ", "\u202f", "DD/MM/YYYY", ", ", "er", True),
    "en": Typography("", "; ", "", "YYYY-MM-DD", ".,", "", False),
}


def typo(lang: str) -> Typography:
    return TYPOGRAPHY[language(lang)]


def language(value: object) -> str:
    """A supported language code; anything else falls back to French."""
    text = str(value or "").strip().lower()[:2]
    return text if text in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of `lang`, set in its typography (`typography`: French
    spaces before « : ; ! ? » and inside « »), once, before any value is put
    in: what people typed is never changed."""
    path = PACKAGE_DIR / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=LOCALES[lang])
    return {
        message.id: typography(message.string, lang)
        for message in po
        if message.id and message.string
    }


def t(key: str, lang: str, /, **params: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled in.

    A key missing from the catalogue shows as itself, so that a test can spot it.
    """
    text = catalogue(language(lang)).get(key, key)
    return text.format(**params) if params else text


def n(value: float | int, lang: str, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALES[language(lang)])


def quantity(value: float | int, lang: str) -> str:
    """A number as people write it, with decimals only when it has some:
    « 30 », « 0,1 » / « 0.1 »."""
    return format_decimal(value, format="#,##0.##", locale=LOCALES[language(lang)])


def pct(value: float | int | None, lang: str) -> str:
    """A progress value (0–100) as a percentage, « 42 % » / « 42% »."""
    if value is None:
        return "—"
    return format_percent(float(value) / 100, locale=LOCALES[language(lang)])


def d(value: date | datetime | None, lang: str, fmt: str = "long") -> str:
    """A date (or date and time) as people write it: « 1er juin 2024 »,
    « 1er févr. 2019 » in French (the first of the month is an ordinal)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        text = babel_format_datetime(value, format=fmt, locale=LOCALES[language(lang)])
    else:
        text = babel_format_date(value, format=fmt, locale=LOCALES[language(lang)])
    ordinal = typo(lang).first_ordinal
    if ordinal and value.day == 1 and text.startswith("1 "):
        return "1" + ordinal + text[1:]
    return text


def moment(value: datetime | None, lang: str) -> str:
    """A date and a time, to the minute, as people read them in a table or a
    sentence: « 4 déc. 2026, 18:45 » / « 4 Dec 2026, 18:45 » (never seconds)."""
    if value is None or value != value:  # None, NaT
        return "—"
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    time = babel_format_datetime(value, format="HH:mm", locale=LOCALES[language(lang)])
    return f"{d(value.date(), lang, 'medium')}, {time}"


def colon(lang: str) -> str:
    """« : » as the language writes it after a label: « Statut : » / « Status: »."""
    return typo(lang).before_colon + ":"


def labelled(label: str, value: object, lang: str) -> str:
    """« label : value » / « label: value »."""
    return f"{label}{colon(lang)} {value}"


def list_separator(lang: str) -> str:
    """Between the items of a list that already holds commas: « ; »."""
    return typo(lang).list_separator


def percent_sign(lang: str) -> str:
    """What follows a number to make it a percentage: « 42 % » / « 42% »."""
    return typo(lang).before_percent + "%"


def decimal_text(text: str, lang: str) -> str:
    """A number written with a point, with the language's decimal symbol."""
    return text.replace(".", get_decimal_symbol(LOCALES[language(lang)]))


def plotly_separators(lang: str) -> str:
    return typo(lang).plotly_separators


def date_input_format(lang: str) -> str:
    return typo(lang).date_input


def locale_tag(lang: str) -> str:
    """The language as documents declare it (BCP 47): « fr-FR », « en-GB »."""
    return LOCALES[language(lang)].replace("_", "-")


def field_name(name: str, lang: str) -> str:
    """The column holding `name` in `lang`: `title` → `title_fr` / `title_en`."""
    return f"{name}_{language(lang)}"


def localised(row: Mapping, name: str, lang: str):
    """`row`'s `name` in `lang` (a row, a dict or a frame: its column)."""
    return row[field_name(name, lang)]


def clean_value(value: object, limit: int = 80) -> str:
    """Someone's text made safe to quote back to them: one plain line
    (`tracker.domain.text.plain_line`), cut at `limit` with an ellipsis."""
    text = plain_line(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def literal(value: object, limit: int = 80) -> str:
    """`clean_value` as a Markdown code span: whatever it holds (HTML, links,
    images, `:emoji:` or `:red[colour]` directives, `$maths$`) shows as typed."""
    text = clean_value(value, limit)
    if not text:
        return "` `"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or longest else text
    return f"{fence}{padded}{fence}"


LISTED_LIMIT = 600


def describe(error: TrackerError, lang: str, *, markdown: bool = False) -> str:
    """A sentence for the user from a named error. Text parameters come from
    what people typed: they are cleaned, and quoted literally for Markdown."""
    quote = literal if markdown else clean_value
    # A list (the accepted values of a column) is ours, and said in full.
    params = {
        k: quote(", ".join(map(str, v)), LISTED_LIMIT)
        if isinstance(v, list | tuple)
        else (quote(v) if isinstance(v, str) else v)
        for k, v in error.params.items()
    }
    # A contribution's field is named by its label (« Titre »), not by its
    # column in files and the database (`title`).
    field = error.params.get("field")
    label = catalogue(language(lang)).get(f"contrib.field.{field}") if field else None
    if label is not None:
        params["field"] = label
    text = catalogue(language(lang)).get(error.key)
    if text is None:
        text = catalogue(language(lang))[type(error).key]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return catalogue(language(lang))[type(error).key]


NARROW_NBSP = "\u202f"
_SPACE_BEFORE = re.compile(r"[ \u00a0]([;:!?»])")
_SPACE_AFTER = re.compile(r"«[ \u00a0]")


def typography(text: str, lang: str) -> str:
    """French typography for print: a narrow no-break space before ; : ! ? and
    inside « », so that a line never starts with a colon or a closing quote."""
    if not typo(lang).spaced_punctuation:
        return text
    text = _SPACE_BEFORE.sub(NARROW_NBSP + r"\1", text)
    return _SPACE_AFTER.sub("«" + NARROW_NBSP, text)
