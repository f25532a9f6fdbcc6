"""Named errors. Each carries a message key and its parameters; `describe` in
`tracker.i18n` turns one into a sentence in the user's language."""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error a user may be shown."""

    key = "error.unexpected"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class ValidationError(TrackerError):
    key = "error.validation"


class NotFound(TrackerError):
    key = "error.not_found"


class PermissionDenied(TrackerError):
    key = "error.permission_denied"


class Conflict(TrackerError):
    key = "error.conflict"


class ServiceUnavailable(TrackerError):
    key = "error.service_unavailable"
