"""The final leak gate: every file of the built site, read as a person or a program would read it.

Every text a file can show is extracted (page text and attribute values, JSON strings, XML, the
paragraphs, comments and properties of Word documents, the text and metadata of PDFs, text chunks
of images) and given to the anonymisation stage's `LeakScanner`, which knows every identifier of
every review. A file the gate cannot read is itself a failure: nothing unread is published.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import io
import json
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from pipeline.anonymise.textview import page_reading
from pipeline.publish.stages import Scanner

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".svg", ".txt", ".css", ".js", ".md", ".webmanifest"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Unreadable(Exception):
    """The gate cannot read this file, so it cannot say it is safe."""


@dataclass(frozen=True, order=True)
class SiteLeak:
    """A known identifier found in a built file. Holds its label and kind, never the identifier."""

    file: str
    part: str
    review_id: str
    label: str
    kind: str

    def __str__(self) -> str:
        return f"{self.file} ({self.part}): the {self.kind} of {self.review_id} labelled {self.label!r}"


# How every text of every file is read before it is searched: the reading `bscp approve` also gives
# each published field (see `gate.check_publication`).
normalise = page_reading


# Inline elements: a name split by them still reads as one name ("Ja<em>ne</em>").
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "dfn",
    "em",
    "i",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
}


# Elements of HTML and SVG: their names are markup. Any other tag name is recorded as text
# ("<Jayden>" shows nothing in a browser but sits in the page's source).
_ELEMENT_NAMES = """
html head title base link meta style script noscript template body article section nav aside
h1 h2 h3 h4 h5 h6 hgroup header footer address main p hr pre blockquote ol ul menu li dl dt dd
figure figcaption div img picture source iframe embed object video audio track map area table
caption colgroup col tbody thead tfoot tr td th form label input button select datalist optgroup
option textarea output progress meter fieldset legend details summary dialog slot canvas br ins
del svg path g circle rect line polyline polygon ellipse use defs symbol lineargradient
radialgradient stop clippath mask desc text tspan
"""
KNOWN_ELEMENTS = INLINE_TAGS | set(_ELEMENT_NAMES.split())
# An HTML or SVG tag's name, which must not join the text after it: "<li>Wen" is no "Li Wen".
# Pages' sources and the search index (whose texts keep some tags) are read without them.
_TAG_NAME = re.compile(
    r"(?<=<)/?(?:" + "|".join(sorted(KNOWN_ELEMENTS, key=len, reverse=True)) + r")(?![\w:-])",
    re.IGNORECASE,
)


# SVG geometry: an icon's outline is numbers and one-letter path commands that nobody reads as
# text, yet read as text they can spell a listed number or date ("...1.5 5.05 20..." is a date of
# birth written 5.05.20). Only a value made wholly of path syntax is passed over.
_GEOMETRY_ATTRIBUTES = frozenset({"d", "points", "viewbox"})
_PATH_SYNTAX = r"[MmZzLlHhVvCcSsQqTtAaEe0-9.,+\-\s]*"
_GEOMETRY = re.compile(_PATH_SYNTAX)
_GEOMETRY_IN_SOURCE = re.compile(rf"(?i)(\s(?:d|points|viewbox)\s*=\s*)([\"'])({_PATH_SYNTAX})\2")


class _HTMLText(HTMLParser):
    """Collect what a reader sees and what a program reads: the text, every attribute's name and
    value, and the name of any element that is not HTML or SVG."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in KNOWN_ELEMENTS:
            self.attributes.append(tag)
        for name, value in attrs:
            if name in _GEOMETRY_ATTRIBUTES and _GEOMETRY.fullmatch(value or ""):
                continue  # an icon's outline: "M19 1-5 5v11", never text (though "5.05 20")
            self.attributes.append(f"{name} {value or ''}")
        if tag not in INLINE_TAGS:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE_TAGS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.attributes.append(data)


def _html_texts(raw: str) -> Iterator[tuple[str, str]]:
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    yield "page text", "".join(parser.text)
    yield "attributes and comments", "\n".join(parser.attributes)
    yield "source", html.unescape(_TAG_NAME.sub(" ", _GEOMETRY_IN_SOURCE.sub(r"\1\2\2", raw)))


class _Pairs(list):
    """A JSON object as its list of (key, value) pairs: a repeated key keeps every value."""


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield _TAG_NAME.sub(" ", value) if "<" in value else value
    elif isinstance(value, _Pairs):
        for key, item in value:
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _json_texts(text: str) -> Iterator[tuple[str, str]]:
    """Yield every key, string and number (as written) of a JSON document; each item of a
    top-level list (the search index's pages) apart, so that a rebuild reads again only the pages
    that changed."""
    try:
        value = json.loads(
            text, object_pairs_hook=_Pairs, parse_int=str, parse_float=str, parse_constant=str
        )
    except (json.JSONDecodeError, RecursionError) as exc:
        raise Unreadable(f"not valid JSON ({exc})") from None
    rest: list[str] = []
    for key, item in value if isinstance(value, _Pairs) else [("", value)]:
        rest.append(key)
        if isinstance(item, list) and not isinstance(item, _Pairs) and len(item) > 1:
            for index, element in enumerate(item):
                yield f"values of {key}[{index}]", "\n".join(_json_strings(element))
        else:
            rest.extend(_json_strings(item))
    yield "values", "\n".join(rest)


def _xml_texts(data: bytes) -> list[str]:
    """Return the text of every element and every attribute value of an XML document."""
    root = ET.fromstring(data)
    out: list[str] = []
    for element in root.iter():
        out.extend(element.attrib.values())
        if element.text:
            out.append(element.text)
        if element.tail:
            out.append(element.tail)
    return out


def _word_paragraphs(root: ET.Element) -> list[str]:
    # Word splits one word over several runs; a paragraph's runs joined are what a reader sees.
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        paragraphs.append(
            "".join(
                node.text or ""
                for node in paragraph.iter()
                if node.tag in (f"{W}t", f"{W}delText", f"{W}instrText")
            )
        )
    return paragraphs


def _docx_texts(data: bytes) -> Iterator[tuple[str, str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"not a Word document ({exc})") from None
    with archive:
        for name in archive.namelist():
            if name.endswith("/"):
                continue
            member = archive.read(name)
            if name.endswith((".xml", ".rels")):
                try:
                    root = ET.fromstring(member)
                except ET.ParseError as exc:
                    raise Unreadable(f"{name} is not valid XML ({exc})") from None
                yield name, "\n".join(_xml_texts(member))
                if name.startswith("word/"):
                    yield f"{name} paragraphs", "\n".join(_word_paragraphs(root))
            elif name.lower().endswith(".png"):
                # Content cannot hold images (refused at load); a template's logo may. Its text
                # chunks are read; its pixels come from the template, not from any review.
                yield from ((f"{name} {part}", text) for part, text in _png_texts(member))
            elif name.lower().endswith((".jpeg", ".jpg", ".gif", ".emf", ".wmf", ".bin", ".tif")):
                # A thumbnail or embedded object the gate cannot read: refuse rather than guess.
                raise Unreadable(
                    f"contains {name}, which the leak gate cannot read (published Word documents "
                    "must have no thumbnail, and images only as PNG)"
                )
            else:
                yield name, _decode(member, name)


def _pdf_texts(path: Path) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pdftotext = shutil.which("pdftotext")
    try:
        reader = PdfReader(path)
        if not pdftotext:
            for number, page in enumerate(reader.pages, start=1):
                yield f"page {number}", page.extract_text() or ""
        info = reader.metadata or {}
        yield "document properties", "\n".join(str(v) for v in info.values())
        metadata = reader.trailer["/Root"].get("/Metadata")
        if metadata is not None:
            yield "XMP metadata", "\n".join(_xml_texts(metadata.get_object().get_data()))
        yield "links and annotations", "\n".join(_pdf_annotations(reader))
    except (PdfReadError, ET.ParseError, ValueError, KeyError) as exc:
        raise Unreadable(f"not a readable PDF ({exc})") from None
    if pdftotext:
        # Poppler reads the page text about fifty times faster than pypdf (it is in CI; pypdf is
        # the fallback above): the gate reads every PDF of the site.
        done = subprocess.run(
            [pdftotext, "-q", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=False,
            timeout=120,
        )
        if done.returncode != 0:
            raise Unreadable("pdftotext could not read it")
        pages = done.stdout.decode("utf-8", "replace").split("\f")
        for number, text in enumerate(pages, start=1):
            if text.strip():
                yield f"page {number}", text


def _pdf_annotations(reader: Any) -> Iterator[str]:
    """Yield every link address and annotation text of a PDF: not on the page, yet a click or a
    hover shows them (a link's address percent-encoded is decoded by the search)."""
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            for key in ("/Contents", "/T", "/TU"):
                if annotation.get(key):
                    yield str(annotation[key])
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            for key in ("/URI", "/F"):
                if action.get(key):
                    yield str(action[key])


def _png_texts(data: bytes) -> Iterator[tuple[str, str]]:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Unreadable("not a PNG image")
    offset = 8
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"tEXt":
            yield "image text", body.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            yield (
                "image text",
                key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"),
            )
        elif kind == b"iTXt":
            yield "image text", body.decode("utf-8", "replace")
        elif kind in (b"eXIf",):
            raise Unreadable("has EXIF metadata, which the leak gate cannot read")
        offset += 12 + length


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable(f"{name} is not UTF-8 text") from None


def file_texts(
    path: Path, name: str | None = None, data: bytes | None = None
) -> Iterator[tuple[str, str]]:
    """Yield `(part, text)` for everything readable in a file; raise Unreadable if it cannot."""
    name = name or path.name
    suffix = Path(name).suffix.lower()
    if data is None and suffix != ".pdf":
        data = path.read_bytes()
    if suffix == ".gz":
        assert data is not None
        inner = name[: -len(".gz")]
        yield from file_texts(path, inner, gzip.decompress(data))
    elif suffix in (".html", ".htm"):
        assert data is not None
        yield from _html_texts(_decode(data, name))
    elif suffix == ".json":
        assert data is not None
        yield from _json_texts(_decode(data, name))
    elif suffix in (".xml", ".svg"):
        assert data is not None
        text = _decode(data, name)
        yield "source", html.unescape(text)
        try:
            yield "values", "\n".join(_xml_texts(data))
        except ET.ParseError as exc:
            raise Unreadable(f"not valid XML ({exc})") from None
    elif suffix in TEXT_SUFFIXES:
        assert data is not None
        yield "text", _decode(data, name)
    elif suffix == ".docx":
        assert data is not None
        yield from _docx_texts(data)
    elif suffix == ".pdf":
        yield from _pdf_texts(path)
    elif suffix == ".png":
        assert data is not None
        yield from _png_texts(data)
    else:
        raise Unreadable(f"the leak gate cannot read {suffix or 'extensionless'} files")


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


@functools.cache
def _code_version() -> str:
    """Return a hash of the code that reads files and matches identifiers: a change re-reads all."""
    import pipeline.anonymise.gate as gate

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in ("gate.py", "textview.py", "identifiers.py", "vocabulary.py"):
        digest.update((Path(gate.__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def _file_key(
    path: Path, relative: str, scanner: Scanner, digest: str | None = None
) -> tuple[str | None, str | None]:
    """Return a file's key among the clean files (its bytes, what it is searched for and how), and
    the part after its hash; `(None, None)` for a scanner that cannot say what it looks for.
    `digest` is the file's sha256 when the caller has it."""
    if hasattr(scanner, "fingerprint_for"):
        fingerprint = scanner.fingerprint_for(relative)
    elif hasattr(scanner, "fingerprint"):
        fingerprint = scanner.fingerprint
    else:
        return None, None
    searched = f"{fingerprint}:{_code_version()}"  # what is looked for, and how
    if digest is None:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return f"{digest}:{searched}", searched


class CleanFiles:
    """Files found clean before, keyed `content hash:scanner fingerprint`, and those found now."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known = frozenset(known)
        self.now: set[str] = set()

    def __contains__(self, key: str) -> bool:
        if key in self.known:
            self.now.add(key)
            return True
        return False

    def add(self, key: str) -> None:
        self.now.add(key)


def scan_file(
    path: Path, relative: str, scanner: Scanner, verified: CleanFiles | None = None
) -> list[SiteLeak]:
    """Return every known identifier in one file, once per (part, identifier label).

    A file in `verified` (same bytes, same identifiers looked for) was found clean before and is
    not read again; a file found clean now is added to it.
    """
    found: set[SiteLeak] = set()
    key = searched = None
    if verified is not None:
        key, searched = _file_key(path, relative, scanner)
        if key is not None and key in verified:
            return []
    if hasattr(scanner, "for_file"):
        scanner = scanner.for_file(relative)  # a publication's own files meet all its identifiers
    for part, text in file_texts(path):
        # A part (a page of the search index, a Word document's styles) may be unchanged in a
        # changed file: it is read again only if it is new.
        part_key = None
        if searched is not None:
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            part_key = f"part:{digest}:{searched}"
            if part_key in verified:
                continue
        leaks = scanner.scan(normalise(text))
        for leak in leaks:
            found.add(SiteLeak(relative, part, leak.review_id, leak.label, leak.kind))
        if part_key is not None and not leaks:
            verified.add(part_key)
    if key is not None and not found:
        verified.add(key)
    return sorted(found)


def theme_dir() -> Path:
    """Return the installed theme's folder, whose static files MkDocs copies into every site."""
    import material

    return Path(material.__file__).parent / "templates"


def _scan_name(relative: str, scanner: Scanner) -> list[SiteLeak]:
    """Return the leaks in a file's path: a folder or download named after a person is published
    as the page's address (ids follow a pattern, yet a pattern may let letters spell a name)."""
    if hasattr(scanner, "for_file"):
        scanner = scanner.for_file(relative)
    found = {
        SiteLeak(relative, "file name", leak.review_id, leak.label, leak.kind)
        for leak in scanner.scan(normalise(relative))
    }
    return sorted(found)


def scan_site(
    site_dir: Path,
    scanner: Scanner,
    advance: Callable[[str], None] = lambda _: None,
    theme: Path | None = None,
    verified: CleanFiles | None = None,
    workers: int = 1,
    hashes: dict[str, str] | None = None,
) -> tuple[list[SiteLeak], list[tuple[str, str]]]:
    """Scan every file under `site_dir`; return the leaks and the files that could not be read.

    A file byte-identical to the theme's file at the same path (under `theme`) cannot hold
    content, so it is not scanned: minified theme code would otherwise match short aliases by chance.
    With `workers` > 1 the files are shared out between forked processes, each publication's own
    files kept together so that its identifier search is compiled once. `hashes` (sha256 by
    relative path) spares reading files again to find those found clean before.
    """
    leaks: list[SiteLeak] = []
    unreadable: list[tuple[str, str]] = []
    todo: list[tuple[Path, str]] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file() or p.is_symlink()):
        relative = path.relative_to(site_dir).as_posix()
        leaks.extend(_scan_name(relative, scanner))
        if path.is_symlink():
            advance(relative)
            unreadable.append((relative, "is a symbolic link; the site holds real files only"))
            continue
        original = theme / relative if theme is not None else None
        if original is not None and original.is_file() and _same_bytes(original, path):
            advance(relative)
            continue
        if verified is not None:
            key, _ = _file_key(path, relative, scanner, (hashes or {}).get(relative))
            if key is not None and key in verified:
                advance(relative)  # found clean before: not read, nor sent to a worker
                continue
        todo.append((path, relative))
    if workers > 1 and len(todo) > 20:
        found, bad, clean = _scan_in_parallel(todo, scanner, verified, workers, advance)
        leaks.extend(found)
        unreadable.extend(bad)
        if verified is not None:
            for key in clean:
                verified.add(key)
        return leaks, sorted(unreadable)
    for path, relative in todo:
        advance(relative)
        try:
            leaks.extend(scan_file(path, relative, scanner, verified))
        except Unreadable as exc:
            unreadable.append((relative, f"cannot be checked for leaks: {exc}"))
    return leaks, unreadable


# Set in the parent just before the workers fork: they inherit the compiled scanner.
_SCANNER: Scanner | None = None
_KNOWN: frozenset[str] = frozenset()


def _scan_group(
    group: list[tuple[str, str]],
) -> tuple[list[SiteLeak], list[tuple[str, str]], list[str], list[str]]:
    assert _SCANNER is not None
    verified = CleanFiles(_KNOWN)
    leaks, unreadable = [], []
    for path, relative in group:
        try:
            leaks.extend(scan_file(Path(path), relative, _SCANNER, verified))
        except Unreadable as exc:
            unreadable.append((relative, f"cannot be checked for leaks: {exc}"))
    return leaks, unreadable, sorted(verified.now), [relative for _, relative in group]


def _scan_in_parallel(
    todo: list[tuple[Path, str]],
    scanner: Scanner,
    verified: CleanFiles | None,
    workers: int,
    advance: Callable[[str], None],
) -> tuple[list[SiteLeak], list[tuple[str, str]], list[str]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    global _SCANNER, _KNOWN
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, relative in todo:
        owner = relative.split("/")[1].rsplit(".", 1)[0] if relative.count("/") >= 1 else relative
        groups.setdefault(owner, []).append((str(path), relative))
    # Big groups first, so that no worker is left with the search index at the end.
    ordered = sorted(groups.values(), key=lambda g: -sum(Path(p).stat().st_size for p, _ in g))
    if hasattr(scanner, "prepare"):
        scanner.prepare()  # compile the shared search once, before the fork
    _SCANNER, _KNOWN = scanner, verified.known if verified is not None else frozenset()
    leaks: list[SiteLeak] = []
    unreadable: list[tuple[str, str]] = []
    clean: list[str] = []
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for future in as_completed([pool.submit(_scan_group, g) for g in ordered]):
                found, bad, keys, done = future.result()
                leaks.extend(found)
                unreadable.extend(bad)
                clean.extend(keys)
                for relative in done:
                    advance(relative)
    finally:
        _SCANNER = None
    return leaks, unreadable, clean
