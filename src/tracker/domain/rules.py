"""Rules of the follow-up data, enforced wherever data is written."""

from __future__ import annotations

from tracker.domain.text import is_ascii_integer
from tracker.domain.vocabulary import Status
from tracker.errors import ValidationError


def normalise_progress(status: Status, progress: object) -> int | None:
    """The progress a proposal may hold with this status, or ValidationError.

    - "not yet assessed" has no progress at all (never 0 %);
    - "not started" is 0; "done" is 100, and filled in when left empty;
    - every other status needs an integer from 0 to 100.
    """
    if progress is None or (isinstance(progress, str) and not progress.strip()):
        value = None
    elif isinstance(progress, bool):
        raise ValidationError("error.progress_not_integer", value=progress)
    elif isinstance(progress, int):
        value = progress
    elif isinstance(progress, float) and progress.is_integer():
        value = int(progress)
    elif isinstance(progress, str) and is_ascii_integer(progress.strip()):
        value = int(progress.strip())
    else:
        raise ValidationError("error.progress_not_integer", value=progress)

    if status is Status.NON_EVALUEE:
        if value is not None:
            raise ValidationError("error.progress_when_not_assessed")
        return None
    if status is Status.NON_ENGAGEE:
        if value not in (None, 0):
            raise ValidationError("error.progress_not_started", value=value)
        return 0
    if status is Status.REALISEE:
        if value not in (None, 100):
            raise ValidationError("error.progress_done", value=value)
        return 100
    if value is None:
        raise ValidationError("error.progress_required")
    if not 0 <= value <= 100:
        raise ValidationError("error.progress_range", value=value)
    return value
