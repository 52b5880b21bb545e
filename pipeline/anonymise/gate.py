"""The leak gate: every output is searched again for every known identifier; any hit refuses it.

It uses the same normalisation as detection (Unicode folded, Markdown emphasis removed) and also reads
a copy with whitespace and link/table punctuation collapsed, character references decoded and
underscores dropped, so a name split across a line break, inside a link, spelt with `&#97;` or split
by underscores still counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.anonymise.identifiers import IdentifierSet, identifier_set
from pipeline.anonymise.textview import (
    TextView,
    clean_view,
    collapsed_view,
    has_spelt_out,
    page_reading,
)
from pipeline.errors import LeakError, Problem


@dataclass(frozen=True)
class Leak:
    """A known identifier found in an output."""

    start: int
    end: int
    text: str
    label: str
    kind: str
    review_id: str
    source: str = ""
    field: str = ""
    line: int = 1

    def describe(self) -> str:
        where = f" (listed in {self.source})" if self.source else ""
        return (
            f"{self.text!r} survived: it is a {self.kind.replace('_', ' ')} of {self.label}{where}"
        )


class LeakScanner:
    """Search texts for every identifier and variant of one or more identifier sets."""

    def __init__(self, identifier_sets: Iterable[IdentifierSet]) -> None:
        self.sets = [s for s in identifier_sets if len(s)]

    def scan(self, text: str) -> list[Leak]:
        """Return every known identifier in `text` (offsets in `text`)."""
        views = _views(text)
        return self._found(text, views, [s.for_gate(views) for s in self.sets])

    def _found(
        self, text: str, views: list[TextView], sets: Sequence[IdentifierSet | None]
    ) -> list[Leak]:
        found: dict[tuple[int, int], Leak] = {}
        for identifiers in sets:
            if identifiers is None:
                continue
            for m in (m for view in views for m in identifiers.find_in_view(view, gate=True)):
                ident = m.identifier
                found.setdefault(
                    (m.start, m.end),
                    Leak(
                        m.start,
                        m.end,
                        text[m.start : m.end],
                        ident.label,
                        ident.kind,
                        ident.review_id,
                        ident.source,
                    ),
                )
        return sorted(found.values(), key=lambda leak: (leak.start, leak.end))

    def for_file(self, relative: str) -> LeakScanner:
        return self

    @property
    def fingerprint(self) -> str:
        """Return a hash of what this scanner looks for (a file clean for it stays clean)."""
        return hashlib.sha256(
            "".join(sorted(s.fingerprint for s in self.sets)).encode()
        ).hexdigest()

    def scan_fields(self, fields: Iterable[tuple[str, str]]) -> list[Leak]:
        """Return the leaks of every `(field, text)`, each with its field and line."""
        prepared = [(name, text, _views(text)) for name, text in fields]
        every_view = [view for _, _, views in prepared for view in views]
        sets = [s.for_gate(every_view) for s in self.sets]
        leaks = []
        for name, text, views in prepared:
            for leak in self._found(text, views, sets):
                line = text.count("\n", 0, leak.start) + 1
                leaks.append(_with(leak, field=name, line=line))
        return leaks


def _views(text: str) -> list[TextView]:
    """Return the views the gate reads `text` in (as IdentifierSet.find would); making them is the
    slow part, so they are made once for every set."""
    clean = clean_view(text)
    views = [clean, collapsed_view(text)]
    if clean.origin is not None:
        views.append(clean_view(text, markdown=False))
        if has_spelt_out(text):  # "j a y d e n a dog": the last letter may be the word "a"
            views.append(clean_view(text, last_apart=True))
    return views


def _with(leak: Leak, **changes: Any) -> Leak:
    from dataclasses import replace

    return replace(leak, **changes)


def document_fields(document: Any) -> list[tuple[str, str]]:
    """Return every text a published document carries, free text and generated fields alike: its
    id too, which names its page's address and its downloads."""
    fields = [("id", str(document.id)), *document.text_fields()]
    for name in ("period", "type_label", "incident_outcome"):
        value = getattr(document, name, None)
        if value:
            fields.append((name, str(value)))
    for name in ("themes", "age_groups", "incident_nature", "related"):
        for index, value in enumerate(getattr(document, name, ()) or ()):
            fields.append((f"{name}[{index}]", str(value)))
    for index, section in enumerate(getattr(document, "sections", ())):
        fields.append((f"sections[{index}].title", section.title))
    return fields


def check_document(document: Any, identifier_sets: Sequence[IdentifierSet]) -> None:
    """Raise LeakError listing every known identifier left anywhere in a published document."""
    leaks = LeakScanner(identifier_sets).scan_fields(document_fields(document))
    _refuse(
        document,
        leaks,
        lambda leak: (
            f"{leak.describe()}; the document is refused. Add the form to the person's "
            "`aliases` or the review's `anonymisation.deny`, or reword it"
        ),
    )


def check_publication(document: Any, site: SiteScanner) -> None:
    """Raise LeakError if the site-wide check would refuse anything this document publishes.

    `bscp approve` calls this before it records an approval: the scanner is the one the site gate
    gives the document's own page (its own identifiers and every review's distinctive forms), and
    each field is read both as written and as the gate reads a page (`page_reading`), so nothing
    approved can stop the site. A form another review lists is named with that review, for the
    reviewer to settle.
    """
    folder = "briefs" if getattr(document, "kind", "review") == "brief" else "reviews"
    scanner = site.for_file(f"{folder}/{document.id}/index.html")
    fields = document_fields(document)
    leaks = scanner.scan_fields(fields)
    leaks += scanner.scan_fields(
        (f"{name} (as the page reads)", page_reading(text)) for name, text in fields
    )
    unique = {
        (leak.field.removesuffix(" (as the page reads)"), leak.review_id, leak.label): leak
        for leak in leaks
    }
    _refuse(document, list(unique.values()), lambda leak: _publication_message(document, leak))


def _publication_message(document: Any, leak: Leak) -> str:
    if leak.review_id == document.id:
        return (
            f"{leak.describe()}; the document is refused. Add the form to the person's "
            "`aliases` or the review's `anonymisation.deny`, or reword it"
        )
    return (
        f"{leak.text!r} is listed in {leak.review_id} (a "
        f"{leak.kind.replace('_', ' ')} published there as {leak.label!r}) and survived here; "
        "the document is refused. If it names someone or somewhere in this review too, list it "
        "in this review's people or places or its `anonymisation.deny`; otherwise reword it"
    )


def _refuse(document: Any, leaks: list[Leak], message: Callable[[Leak], str]) -> None:
    if leaks:
        raise LeakError(
            [
                Problem(f"build/anonymised/{document.id}", leak.line, leak.field, message(leak))
                for leak in leaks
            ]
        )


class SiteScanner:
    """The site-wide gate: every file against the distinctive forms of every review and brief, and
    a publication's own page and downloads against all the forms of that publication."""

    def __init__(self, sets: dict[str, IdentifierSet]) -> None:
        self.sets = sets
        self.common = LeakScanner(
            [IdentifierSet.combined("every review", [s.distinctive() for s in sets.values()])]
        )
        self._own: dict[str, LeakScanner] = {}

    @classmethod
    def for_project(cls, project: Any) -> SiteScanner:
        """Return the scanner for every review and brief of a project."""
        return cls({e.id: identifier_set(e, project) for e in [*project.reviews, *project.briefs]})

    def for_file(self, relative: str) -> LeakScanner:
        """Return the scanner for a file of the site (a path like `reviews/<id>/index.html`)."""
        owner = _owner(relative)
        if owner not in self.sets:
            return self.common
        if owner not in self._own:
            own = self.sets[owner].without_bare_initials()
            self._own[owner] = LeakScanner([own, *self.common.sets])
        return self._own[owner]

    def scan(self, text: str) -> list[Leak]:
        return self.common.scan(text)

    def fingerprint_for(self, relative: str) -> str:
        """Return the fingerprint of `for_file(relative)` without building that scanner: what a
        file is searched for follows from its owner's identifiers and everyone's distinctive forms."""
        owner = _owner(relative)
        if owner not in self.sets:
            return self.common.fingerprint
        return hashlib.sha256(
            f"own:{self.sets[owner].fingerprint}:{self.common.fingerprint}".encode()
        ).hexdigest()

    def prepare(self) -> None:
        """Compile the search shared by every file (before forking workers that inherit it)."""
        for searched_set in self.common.sets:
            _ = searched_set._keys


def _owner(relative: str) -> str | None:
    parts = relative.split("/")
    if len(parts) >= 2 and parts[0] in ("reviews", "briefs"):
        return parts[1]
    if len(parts) == 2 and parts[0] == "downloads":
        return parts[1].rsplit(".", 1)[0]
    return None
