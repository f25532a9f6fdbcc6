"""The one vocabulary: every term has both languages, and status is never told by colour alone."""

import pytest

from tracker.domain.vocabulary import OrganisationKind, Role, Status, Theme, WordingStatus

ALL = [*Theme, *Status, *OrganisationKind, *WordingStatus, *Role]


@pytest.mark.parametrize("member", ALL, ids=lambda m: f"{type(m).__name__}.{m.value}")
def test_every_term_has_a_french_and_an_english_label(member):
    assert member.label("fr").strip()
    assert member.label("en").strip()


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_every_status_has_a_definition_a_colour_and_an_icon(status):
    assert len(status.definition("fr")) > 20
    assert len(status.definition("en")) > 20
    assert status.colour.startswith("#") and len(status.colour) == 7
    assert status.icon


def test_status_icons_are_distinct_so_colour_is_never_the_only_clue():
    assert len({s.icon for s in Status}) == len(Status)


def test_the_issue_labels_are_the_ones_shown():
    assert [s.label("fr") for s in Status] == [
        "Non évaluée",
        "Non engagée",
        "Engagée",
        "Partiellement réalisée",
        "Réalisée",
        "En suspens",
        "Abandonnée ou sans objet",
    ]
    assert [t.label("en") for t in Theme] == ["Connected", "Sustainable", "Inclusive"]
    assert [t.value for t in Theme] == ["connectee", "durable", "solidaire"]


def test_not_assessed_and_dropped_are_left_out_of_progress_averages():
    assert not Status.NON_EVALUEE.counts_in_progress
    assert not Status.ABANDONNEE.counts_in_progress
    assert all(
        s.counts_in_progress for s in Status if s not in (Status.NON_EVALUEE, Status.ABANDONNEE)
    )


def test_unknown_codes_parse_to_none_rather_than_failing():
    assert Theme.parse("xyz") is None
    assert Status.parse(None) is None
    assert Theme.parse(" solidaire ") is Theme.SOLIDAIRE
