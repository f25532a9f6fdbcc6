"""The tracker's one vocabulary: themes, statuses, kinds of organisation, wording states.

Every label, colour and icon shown anywhere comes from here. Codes are stable
identifiers (stored in the database, used in URLs and files); labels are for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


@dataclass(frozen=True)
class Term:
    """How one vocabulary member is shown: labels, definitions, colour, icon."""

    fr: str
    en: str
    definition_fr: str = ""
    definition_en: str = ""
    colour: str = "#5f6368"
    icon: str = ""

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_fr


class _Vocabulary(StrEnum):
    """Base of every vocabulary enum: a code with its `Term`."""

    @property
    def term(self) -> Term:
        return _TERMS[self]

    def label(self, lang: str) -> str:
        return self.term.label(lang)

    def definition(self, lang: str) -> str:
        return self.term.definition(lang)

    @property
    def colour(self) -> str:
        return self.term.colour

    @property
    def icon(self) -> str:
        return self.term.icon

    def badge(self, lang: str) -> str:
        """Icon and label together: status is never told by colour alone."""
        return f"{self.icon} {self.label(lang)}".strip()

    @classmethod
    def parse(cls, value: str | None):
        """The member for a code, or None when the code is unknown."""
        if value is None:
            return None
        try:
            return cls(str(value).strip())
        except ValueError:
            return None


class Theme(_Vocabulary):
    CONNECTEE = "connectee"
    DURABLE = "durable"
    SOLIDAIRE = "solidaire"


class Status(_Vocabulary):
    NON_EVALUEE = "non_evaluee"
    NON_ENGAGEE = "non_engagee"
    ENGAGEE = "engagee"
    PARTIELLEMENT_REALISEE = "partiellement_realisee"
    REALISEE = "realisee"
    EN_SUSPENS = "en_suspens"
    ABANDONNEE = "abandonnee"

    @property
    def is_assessed(self) -> bool:
        return self is not Status.NON_EVALUEE

    @property
    def rank(self) -> int | None:
        """Its place on the way from not assessed to completed; None for
        stalled and dropped, which are not steps on that way."""
        ladder = (
            Status.NON_EVALUEE,
            Status.NON_ENGAGEE,
            Status.ENGAGEE,
            Status.PARTIELLEMENT_REALISEE,
            Status.REALISEE,
        )
        return ladder.index(self) if self in ladder else None

    @property
    def counts_in_progress(self) -> bool:
        """Whether the proposal's progress enters averages.

        Not-yet-assessed proposals have no progress (never 0 %), and dropped
        ones no longer have a target to progress towards.
        """
        return self not in (Status.NON_EVALUEE, Status.ABANDONNEE)


class OrganisationKind(_Vocabulary):
    ETAT = "etat"
    AGENCE = "agence"
    ASSOCIATION = "association"
    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    REGION = "region"
    ACADEMIQUE = "academique"
    AUTRE = "autre"

    @property
    def is_local_authority(self) -> bool:
        return self in (
            OrganisationKind.COMMUNE,
            OrganisationKind.EPCI,
            OrganisationKind.DEPARTEMENT,
            OrganisationKind.REGION,
        )


class WordingStatus(_Vocabulary):
    VERBATIM = "verbatim"
    SUMMARY = "summary"
    RECONSTRUCTED = "reconstructed"


class Role(_Vocabulary):
    VISITOR = "visitor"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    ADMINISTRATOR = "administrator"
    SYSTEM = "system"


class AlertKind(_Vocabulary):
    """What a reviewer expects to be warned about before a review session."""

    STALLED = "stalled"
    STALE = "stale"
    OVERDUE = "overdue"
    REGRESSING = "regressing"
    DECISION_OVERDUE = "decision_overdue"
    # Consistency: the data contradicts itself, someone should look.
    PROGRESS_UNASSESSED = "progress_unassessed"
    CONTRIBUTION_AHEAD = "contribution_ahead"
    DECISION_ON_DONE = "decision_on_done"


class ContributionState(_Vocabulary):
    """Where a local authority's contribution stands in its review.

    draft → submitted → validated, or returned (with the reviewer's comment)
    → resubmitted → validated. A validated contribution that its author edits
    is resubmitted; the public keeps seeing the last validated version.
    """

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    VALIDATED = "validated"

    @property
    def awaits_review(self) -> bool:
        return self in (ContributionState.SUBMITTED, ContributionState.RESUBMITTED)

    @property
    def may_edit(self) -> bool:
        """Its author may always correct it (a validated one goes back to review)."""
        return True

    @property
    def may_submit(self) -> bool:
        """Only a draft, or one the secretariat returned, goes to review."""
        return self in (ContributionState.DRAFT, ContributionState.RETURNED)

    @property
    def may_delete(self) -> bool:
        """A draft or a returned one, if it was never validated (the caller
        checks that): what the public saw once is never erased."""
        return self in (ContributionState.DRAFT, ContributionState.RETURNED)

    @property
    def once_submitted(self) -> ContributionState:
        """The state a submission leads to."""
        if self is ContributionState.RETURNED:
            return ContributionState.RESUBMITTED
        return ContributionState.SUBMITTED


class SessionState(_Vocabulary):
    """Where a working-group session stands: planned → held → minutes published."""

    PLANNED = "planned"
    HELD = "held"
    PUBLISHED = "published"

    @property
    def was_held(self) -> bool:
        """Held (its minutes published or not): briefings compare from it."""
        return self is not SessionState.PLANNED

    @property
    def may_hold(self) -> bool:
        return self is SessionState.PLANNED

    @property
    def may_record(self) -> bool:
        """Follow-up updates and decisions are recorded once it is held, until
        its minutes are published."""
        return self is SessionState.HELD

    @property
    def may_publish(self) -> bool:
        return self is SessionState.HELD

    @property
    def is_public(self) -> bool:
        """Its minutes are public."""
        return self is SessionState.PUBLISHED


class SessionFormat(_Vocabulary):
    IN_PERSON = "in_person"
    VIDEO = "video"


class DecisionState(_Vocabulary):
    """A decision stays open until it is done or dropped."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_closed(self) -> bool:
        return self is not DecisionState.OPEN


# Colours: from the DSFR (Système de design de l'État) palette, each dark enough
# for text contrast on white. Status icons are plain Unicode shapes found in
# common fonts (a filling circle for progress), so they also print in PDFs.
_TERMS: dict[_Vocabulary, Term] = {
    Theme.CONNECTEE: Term("Connectée", "Connected", colour="#0063cb"),
    Theme.DURABLE: Term("Durable", "Sustainable", colour="#18753c"),
    Theme.SOLIDAIRE: Term("Solidaire", "Inclusive", colour="#a94645"),
    Status.NON_EVALUEE: Term(
        "Non évaluée",
        "Not yet assessed",
        "Personne n’a encore évalué l’avancement de la proposition. "
        "Elle est comptée à part et jamais comme 0 %.",
        "Nobody has assessed the proposal's progress yet. It is counted apart and never as 0%.",
        colour="#666666",
        icon="◌",
    ),
    Status.NON_ENGAGEE: Term(
        "Non engagée",
        "Not started",
        "La proposition a été évaluée : rien n’a encore été engagé (0 %).",
        "The proposal has been assessed: nothing has started yet (0%).",
        colour="#7b4b94",
        icon="○",
    ),
    Status.ENGAGEE: Term(
        "Engagée",
        "In progress",
        "Des actions sont en cours pour mettre en œuvre la proposition.",
        "Actions are under way to implement the proposal.",
        colour="#0063cb",
        icon="◔",
    ),
    Status.PARTIELLEMENT_REALISEE: Term(
        "Partiellement réalisée",
        "Partially done",
        "Une partie substantielle de la proposition est réalisée.",
        "A substantial part of the proposal has been achieved.",
        colour="#716043",
        icon="◑",
    ),
    Status.REALISEE: Term(
        "Réalisée",
        "Done",
        "La proposition est entièrement mise en œuvre (100 %).",
        "The proposal is fully implemented (100%).",
        colour="#18753c",
        icon="●",
    ),
    Status.EN_SUSPENS: Term(
        "En suspens",
        "Stalled",
        "La mise en œuvre a commencé puis s’est arrêtée ; des freins sont à lever.",
        "Implementation started, then stopped; there are blockers to remove.",
        colour="#b34000",
        icon="⚠",
    ),
    Status.ABANDONNEE: Term(
        "Abandonnée ou sans objet",
        "Dropped",
        "La proposition a été abandonnée ou est devenue sans objet ; "
        "elle sort des moyennes d’avancement.",
        "The proposal was dropped or is no longer relevant; it is left out of progress averages.",
        colour="#3a3a3a",
        icon="✕",
    ),
    OrganisationKind.ETAT: Term("État", "State"),
    OrganisationKind.AGENCE: Term("Agence ou établissement public", "Public agency"),
    OrganisationKind.ASSOCIATION: Term("Association", "Association"),
    OrganisationKind.COMMUNE: Term("Commune", "Municipality"),
    OrganisationKind.EPCI: Term("EPCI ou métropole", "Inter-municipality or metropolis"),
    OrganisationKind.DEPARTEMENT: Term("Département", "Département"),
    OrganisationKind.REGION: Term("Région", "Region"),
    OrganisationKind.ACADEMIQUE: Term("Établissement académique", "Academic institution"),
    OrganisationKind.AUTRE: Term("Autre", "Other"),
    WordingStatus.VERBATIM: Term(
        "Texte du rapport",
        "Report's wording",
        "Le libellé est celui du rapport, mot pour mot.",
        "The wording is the report's own, word for word.",
    ),
    WordingStatus.SUMMARY: Term(
        "Résumé d’une source publique",
        "Summary from a public source",
        "Le libellé résume ce qu’en disent des sources publiques citées ; "
        "ce n’est pas le texte du rapport.",
        "The wording summarises what cited public sources say; it is not the report's text.",
        colour="#716043",
    ),
    WordingStatus.RECONSTRUCTED: Term(
        "Libellé reconstitué",
        "Reconstructed wording",
        "Le libellé a été reconstitué à partir des thèmes du rapport, faute d’accès "
        "au texte : il reste à remplacer par celui du rapport.",
        "The wording was reconstructed from the report's themes, the text being "
        "unavailable: it is to be replaced with the report's own.",
        colour="#b34000",
    ),
    AlertKind.STALLED: Term(
        "En suspens",
        "Stalled",
        "La mise en œuvre s’est arrêtée : des freins sont à lever.",
        "Implementation has stopped: there are blockers to remove.",
        colour="#b34000",
        icon="⚠",
    ),
    AlertKind.STALE: Term(
        "Sans évaluation depuis plus de six mois",
        "No assessment for over six months",
        "Jamais évaluée, ou dernière évaluation il y a plus de six mois.",
        "Never assessed, or last assessed more than six months ago.",
        colour="#716043",
        icon="◷",
    ),
    AlertKind.OVERDUE: Term(
        "Échéance dépassée",
        "Target date passed",
        "L’échéance est passée et la proposition n’est pas réalisée.",
        "The target date has passed and the proposal is not done.",
        colour="#ce0500",
        icon="⊘",
    ),
    AlertKind.DECISION_OVERDUE: Term(
        "Décision en retard",
        "Decision overdue",
        "Une décision du groupe de travail sur cette proposition a passé son échéance "
        "sans être réalisée ni abandonnée.",
        "A decision of the working group on this proposal is past its due date, "
        "neither done nor dropped.",
        colour="#ce0500",
        icon="⚑",
    ),
    AlertKind.PROGRESS_UNASSESSED: Term(
        "Avancement changé sans évaluation",
        "Progress changed without an assessment",
        "L’avancement a changé après la date de la dernière évaluation : "
        "la date d’évaluation n’a pas été mise à jour.",
        "The progress changed after the date of the last assessment: "
        "the assessment date was not updated.",
        colour="#716043",
        icon="≠",
    ),
    AlertKind.CONTRIBUTION_AHEAD: Term(
        "Contribution plus avancée que la proposition",
        "Contribution ahead of its proposal",
        "Une contribution validée annonce un statut plus avancé que celui de la proposition.",
        "A validated contribution reports a more advanced status than its proposal's.",
        colour="#716043",
        icon="⇡",
    ),
    AlertKind.DECISION_ON_DONE: Term(
        "Décision ouverte sur une proposition réalisée",
        "Open decision on a completed proposal",
        "La proposition est réalisée mais une décision la concernant reste ouverte.",
        "The proposal is completed but a decision about it is still open.",
        colour="#716043",
        icon="⚐",
    ),
    AlertKind.REGRESSING: Term(
        "Avancement en recul",
        "Progress going backwards",
        "La dernière évaluation a fait baisser l’avancement.",
        "The latest assessment lowered the progress.",
        colour="#a94645",
        icon="↘",
    ),
    Role.VISITOR: Term("Visiteur", "Visitor"),
    Role.CONTRIBUTOR: Term("Contributeur", "Contributor"),
    Role.REVIEWER: Term("Secrétariat (relecture)", "Reviewer"),
    Role.ADMINISTRATOR: Term("Administrateur", "Administrator"),
    Role.SYSTEM: Term("Système", "System"),
    ContributionState.DRAFT: Term(
        "Brouillon",
        "Draft",
        "Visible seulement par son organisation, qui peut le modifier ou le supprimer.",
        "Seen only by its organisation, which may edit or delete it.",
        colour="#666666",
        icon="✎",
    ),
    ContributionState.SUBMITTED: Term(
        "Soumise",
        "Submitted",
        "En attente de relecture par le secrétariat de la CNCD.",
        "Waiting for the CNCD secretariat's review.",
        colour="#0063cb",
        icon="➜",
    ),
    ContributionState.RETURNED: Term(
        "Renvoyée",
        "Returned",
        "Renvoyée à son organisation avec le commentaire du secrétariat, à corriger.",
        "Sent back to its organisation with the secretariat's comment, to be corrected.",
        colour="#b34000",
        icon="↩",
    ),
    ContributionState.RESUBMITTED: Term(
        "Soumise à nouveau",
        "Resubmitted",
        "Corrigée ou modifiée après relecture, de nouveau en attente de relecture.",
        "Corrected or edited after review, waiting for review again.",
        colour="#716043",
        icon="⟳",
    ),
    ContributionState.VALIDATED: Term(
        "Validée",
        "Validated",
        "Validée par le secrétariat : publique et comptée dans les chiffres.",
        "Validated by the secretariat: public and counted in the figures.",
        colour="#18753c",
        icon="✓",
    ),
    SessionState.PLANNED: Term(
        "Prévue",
        "Planned",
        "La séance est prévue : son ordre du jour se prépare.",
        "The session is planned: its agenda is being prepared.",
        colour="#0063cb",
        icon="◴",
    ),
    SessionState.HELD: Term(
        "Tenue",
        "Held",
        "La séance a eu lieu : ses mises à jour et ses décisions s'enregistrent.",
        "The session took place: its updates and decisions are being recorded.",
        colour="#716043",
        icon="●",
    ),
    SessionState.PUBLISHED: Term(
        "Compte rendu publié",
        "Minutes published",
        "Le compte rendu de la séance est public.",
        "The session's minutes are public.",
        colour="#18753c",
        icon="✓",
    ),
    SessionFormat.IN_PERSON: Term("En présentiel", "In person"),
    SessionFormat.VIDEO: Term("En visioconférence", "Video conference"),
    DecisionState.OPEN: Term(
        "Ouverte", "Open", "À réaliser.", "To be carried out.", colour="#0063cb", icon="○"
    ),
    DecisionState.DONE: Term(
        "Réalisée",
        "Done",
        "La décision a été mise en œuvre.",
        "Carried out.",
        colour="#18753c",
        icon="✓",
    ),
    DecisionState.DROPPED: Term(
        "Abandonnée",
        "Dropped",
        "Le groupe de travail y a renoncé.",
        "The working group gave it up.",
        colour="#666666",
        icon="✕",
    ),
}

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
STALE_AFTER_DAYS = 183  # "no assessment for over six months"
# The follow-up starts when the CNCD adopted the report in plenary session.
ADOPTION_DATE = date(2018, 7, 5)
