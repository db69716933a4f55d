"""Ballot papers: one PDF per governorate for the general seats, and one per component
with candidacies there (domain brief, sections 2 and 4; docs/ballots.md): what is on
each ballot, read from the database. :mod:`shafaf.entities.ballot_paper` draws it.

A ballot shows every certified list in ballot-number order: its number, its Arabic
name, its logo, and the sequence numbers of its approved candidates. The voter marks
one list and, optionally, one candidate number of that list, as on IHEC's 2023
ballot. Candidates' names are not printed (1,500 names would not stay legible on
Baghdad's ballot); they are published with the lists.

A ballot can only be made once every list on it has its number from the lottery
and every candidate their sequence number: until then :class:`BallotNotReady`.
The public specimens are published once per content (:mod:`shafaf.publication`):
drawn when first asked for or by ``shafaf publish ballots``, then served as files.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from shafaf import __version__
from shafaf.audit.actions import take_checkpoint
from shafaf.core.certification import CandidateState, ListState
from shafaf.core.names import without_bidi_controls
from shafaf.core.refusal import Refused
from shafaf.elections.models import Component, Contest, Election, Governorate
from shafaf.entities import labels, logos
from shafaf.entities.ballot_paper import grid_uri, logo_uri, render
from shafaf.entities.models import Candidate, Entity, ListKind, NominationList
from shafaf.publication import store
from shafaf.publication.store import Published

# The general ballot holds the general lists and the individual candidacies; each
# component's candidacies are on a ballot of their own.
GENERAL_KINDS = (ListKind.GENERAL, ListKind.INDIVIDUAL)


class BallotUnavailable(Refused):
    """There is no ballot to give for this request: a refusal with its code and
    figures; ``str()`` says why in the active language."""


class NoSuchBallot(BallotUnavailable):
    """Unknown governorate or component, or no certified list stands on that ballot."""

    def __init__(self, *, governorate: str, component: str | None, reason: str) -> None:
        self.governorate = governorate
        self.component = component
        self.reason = reason  # "governorate", "component" or "empty"
        super().__init__("no_such_ballot", governorate=governorate, component=component,
                         reason=reason)

    def __str__(self) -> str:
        if self.reason == "governorate":
            return _("This election has no contest in the governorate %(code)s.") % {
                "code": self.governorate}
        if self.reason == "component":
            return _("There is no component %(component)s.") % {"component": self.component}
        return _("No certified list stands on this ballot in %(code)s.") % {
            "code": self.governorate}


class BallotNotReady(BallotUnavailable):
    """Some list on the ballot has no ballot number yet (the lottery is not drawn or
    not published), or some candidate no sequence number: printing now would print
    the wrong ballot."""

    def __init__(self, *, unnumbered: list[str], unsequenced: int) -> None:
        self.unnumbered = unnumbered  # the Arabic names of the lists without a number
        self.unsequenced = unsequenced  # approved candidates without a sequence number
        super().__init__("ballot_not_ready", unnumbered=len(unnumbered),
                         unsequenced=unsequenced)

    def __str__(self) -> str:
        parts = []
        if self.unnumbered:
            parts.append(_("%(count)d list(s) on this ballot have no ballot number yet: "
                           "the lottery of ballot numbers has not been drawn and published.")
                         % {"count": len(self.unnumbered)})
        if self.unsequenced:
            parts.append(_("%(count)d candidate(s) on this ballot have no sequence number "
                           "yet.") % {"count": self.unsequenced})
        return " ".join(parts)


@dataclass(frozen=True, kw_only=True)
class BallotList:
    """One list as printed: its ballot number, Arabic name and logo (a data: URI), and
    its candidates' sequence numbers. An individual candidacy has no candidate grid:
    marking the list is marking the candidate."""

    number: int
    code: str
    name: str
    logo: str | None
    individual: bool
    candidates: tuple[int, ...]

    @property
    def grid(self) -> str:
        return grid_uri(self.candidates)


@dataclass(frozen=True, kw_only=True)
class UnprintableLogo:
    """An entity's stored logo that a ballot cannot show (stored before logos were
    checked in full at registration): the ballot is made without it, and the
    Commission is told before printing."""

    code: str
    name: str
    problem: str
    figures: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return _("The logo of %(name)s (%(code)s) cannot be printed and is left off "
                 "its ballots: %(problem)s") % {
            "name": self.name, "code": self.code,
            "problem": labels.refusal_text(self.problem, dict(self.figures))}


def unprintable_logos(entities: Iterable[Entity]) -> list[UnprintableLogo]:
    """The entities among ``entities`` whose stored logo a ballot cannot show."""
    found = []
    for entity in entities:
        if not entity.logo:
            continue
        checked = logos.printable(bytes(entity.logo))
        if checked.problem is not None:
            found.append(UnprintableLogo(code=entity.code, name=entity.name_ar,
                                         problem=checked.problem, figures=checked.figures))
    return found


def election_unprintable_logos(election: Election) -> list[UnprintableLogo]:
    """Every entity of ``election`` whose logo its ballots will leave off."""
    return unprintable_logos(Entity.objects.filter(election=election, logo__isnull=False)
                             .order_by("code").only("code", "name_ar", "logo"))


@dataclass(frozen=True, kw_only=True)
class Ballot:
    election_code: str
    election_name: str
    governorate_code: str
    governorate_name: str
    component: str | None
    component_name: str
    lists: tuple[BallotList, ...]

    @property
    def candidate_count(self) -> int:
        return sum(len(entry.candidates) for entry in self.lists)

    @property
    def filename(self) -> str:
        suffix = f"-{self.component}" if self.component else ""
        return f"ballot-{self.election_code}-{self.governorate_code}{suffix}.pdf"

    def fingerprint(self) -> str:
        """SHA-256 of everything printed: equal fingerprints, equal ballots."""
        text = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class BallotLink:
    """One ballot of a governorate in the index: ``ready`` once every list on it has
    its number."""

    component: str | None
    lists: int
    ready: bool

    @property
    def label(self) -> str:
        """The component's name in the reader's language ("" for the general ballot)."""
        return str(Component(self.component).label) if self.component else ""


@dataclass(frozen=True, kw_only=True)
class GovernorateBallots:
    governorate: Governorate
    general: BallotLink | None
    components: tuple[BallotLink, ...]


def normalise_component(value: str) -> str:
    """``Sabean-Mandaean``, ``sabean mandaean`` and ``sabean_mandaean`` are one code."""
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def build(*, election: Election, governorate: str, component: str | None = None) -> Ballot:
    """The ballot of ``governorate`` (an ISO code such as ``IQ-BG``) for the general
    seats, or for ``component``'s seats. Three queries whatever the size."""
    code = governorate.strip().upper()
    component = normalise_component(component) if component else None
    if component is not None and component not in Component.values:
        raise NoSuchBallot(governorate=code, component=component, reason="component")
    contest = (Contest.objects.select_related("governorate")
               .filter(election=election, governorate__code=code).first())
    if contest is None:
        raise NoSuchBallot(governorate=code, component=component, reason="governorate")
    lists = NominationList.objects.filter(contest=contest, status=ListState.CERTIFIED)
    lists = (lists.filter(kind=ListKind.COMPONENT, component=component) if component
             else lists.filter(kind__in=GENERAL_KINDS))
    nominations = list(lists.select_related("entity")
                       .order_by("entity__ballot_number", "entity__code"))
    if not nominations:
        raise NoSuchBallot(governorate=code, component=component, reason="empty")
    sequences: dict[int, list[int | None]] = {n.pk: [] for n in nominations}
    for nomination_id, sequence in (
            Candidate.objects.filter(nomination__in=[n.pk for n in nominations],
                                     status=CandidateState.APPROVED)
            .order_by("nomination_id", "sequence", "position")
            .values_list("nomination_id", "sequence")):
        sequences[nomination_id].append(sequence)
    unnumbered = [n.entity.name_ar for n in nominations if n.entity.ballot_number is None]
    unsequenced = sum(s is None for numbers in sequences.values() for s in numbers)
    if unnumbered or unsequenced:
        raise BallotNotReady(unnumbered=unnumbered, unsequenced=unsequenced)
    with translation.override("ar"):
        component_name = str(Component(component).label) if component else ""
    return Ballot(
        election_code=election.code, election_name=election.name_ar,
        governorate_code=code, governorate_name=contest.governorate.name_ar,
        component=component, component_name=component_name,
        lists=tuple(
            BallotList(number=n.entity.ballot_number or 0, code=n.entity.code,
                       # A control stored before names refused them would reorder
                       # the printed name: the ballot prints the letters only.
                       name=without_bidi_controls(n.entity.name_ar),
                       logo=logo_uri(n.entity.logo),
                       individual=n.kind == ListKind.INDIVIDUAL,
                       candidates=tuple(s for s in sequences[n.pk] if s is not None))
            for n in nominations))


def index(election: Election) -> list[GovernorateBallots]:
    """Every governorate of the election with the ballots it will have: the general
    one and one per component with certified candidacies. One query for the lists."""
    counts = (NominationList.objects
              .filter(contest__election=election, status=ListState.CERTIFIED)
              .values("contest_id", "component")
              .annotate(lists=Count("pk"),
                        unnumbered=Count("pk", filter=Q(entity__ballot_number__isnull=True)))
              .order_by("contest_id", "component"))
    by_contest: dict[int, list[BallotLink]] = {}
    for row in counts:
        by_contest.setdefault(row["contest_id"], []).append(BallotLink(
            component=row["component"] or None, lists=row["lists"],
            ready=row["unnumbered"] == 0))
    contests = Contest.objects.filter(election=election).select_related("governorate")
    governorates = []
    for contest in contests.order_by("governorate__code"):
        links = by_contest.get(contest.pk, [])
        governorates.append(GovernorateBallots(
            governorate=contest.governorate,
            general=next((link for link in links if link.component is None), None),
            components=tuple(link for link in links if link.component is not None)))
    return governorates


def specimen_key(ballot: Ballot) -> str:
    """Names the public specimen's PDF: its content and the version that drew it (the
    published file's name, and the page's ETag)."""
    return hashlib.sha256(f"{__version__}:{ballot.fingerprint()}".encode()).hexdigest()


def specimen_slot(ballot: Ballot) -> str:
    """Where the specimen is published: one slot per election, governorate and
    component, whose file is replaced when what the ballot shows changes."""
    suffix = f"-{ballot.component}" if ballot.component else ""
    return f"ballots/{ballot.election_code}/{ballot.governorate_code}{suffix}"


def publish_specimen(ballot: Ballot) -> Published:
    """The public specimen's PDF, drawn once per content and kept as a file: a
    governorate's ballot takes seconds to draw, and everyone downloads the same."""
    return store.publish(specimen_slot(ballot), specimen_key(ballot),
                         lambda: render(ballot, specimen=True).pdf, suffix=".pdf")


def publish_all(election: Election) -> list[tuple[str, str | None, Published | str]]:
    """Publish every ballot of ``election`` that can be printed: (governorate,
    component, the published file or why there is none) for each ballot of the
    index."""
    done: list[tuple[str, str | None, Published | str]] = []
    for entry in index(election):
        links = [link for link in (entry.general, *entry.components) if link is not None]
        for link in links:
            code = entry.governorate.code
            try:
                ballot = build(election=election, governorate=code, component=link.component)
            except BallotUnavailable as unavailable:
                done.append((code, link.component, str(unavailable)))
                continue
            done.append((code, link.component, publish_specimen(ballot)))
    take_checkpoint()  # a publication: the commission signs the chain as it stands
    return done
