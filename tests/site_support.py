"""Stand-ins for the stages the website borrows, and a fixture project to build (site tests only).

The fixture content in tests/fixtures/site/ is written with labels only ("Baby S", "Mother"), so an
identity "anonymiser" is enough to build from it. The stand-in leak scanner knows every listed name,
alias, number, address and place of every review, as the real one does (more simply).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import zlib
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import docx

from pipeline.build import BuildResult, build
from pipeline.content.project import BriefEntry, Project, ReviewEntry, load_project
from pipeline.publish.stages import Stages
from pipeline.published import PublishedDocument, brief_document, review_document

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
SITE_SOURCE = REPO / "site"
TODAY = dt.date(2025, 6, 16)

LIVE_REVIEWS = ("BSCP-2024-25-01", "BSCP-2024-25-03", "BSCP-2024-25-05")
BRIEF = "BSCP-LB-2025-01"
EXPIRED = "BSCP-2022-23-04"  # published, but its available_until has passed
WITHDRAWN = "BSCP-2023-24-07"  # status: withdrawn after being published
DRAFT = "BSCP-2024-25-06"


@dataclass(frozen=True)
class FakeIdentifier:
    text: str
    label: str
    kind: str
    review_id: str


@dataclass(frozen=True)
class FakeLeak:
    start: int
    end: int
    text: str
    label: str
    kind: str
    review_id: str


def fake_identifier_set(entry: ReviewEntry | BriefEntry) -> list[FakeIdentifier]:
    """Every identifier an author listed for one review, with the label it is published as."""
    if isinstance(entry, BriefEntry):
        return []
    review = entry.review
    out: list[FakeIdentifier] = []

    def add(text: str | None, label: str, kind: str) -> None:
        if text:
            out.append(FakeIdentifier(text, label, kind, review.id))

    for person in review.people:
        for name in person.names:
            add(name, person.label, "name")
        for alias in person.aliases:
            add(alias, person.label, "alias")
        add(person.nhs_number, person.label, "NHS number")
        for value in [*person.addresses, *person.phones, *person.emails]:
            add(value, person.label, "contact detail")
        for value in person.other_identifiers:
            add(value, person.label, "reference number")
    for place in review.places:
        add(place.name, place.label, "place name")
        for alias in place.aliases:
            add(alias, place.label, "place name")
    if review.notification:
        add(review.notification.reference, "the notification", "reference number")
    for _, sign_off in review.sign_offs:
        if sign_off is not None:
            add(sign_off.name, sign_off.role, "name")
    add(review.lead_reviewer, "the lead reviewer", "name")
    return out


class FakeLeakScanner:
    """Finds listed identifiers case-insensitively as whole words (the real one does far more)."""

    def __init__(self, sets: list[list[FakeIdentifier]]) -> None:
        self.identifiers = {i.text.casefold(): i for s in sets for i in s}
        alternation = "|".join(
            re.escape(text) for text in sorted(self.identifiers, key=len, reverse=True)
        )
        self.pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)

    def scan(self, text: str) -> list[FakeLeak]:
        found = []
        for match in self.pattern.finditer(text):
            known = self.identifiers[match.group(0).casefold()]
            found.append(
                FakeLeak(
                    match.start(),
                    match.end(),
                    match.group(0),
                    known.label,
                    known.kind,
                    known.review_id,
                )
            )
        return found


@dataclass(frozen=True)
class FakeAnonymised:
    document: PublishedDocument
    output_hash: str
    findings: tuple = ()


def identity_anonymise(project: Project, entry: ReviewEntry | BriefEntry) -> FakeAnonymised:
    """'Anonymise' fixture content that is already label-only: the public view, unchanged."""
    document = (
        review_document(entry, project) if isinstance(entry, ReviewEntry) else brief_document(entry)
    )
    return FakeAnonymised(document, hashlib.sha256(document.dumps().encode()).hexdigest())


@dataclass
class FakeApprovals:
    """Approves everything except the ids listed, counting how often anonymisation ran."""

    refused: set[str] = field(default_factory=set)
    anonymised: list[str] = field(default_factory=list)

    def is_approved(self, project: Project, item_id: str, output_hash: str, policy: str) -> bool:
        return item_id not in self.refused and len(output_hash) == 64 and policy == "policy-1"


def new_word_document():
    """Return python-docx's blank document without its thumbnail (which the gate cannot read)."""
    document = docx.Document()
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
    return document


def fake_render_word(project: Project, doc: PublishedDocument, out_path: Path) -> Path:
    """A real .docx of the document's text, with the document properties Word would set."""
    document = new_word_document()
    document.core_properties.author = project.partnership.abbreviation
    document.core_properties.title = doc.title
    document.add_heading(doc.title, level=1)
    document.add_paragraph(doc.summary)
    for section in [*doc.sections, *doc.brief_panels]:
        document.add_heading(section.title, level=2)
        document.add_paragraph(section.markdown)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out_path))
    return out_path


def fake_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """A real (tiny) PDF holding the Word document's paragraphs, as LibreOffice would produce."""
    lines = [p.text for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]
    return write_pdf(out_dir / f"{docx_path.stem}.pdf", lines)


def each_pdf(to_pdf):
    """Return a batch `to_pdfs` stage made of a one-document converter."""
    return lambda docx_paths, out_dir: [to_pdf(Path(p), Path(out_dir)) for p in docx_paths]


def write_pdf(path: Path, lines: list[str], info: dict[str, str] | None = None) -> Path:
    """Write a one-page PDF of text lines in Helvetica (ASCII; other characters become '?')."""

    def literal(text: str) -> str:
        text = text.encode("ascii", "replace").decode()
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    shown = [line[:95] for text in lines for line in text.splitlines() if line.strip()][:55]
    stream = "BT /F1 10 Tf 40 800 Td 13 TL " + " ".join(f"{literal(s)} '" for s in shown) + " ET"
    body = zlib.compress(stream.encode())
    info = info or {"Producer": "bscp tests"}
    info_dict = " ".join(f"/{k} {literal(v)}" for k, v in info.items())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< {info_dict} >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


def fake_stages(approvals: FakeApprovals | None = None, **changes) -> Stages:
    """Stages built from the stand-ins above; keyword arguments replace any of them."""
    approvals = approvals or FakeApprovals()

    def anonymise(project: Project, entry: ReviewEntry | BriefEntry) -> FakeAnonymised:
        approvals.anonymised.append(entry.id)
        return identity_anonymise(project, entry)

    stages = Stages(
        anonymise=anonymise,
        policy_hash=lambda project, entry: "policy-1",
        is_approved=approvals.is_approved,
        render_word=fake_render_word,
        to_pdfs=each_pdf(fake_to_pdf),
        leak_scanner=lambda project: FakeLeakScanner(
            [fake_identifier_set(e) for e in [*project.reviews, *project.briefs]]
        ),
        anonymise_version="fake-anonymiser-1",
        render_version="fake-renderer-1",
    )
    return replace(stages, **changes)


def copy_fixture(root: Path) -> Path:
    """Copy the fixture project to `root` (so tests may change it) and return `root`."""
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return root


def build_fixture(
    root: Path, stages: Stages | None = None, strict: bool = False, today: dt.date = TODAY
) -> BuildResult:
    """Load the project at `root` and build its site with the fakes."""
    project = load_project(root / "content", today)
    return build(
        project, root, stages=stages or fake_stages(), strict=strict, site_source=SITE_SOURCE
    )


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, link text)
        self._href: str | None = None
        self._link_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag not in ("a", "em", "strong", "span", "time", "code"):
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._link_text = []

    def handle_endtag(self, tag):
        if tag not in ("a", "em", "strong", "span", "time", "code"):
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._link_text).split())))
            self._href = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._href is not None:
                self._link_text.append(data)


@dataclass(frozen=True)
class SitePage:
    """A built page: its HTML, the words a reader sees, and its links."""

    html: str
    text: str
    links: tuple[tuple[str, str], ...]

    def link(self, text: str) -> str:
        """Return the href of the first link whose text is `text`."""
        return next(href for href, shown in self.links if shown == text)


def read_page(site: Path, path: str) -> SitePage:
    """Parse the page served at `path` (e.g. 'reviews/BSCP-2024-25-01/')."""
    file = site / path / "index.html" if not path.endswith(".html") else site / path
    source = file.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(source)
    return SitePage(source, " ".join("".join(parser.text).split()), tuple(parser.links))
