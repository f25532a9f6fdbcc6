"""Who acts, and what each role may do. Every service that changes data calls
`require` before it writes anything."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.domain.vocabulary import Role
from tracker.errors import PermissionDenied


class Action(StrEnum):
    EDIT_FOLLOWUP = "edit_followup"
    EDIT_CATALOGUE = "edit_catalogue"
    LOAD_DATA = "load_data"
    RECORD_REVIEW_SESSION = "record_review_session"
    CONTRIBUTE = "contribute"  # for one's own organisation; any, for an administrator
    REVIEW = "review"  # validate or return submitted contributions
    SEE_PRIVATE = "see_private"  # drafts, contacts, authors: not public
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_ORGANISATIONS = "manage_organisations"
    READ_AUDIT = "read_audit"


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.VISITOR: frozenset(),
    Role.CONTRIBUTOR: frozenset({Action.CONTRIBUTE}),
    Role.REVIEWER: frozenset(
        {Action.EDIT_FOLLOWUP, Action.REVIEW, Action.SEE_PRIVATE, Action.RECORD_REVIEW_SESSION}
    ),
    Role.ADMINISTRATOR: frozenset(Action),
    Role.SYSTEM: frozenset(Action),
}


@dataclass(frozen=True)
class Actor:
    """The person (or process) on whose behalf a service runs."""

    name: str
    role: Role
    organisation_id: int | None = None
    account_id: int | None = None
    email: str = ""

    @property
    def account(self) -> str:
        """Who the records name: the account's e-mail, or the process's name."""
        return self.email or self.name

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None

    def may(self, action: Action) -> bool:
        return action in _ALLOWED[self.role]


SYSTEM = Actor("Système", Role.SYSTEM)
VISITOR = Actor("Visiteur", Role.VISITOR)


def require(actor: Actor, action: Action) -> None:
    if not actor.may(action):
        raise PermissionDenied("error.permission_denied", action=action.value)
