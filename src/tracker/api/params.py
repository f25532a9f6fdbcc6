"""Query parameters, checked strictly: a parameter the API does not know, a
value out of its vocabulary or a malformed number is refused with a named
error (400) rather than silently ignored, so that a typo never passes for an
empty filter."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from starlette.datastructures import QueryParams

from tracker import clock
from tracker.domain.vocabulary import Status, Theme
from tracker.errors import ValidationError
from tracker.followup.aggregates import ProposalFilter
from tracker.opendata.package import DEFAULT_PER_PAGE, MAX_PER_PAGE

MAX_QUERY = 200
MAX_WHOLE = 999_999_999  # nine digits: never an overflow for the database or pandas
_DIGITS = re.compile(r"[0-9]{1,9}")

FILTERS = ("theme", "status", "owner", "q")
PAGINATION = ("page", "per_page")


def bad(key: str, parameter: str, **params: object) -> ValidationError:
    return ValidationError(key, parameter=parameter, **params)


def check_known(query: QueryParams, accepted: Sequence[str]) -> None:
    for name in query:
        if name not in accepted:
            raise bad("api.unknown_parameter", name[:40], accepted=", ".join(accepted))


def single(query: QueryParams, name: str) -> str | None:
    values = query.getlist(name)
    if len(values) > 1:
        raise bad("api.repeated_parameter", name)
    return values[0] if values else None


def whole_number(raw: str | None, name: str, default: int, maximum: int = MAX_WHOLE) -> int:
    """A whole number from 1 to `maximum`, in plain ASCII digits."""
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise bad("api.bad_integer", name, value=raw[:40], maximum=maximum)
    return int(raw)


def day(raw: str | None, name: str = "as_of") -> date | None:
    """The date asked for, by the one rule (`tracker.clock.parse_as_of`): a
    malformed or future date is a 400 with its named error.

    A date before the report's adoption is still answered with the state then
    (no proposal yet: an empty list, a 404 for one proposal), as the API has
    always done."""
    try:
        return clock.parse_as_of(raw, clock.today(), name)
    except ValidationError as error:
        if error.key != clock.AS_OF_BEFORE_ADOPTION:
            raise
        return date.fromisoformat(str(error.params["value"]))


def codes(query: QueryParams, name: str, allowed: Collection[str]) -> tuple[str, ...]:
    """Values given as `name=a,b` or `name=a&name=b`, each one of `allowed`."""
    values: list[str] = []
    for raw in query.getlist(name):
        for value in raw.split(","):
            value = value.strip()
            if not value:
                continue
            if value not in allowed:
                raise bad(
                    "api.unknown_value", name, value=value[:80], accepted=", ".join(sorted(allowed))
                )
            values.append(value)
    return tuple(dict.fromkeys(values))


def proposal_filter(query: QueryParams, owner_codes: Collection[str]) -> ProposalFilter:
    """The table's filters (`theme`, `status`, `owner`, `q`), strictly read."""
    text = single(query, "q") or ""
    if len(text) > MAX_QUERY:
        raise bad("api.too_long", "q", limit=MAX_QUERY)
    return ProposalFilter(
        themes=codes(query, "theme", [t.value for t in Theme]),
        statuses=codes(query, "status", [s.value for s in Status]),
        owners=codes(query, "owner", owner_codes),
        query=text,
    )


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size


def page(query: QueryParams) -> Page:
    number = whole_number(single(query, "page"), "page", 1)
    size = whole_number(single(query, "per_page"), "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    return Page(number, size)


def proposal_number(raw: str) -> int:
    return whole_number(raw, "n", 0)
