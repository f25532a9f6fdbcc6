"""The rules of follow-up data, enforced where data is written."""

import pytest

from tracker.domain.rules import normalise_progress
from tracker.domain.vocabulary import Status
from tracker.errors import ValidationError


@pytest.mark.parametrize(
    ("status", "given", "kept"),
    [
        (Status.REALISEE, None, 100),
        (Status.REALISEE, 100, 100),
        (Status.NON_ENGAGEE, None, 0),
        (Status.NON_ENGAGEE, "0", 0),
        (Status.NON_EVALUEE, None, None),
        (Status.NON_EVALUEE, "", None),
        (Status.ENGAGEE, 35, 35),
        (Status.ENGAGEE, "35", 35),
        (Status.ENGAGEE, 35.0, 35),
        (Status.EN_SUSPENS, 0, 0),
        (Status.ABANDONNEE, 60, 60),
        (Status.PARTIELLEMENT_REALISEE, 100, 100),
    ],
)
def test_progress_accepted(status, given, kept):
    assert normalise_progress(status, given) == kept


@pytest.mark.parametrize(
    ("status", "given", "key"),
    [
        (Status.REALISEE, 90, "error.progress_done"),
        (Status.NON_ENGAGEE, 10, "error.progress_not_started"),
        (Status.NON_EVALUEE, 0, "error.progress_when_not_assessed"),
        (Status.ENGAGEE, None, "error.progress_required"),
        (Status.ENGAGEE, 101, "error.progress_range"),
        (Status.ENGAGEE, -1, "error.progress_range"),
        (Status.ENGAGEE, 12.5, "error.progress_not_integer"),
        (Status.ENGAGEE, "douze", "error.progress_not_integer"),
        (Status.ENGAGEE, True, "error.progress_not_integer"),
    ],
)
def test_progress_refused_with_a_named_reason(status, given, key):
    with pytest.raises(ValidationError) as raised:
        normalise_progress(status, given)
    assert raised.value.key == key
