"""What the website holds: live publications, withdrawal notices, and the ways to browse them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pipeline.content.model import BriefStatus, ReviewStatus
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.publish.text import slug
from pipeline.published import AGE_GROUPS, PublishedDocument, publishable

Entry = ReviewEntry | BriefEntry

# How each kind of publication is named in browsing, in the order it is listed.
TYPE_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("rapid_review", "rapid-review", "Rapid reviews"),
    ("lcspr", "lcspr", "Local child safeguarding practice reviews"),
    ("brief", "learning-brief", "Learning briefs"),
)


class Withdrawal(StrEnum):
    """Why a page that was once published is now a short notice."""

    EXPIRED = "expired"  # its `available_until` date has passed
    WITHDRAWN = "withdrawn"  # the partnership set its status to withdrawn


@dataclass(frozen=True)
class Candidate:
    """A review or brief marked for publication, with its public view, before anonymisation."""

    entry: Entry
    document: PublishedDocument

    @property
    def id(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class Notice:
    """A publication that is no longer online: its URL keeps a short withdrawal notice."""

    id: str
    kind: str  # "review" or "brief"
    type_label: str
    published: dt.date
    available_until: dt.date | None
    reason: Withdrawal

    @property
    def path(self) -> str:
        return item_path(self.kind, self.id)


@dataclass(frozen=True)
class Selection:
    """Every review and brief the site has a page for, sorted into what is live and what is not."""

    candidates: list[Candidate]
    notices: list[Notice]


def item_path(kind: str, item_id: str) -> str:
    """Return the page path (without slashes at either end) of a review or brief."""
    return f"{'briefs' if kind == 'brief' else 'reviews'}/{item_id}"


def select(project: Project) -> Selection:
    """Sort content into publications to build and notices for those no longer online."""
    today = project.today
    candidates: list[Candidate] = []
    notices: list[Notice] = []
    for entry, document in publishable(project):
        until = document.available_until
        if until is not None and until < today and document.published is not None:
            notices.append(
                Notice(
                    entry.id,
                    document.kind,
                    document.type_label,
                    document.published,
                    until,
                    Withdrawal.EXPIRED,
                )
            )
        else:
            candidates.append(Candidate(entry, document))
    for review_entry in project.reviews:
        review = review_entry.review
        if review.status is ReviewStatus.WITHDRAWN and review.dates.published is not None:
            notices.append(
                Notice(
                    review.id,
                    "review",
                    review.type.label,
                    review.dates.published,
                    review.dates.available_until,
                    Withdrawal.WITHDRAWN,
                )
            )
    for brief_entry in project.briefs:
        brief = brief_entry.brief
        if brief.status is BriefStatus.WITHDRAWN and brief.published is not None:
            notices.append(
                Notice(
                    brief.id,
                    "brief",
                    "Learning brief",
                    brief.published,
                    brief.available_until,
                    Withdrawal.WITHDRAWN,
                )
            )
    return Selection(candidates, sorted(notices, key=lambda n: n.id))


@dataclass(frozen=True)
class Download:
    """An anonymised document offered for download from a publication's page."""

    label: str  # "Word document" or "PDF"
    source: Path  # the file in build/anonymised/<id>/
    filename: str  # its name on the site, under downloads/

    @property
    def path(self) -> str:
        return f"downloads/{self.filename}"

    @property
    def size(self) -> int:
        return self.source.stat().st_size


@dataclass(frozen=True)
class Publication:
    """A live publication: its anonymised, approved document and its downloads."""

    document: PublishedDocument
    downloads: tuple[Download, ...] = ()

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def path(self) -> str:
        return item_path(self.document.kind, self.document.id)

    @property
    def published(self) -> dt.date:
        # A live publication always has a date: the content rules require it for `published`.
        return self.document.published or dt.date.min

    @property
    def type_group(self) -> str:
        return "brief" if self.document.kind == "brief" else str(self.document.review_type)


@dataclass(frozen=True)
class Group:
    """One page of a way to browse: a theme, a year, a review type or an age group."""

    slug: str
    title: str
    description: str
    items: tuple[Publication, ...]


@dataclass(frozen=True)
class Browse:
    """A way to browse the publications, with one page per group."""

    key: str  # the folder: themes, years, types, age-groups
    title: str  # "By theme"
    noun: str  # "theme", for sentences
    groups: tuple[Group, ...]

    def group_path(self, group: Group) -> str:
        return f"{self.key}/{group.slug}"


@dataclass(frozen=True)
class Catalogue:
    """Everything the pages are written from."""

    publications: tuple[Publication, ...]  # newest first
    notices: tuple[Notice, ...]
    browse: tuple[Browse, ...] = field(default=())

    def by_id(self, item_id: str) -> Publication | None:
        return next((p for p in self.publications if p.id == item_id), None)

    def browse_for(self, key: str) -> Browse:
        return next(b for b in self.browse if b.key == key)


def catalogue(
    project: Project, publications: list[Publication], notices: list[Notice]
) -> Catalogue:
    """Return the catalogue: publications newest first and the four ways to browse them."""
    live = tuple(sorted(publications, key=lambda p: (p.published, p.id), reverse=True))
    themes = tuple(
        Group(
            theme.id,
            theme.label,
            theme.description or "",
            tuple(p for p in live if theme.id in p.document.themes),
        )
        for theme in project.partnership.themes
    )
    years = tuple(
        Group(str(year), str(year), "", tuple(p for p in live if p.published.year == year))
        for year in sorted({p.published.year for p in live}, reverse=True)
    )
    types = tuple(
        Group(group_slug, title, "", tuple(p for p in live if p.type_group == key))
        for key, group_slug, title in TYPE_GROUPS
    )
    ages = tuple(
        Group(slug(label), label, "", tuple(p for p in live if label in p.document.age_groups))
        for _, label in AGE_GROUPS
    )
    # A group with nothing in it gets no page: "0 publications" helps nobody.
    return Catalogue(
        publications=live,
        notices=tuple(notices),
        browse=tuple(
            Browse(key, title, noun, tuple(g for g in groups if g.items))
            for key, title, noun, groups in (
                ("themes", "By theme", "theme", themes),
                ("years", "By year", "year", years),
                ("types", "By type", "type", types),
                ("age-groups", "By age group", "age group", ages),
            )
        ),
    )
