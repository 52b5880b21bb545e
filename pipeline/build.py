"""`bscp build`: approved, anonymised content into a checked website, swapped in only when it passes.

A pipeline of plain stages over typed values:

    select → anonymise (cached) → approval → Word and PDF (cached) → pages → mkdocs build --strict
    → leak gate → security checks → swap into build/site

Everything is built in a fresh staging folder (`build/.staging-<pid>/`); `build/site` is replaced
only when every check passed, so a failed build leaves the last good site untouched. A lock file
stops two builds at once. The stages owned by other parts of the pipeline (anonymisation, approval,
Word, PDF, leak scanning) come in a `Stages` value: `real_stages()` unless a caller passes others.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.cachefile import DAMAGED, read_json, strings, write_json
from pipeline.content.project import BriefEntry, Project, ReviewEntry
from pipeline.errors import (
    AnonymisationError,
    ConverterMissing,
    LeakError,
    PipelineError,
    Problem,
    PublishError,
    display_path,
)
from pipeline.publish import incremental
from pipeline.publish.catalogue import (
    Candidate,
    Catalogue,
    Download,
    Publication,
    catalogue,
    select,
)
from pipeline.publish.feed import FEED_FILE, rss_feed, site_url
from pipeline.publish.leakscan import CleanFiles, scan_site, theme_dir
from pipeline.publish.mkdocs_site import (
    copy_assets,
    load_base_config,
    run_mkdocs,
    site_config,
    write_config,
)
from pipeline.publish.pages import PageWriter, nav, site_parts, write_pages
from pipeline.publish.progress import Reporter, SilentReporter
from pipeline.publish.security import CONTENT_SECURITY_POLICY, Findings, site_problems
from pipeline.publish.stages import Anonymised, Scanner, Stages, code_fingerprint, real_stages
from pipeline.publish.text import remembered_renderings
from pipeline.published import PublishedDocument

Entry = ReviewEntry | BriefEntry


@dataclass(frozen=True)
class BuildPaths:
    """Where a build reads and writes, all under the project's `build/` folder."""

    root: Path
    site_source: Path  # the MkDocs project: mkdocs.yml, overrides/, assets/

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def site(self) -> Path:
        return self.build / "site"

    @property
    def anonymised(self) -> Path:
        return self.build / "anonymised"

    @property
    def cache(self) -> Path:
        return self.build / "cache"

    @property
    def never_published(self) -> tuple[Path, ...]:
        """Folders whose files must never appear in the site."""
        return (self.build / "reports", self.build / "confidential")

    @property
    def site_state(self) -> Path:
        """What the site in build/site was built from (see `pipeline.publish.incremental`)."""
        return self.cache / "site-state.json"

    @property
    def lock(self) -> Path:
        return self.build / ".build.lock"

    @property
    def staging(self) -> Path:
        return self.build / f".staging-{os.getpid()}"


@dataclass(frozen=True)
class Anonymous:
    """An anonymised document and the hash a reviewer approves (what the cache holds)."""

    document: PublishedDocument
    output_hash: str


@dataclass(frozen=True)
class LeftOut:
    """A publication the build did not put on the site, and why."""

    id: str
    source: str  # the file to look at, e.g. content/reviews/<id>/review.yaml
    reason: str

    def __str__(self) -> str:
        return f"{self.id}: not published: {self.reason}"

    def problem(self) -> Problem:
        return Problem(self.source, None, "status", f"is published but {self.reason}")


@dataclass
class BuildResult:
    """What a build did."""

    site: Path
    published: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    anonymised_fresh: int = 0
    anonymised_cached: int = 0
    rendered_fresh: int = 0
    rendered_cached: int = 0
    pages: int = 0
    pages_rebuilt: int | None = None  # None: MkDocs rendered every page
    files: int = 0
    seconds: float = 0.0
    pdf_missing: bool = False  # LibreOffice was not installed: Word downloads only


# -------------------------------------------------------------------------------------------------
# Locking and the swap


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Hold the build lock, or refuse with a clear message when another build holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole build
    try:
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PublishError(
                f"another `bscp build` is running (process {holder}); wait for it to finish and try again",
                path=path,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _lock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def tidy_build_folder(paths: BuildPaths) -> None:
    """Clear what an interrupted build left behind (we hold the lock, so nothing else is running)."""
    olds = sorted(paths.build.glob(".site-old-*"), key=lambda p: p.stat().st_mtime)
    if not paths.site.exists() and olds:
        # Interrupted between the two renames of a swap: the previous good site comes back.
        olds.pop().rename(paths.site)
    for leftover in [*olds, *paths.build.glob(".staging-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def swap_in(new_site: Path, site: Path) -> None:
    """Replace `site` with `new_site` (same file system: two renames, the old removed after)."""
    old = site.with_name(f".site-old-{os.getpid()}")
    if site.exists():
        os.replace(site, old)
    try:
        os.replace(new_site, site)
    except OSError:
        if old.exists():
            os.replace(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)


# -------------------------------------------------------------------------------------------------
# Anonymisation, cached by content


def _hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _entry_fingerprint(entry: Entry) -> str:
    if isinstance(entry, ReviewEntry):
        return entry.fingerprint()
    return _hash(entry.source.path.read_bytes())


def anonymise_key(project: Project, candidate: Candidate, stages: Stages) -> str:
    """Return the cache key of one anonymisation: everything its output depends on."""
    entry = candidate.entry
    related = []
    if isinstance(entry, BriefEntry):
        # A brief is checked against the identifiers of the reviews it draws on.
        related = [_entry_fingerprint(r) for r in project.reviews if r.id in entry.brief.reviews]
    return _hash(
        stages.anonymise_version,
        project.partnership_source.path.read_bytes(),
        _entry_fingerprint(entry),
        candidate.document.dumps(),
        *related,
    )


def _cached_anonymisation(cached: Path) -> Anonymous | str | None:
    """Return what the cache holds for one anonymisation (its output, or the report of its refusal),
    or None when it holds nothing usable: missing, cut short, or of another shape."""
    data = read_json(cached, {})
    try:
        if "refused" in data:
            return data["refused"] if isinstance(data["refused"], str) else None
        document = PublishedDocument.from_json(data["document"])
        return (
            Anonymous(document, data["output_hash"])
            if isinstance(data["output_hash"], str)
            else None
        )
    except DAMAGED:
        return None


def anonymise_stage(
    project: Project,
    candidates: list[Candidate],
    stages: Stages,
    paths: BuildPaths,
    reporter: Reporter,
    result: BuildResult,
) -> tuple[list[tuple[Candidate, Anonymous]], list[LeftOut]]:
    """Anonymise each candidate, reusing the cached output when nothing it depends on changed."""
    cache = paths.cache / "anonymised"
    cache.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Candidate, Anonymous]] = []
    refused: list[LeftOut] = []
    reporter.stage("Anonymising", len(candidates))
    values: dict[str, Anonymous] = {}
    fresh: list[tuple[Candidate, Path]] = []
    for candidate in candidates:
        cached = cache / f"{anonymise_key(project, candidate, stages)}.json"
        known = _cached_anonymisation(cached)
        if known is None:  # not there, or damaged: anonymised again
            fresh.append((candidate, cached))
            continue
        if isinstance(known, str):
            # Refused before on exactly this input and code: the same refusal, without the work.
            refused.append(_refusal(candidate, known))
        else:
            values[candidate.id] = known
        result.anonymised_cached += 1
        reporter.advance(candidate.id)

    def finished(candidate: Candidate, cached: Path, out: Anonymised | PipelineError) -> None:
        if isinstance(out, AnonymisationError):
            raise out  # the anonymiser cannot run at all (no model): a fault, not a refusal
        if isinstance(out, PipelineError):
            # The anonymiser refused this one (e.g. an identifier survived): leave it out.
            refused.append(_refusal(candidate, out.report()))
            write_json(cached, {"refused": out.report()})
        else:
            values[candidate.id] = value = Anonymous(out.document, out.output_hash)
            write_json(
                cached, {"document": value.document.to_json(), "output_hash": value.output_hash}
            )
            result.anonymised_fresh += 1
        reporter.advance(candidate.id)

    if stages.anonymise_many is not None and len(fresh) > 1:
        by_id = {candidate.id: (candidate, cached) for candidate, cached in fresh}
        stages.anonymise_many(
            project, [c.entry for c, _ in fresh], lambda i, out: finished(*by_id[i], out)
        )
    else:
        for candidate, cached in fresh:
            try:
                out: Anonymised | PipelineError = stages.anonymise(project, candidate.entry)
            except PipelineError as exc:
                out = exc
            finished(candidate, cached, out)
    for candidate in candidates:
        value = values.get(candidate.id)
        if value is None:
            continue
        folder = paths.anonymised / candidate.id
        folder.mkdir(parents=True, exist_ok=True)
        _write_if_changed(folder / "document.json", value.document.dumps().encode("utf-8"))
        done.append((candidate, value))
    return done, refused


def _refusal(candidate: Candidate, report: str) -> LeftOut:
    return LeftOut(
        candidate.id, candidate.entry.source.display, f"anonymisation refused it: {report}"
    )


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


# -------------------------------------------------------------------------------------------------
# Approval


def approval_stage(
    project: Project, anonymised: list[tuple[Candidate, Anonymous]], stages: Stages
) -> tuple[list[tuple[Candidate, Anonymous]], list[LeftOut]]:
    """Keep what a reviewer approved for exactly this output and policy; say why for the rest."""
    if not anonymised:
        return [], []
    approved, left_out = [], []
    for candidate, value in anonymised:
        policy = stages.policy_hash(project, candidate.entry)
        if stages.is_approved(project, candidate.id, value.output_hash, policy):
            approved.append((candidate, value))
        else:
            left_out.append(
                LeftOut(
                    candidate.id,
                    candidate.entry.source.display,
                    "its redaction report has no current approval: the anonymised text or the policy "
                    f"changed since a reviewer approved it, or nobody has yet (approvals/{candidate.id}.yaml)",
                )
            )
    return approved, left_out


# -------------------------------------------------------------------------------------------------
# Word and PDF, cached by the anonymised document


NO_PDF_WARNING = (
    "LibreOffice is not installed, so the site offers Word documents only (no PDFs): install it "
    "with `sudo apt-get install libreoffice-writer-nogui` (Debian/Ubuntu) and build again"
)


def render_stage(
    project: Project,
    approved: list[tuple[Candidate, Anonymous]],
    stages: Stages,
    paths: BuildPaths,
    reporter: Reporter,
    result: BuildResult,
    strict: bool = False,
) -> list[Publication]:
    """Render each approved document to Word and PDF (or reuse them), into build/anonymised/<id>/.

    Without LibreOffice a build goes on with Word documents only and says so, unless `strict` (CI),
    where a site without its PDFs must not be published by accident. Word-only renderings are not
    cached, so the PDFs appear at the first build after LibreOffice is installed.
    """
    reporter.stage("Word and PDF", len(approved))
    partnership_bytes = project.partnership_source.path.read_bytes()
    keyed = []
    fresh: list[
        tuple[PublishedDocument, Path, Path]
    ] = []  # (document, its Word file, cache folder)
    for _, value in approved:
        doc = value.document
        cached = (
            paths.cache / "render" / _hash(stages.render_version, partnership_bytes, doc.dumps())
        )
        keyed.append((doc, cached))
        if _whole_rendering(cached, doc.id):
            result.rendered_cached += 1
            continue
        shutil.rmtree(cached, ignore_errors=True)  # damaged (a full disk, a hand edit): made again
        work = cached.with_name(f"{cached.name}.tmp-{os.getpid()}")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        fresh.append((doc, stages.render_word(project, doc, work / f"{doc.id}.docx"), cached))
    word_only: dict[str, Path] = {}  # id: folder holding the Word file alone
    if fresh:
        # LibreOffice starts slowly: convert every new document in a few runs, one per core.
        pdf_dir = paths.cache / "render" / f".pdf-{os.getpid()}"
        shutil.rmtree(pdf_dir, ignore_errors=True)
        try:
            pdfs = stages.to_pdfs([docx for _, docx, _ in fresh], pdf_dir)
        except ConverterMissing as exc:
            if strict:
                raise ConverterMissing(
                    f"{exc.report()} (in CI, or with --strict, the site is not built without its "
                    "PDFs; elsewhere it is built with Word downloads only)"
                ) from None
            result.pdf_missing = True  # the CLI warns (see NO_PDF_WARNING)
            word_only = {doc.id: docx.parent for doc, docx, _ in fresh}
        else:
            for (doc, docx, cached), pdf in zip(fresh, pdfs, strict=True):
                os.replace(pdf, docx.parent / f"{doc.id}.pdf")
                os.replace(docx.parent, cached)
        finally:
            shutil.rmtree(pdf_dir, ignore_errors=True)
        result.rendered_fresh += len(fresh)
    publications = []
    for doc, cached in keyed:
        folder = paths.anonymised / doc.id
        source_dir = word_only.get(doc.id, cached)
        downloads = []
        for suffix, label in ((".docx", "Word document"), (".pdf", "PDF")):
            source = folder / f"{doc.id}{suffix}"
            rendered = source_dir / f"{doc.id}{suffix}"
            if not rendered.is_file():  # no PDF without LibreOffice
                source.unlink(missing_ok=True)
                continue
            _write_if_changed(source, rendered.read_bytes())
            downloads.append(Download(label, source, f"{doc.id}{suffix}"))
        publications.append(Publication(doc, tuple(downloads)))
        reporter.advance(doc.id)
    for folder in word_only.values():
        shutil.rmtree(folder, ignore_errors=True)
    return publications


def _whole_rendering(cached: Path, doc_id: str) -> bool:
    """Return True when a cached rendering holds a whole Word document and a whole PDF."""
    docx, pdf = cached / f"{doc_id}.docx", cached / f"{doc_id}.pdf"
    try:
        with zipfile.ZipFile(docx) as archive:
            if archive.testzip() is not None:
                return False
        with pdf.open("rb") as handle:
            start = handle.read(5)
            handle.seek(max(0, pdf.stat().st_size - 1024))
            return start == b"%PDF-" and b"%%EOF" in handle.read()
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


# -------------------------------------------------------------------------------------------------
# The staged site


def stage_site(
    project: Project, cat: Catalogue, paths: BuildPaths, staging: Path
) -> tuple[Path, int, incremental.Plan]:
    """Write pages, feed, downloads, assets and the MkDocs config into `staging`; return the config,
    the number of pages, and how MkDocs is to build them (all, or only the changed)."""
    base_config_path = paths.site_source / "mkdocs.yml"
    base = load_base_config(base_config_path)
    url = site_url(project.partnership, project.partnership_source.display)
    docs = staging / "docs"
    docs.mkdir(parents=True)
    with remembered_renderings(paths.cache / "renderings.json"):
        pages = PageWriter(cat, project.partnership, project.today).all_pages()
    write_pages(pages, docs)
    (docs / FEED_FILE).write_bytes(rss_feed(cat, project.partnership, url))
    copy_assets(paths.site_source / "assets", docs)
    downloads = docs / "downloads"
    downloads.mkdir()
    anonymised = paths.anonymised.resolve()
    for pub in cat.publications:
        for item in pub.downloads:
            # By construction: downloads come only from the anonymised outputs.
            if not item.source.resolve().is_relative_to(anonymised):
                raise PublishError(
                    "is not an anonymised output; only build/anonymised/ is published",
                    path=item.source,
                )
            shutil.copyfile(item.source, downloads / item.filename)
    config = site_config(
        base,
        base_config_path.parent,
        project.partnership,
        url,
        docs.resolve(),
        (staging / "site").resolve(),
        nav(cat),
        CONTENT_SECURITY_POLICY,
        project.today,
        unlisted=[f"{notice.path}.md" for notice in cat.notices],
        parts=site_parts(cat, project.partnership, urlsplit(url).path or "/"),
    )
    config_file = staging / "mkdocs.yml"
    write_config(config, config_file)
    settings = incremental.settings_hash(config, code_fingerprint(["pipeline.publish"]))
    plan = incremental.plan(
        paths.site_state, paths.site, docs, settings, (staging / "site").resolve()
    )
    return config_file, len(pages), plan


def tidy_output(site_dir: Path) -> None:
    """Remove what the theme ships but an English site never loads: source maps, lunr languages."""
    for path in site_dir.rglob("*.map"):
        path.unlink()
    # The search worker loads these only for languages other than English (site/mkdocs.yml is
    # checked to be English-only); unshipped, they cannot be fetched.
    shutil.rmtree(site_dir / "assets" / "javascripts" / "lunr", ignore_errors=True)


def leak_gate(
    site_dir: Path,
    scanner: Scanner,
    reporter: Reporter,
    cache_file: Path | None = None,
    hashes: dict[str, str] | None = None,
) -> None:
    """Scan every file of the staged site for every known identifier of every review and brief
    (`scanner`: the `leak_scanner` stage's, for the project; `hashes`: the files' sha256, if known)."""
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    reporter.stage("Checking for leaks", len(files))
    # Files already found clean, by content and by what was looked for: a rebuild after one changed
    # review reads only the files that changed (or all, when anyone's identifiers changed).
    known = read_json(cache_file, []) if cache_file is not None else []
    verified = CleanFiles(known if strings(known) else [])
    workers = int(os.environ.get("BSCP_WORKERS", "0") or 0) or (os.cpu_count() or 1)
    leaks, unreadable = scan_site(
        site_dir, scanner, reporter.advance, theme_dir(), verified, workers, hashes
    )
    problems = [Problem(f"build/site/{leak.file}", None, "", _leak_message(leak)) for leak in leaks]
    problems += [Problem(f"build/site/{file}", None, "", message) for file, message in unreadable]
    if problems:
        raise LeakError(problems)
    if cache_file is not None:
        write_json(cache_file, sorted(verified.now))


def _leak_message(leak) -> str:
    # Never the identifier itself: build logs are read by people who must not see it.
    return (
        f"contains a known identifier of {leak.review_id} ({leak.kind}, published as "
        f"{leak.label!r}) in its {leak.part}; the site was not published"
    )


def security_gate(
    site_dir: Path,
    paths: BuildPaths,
    base_url: str,
    reporter: Reporter,
    hashes: dict[str, str] | None = None,
) -> None:
    """Fail on any external request, inline script, missing policy, broken link or forbidden file."""
    reporter.stage("Security checks", None)
    cache_file = paths.cache / "security.json"
    findings = Findings(read_json(cache_file, {}))
    problems = site_problems(
        site_dir, paths.never_published, urlsplit(base_url).path or "/", findings, hashes
    )
    if problems:
        raise PublishError(
            [Problem(f"build/site/{file}", None, "", message) for file, message in problems]
        )
    write_json(cache_file, findings.now)


# -------------------------------------------------------------------------------------------------
# The orchestrator


def build(
    project: Project,
    root: Path,
    *,
    stages: Stages | None = None,
    strict: bool = False,
    reporter: Reporter | None = None,
    site_source: Path | None = None,
) -> BuildResult:
    """Build the website into `root/build/site`; raise PipelineError (site untouched) on any failure.

    In `strict` mode (CI) a publication left out for want of approval fails the build, so that
    nobody thinks it was published, and so does a missing LibreOffice (elsewhere the site is built
    with Word downloads only, and a warning).
    """
    started = time.monotonic()
    stages = stages or real_stages()
    reporter = reporter or SilentReporter()
    paths = BuildPaths(root, site_source or root / "site")
    try:
        return _build(project, paths, stages, strict, reporter, started)
    except OSError as exc:  # a full disk, a folder we may not write: the machine, not the content
        raise _machine_fault(exc, root) from None


def _machine_fault(exc: OSError, root: Path) -> PublishError:
    hint = ""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        hint = "the disk is full: free some space and build again; "
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "check that the build folder may be written; "
    return PublishError(
        f"could not be written or read ({exc.strerror or exc}); {hint}"
        "the last good site in build/site is unchanged",
        path=display_path(exc.filename, root) if exc.filename else "build",
    )


def _build(
    project: Project,
    paths: BuildPaths,
    stages: Stages,
    strict: bool,
    reporter: Reporter,
    started: float,
) -> BuildResult:
    result = BuildResult(paths.site)
    with build_lock(paths.lock):
        tidy_build_folder(paths)
        selection = select(project)
        anonymised, refused = anonymise_stage(
            project, selection.candidates, stages, paths, reporter, result
        )
        approved, unapproved = approval_stage(project, anonymised, stages)
        result.left_out = sorted([*refused, *unapproved], key=lambda item: item.id)
        if strict and result.left_out:
            raise PublishError([item.problem() for item in result.left_out])
        for item in result.left_out:
            reporter.note(str(item))
        # The leak gate's search over every review's identifiers is built in a thread while this
        # one mostly waits for LibreOffice and writes pages (2-3 s each at 500 reviews). No worker
        # is forked until it is done: the gate asks for it first.
        early = ThreadPoolExecutor(1, thread_name_prefix="leak-scanner")
        scanner = early.submit(stages.leak_scanner, project)
        staging = paths.staging
        try:
            publications = render_stage(project, approved, stages, paths, reporter, result, strict)
            cat = catalogue(project, publications, selection.notices)
            reporter.stage("Writing pages", None)
            config_file, result.pages, plan = stage_site(project, cat, paths, staging)
            reporter.stage("Building with MkDocs (strict)", None)
            built = staging / "site"
            run_mkdocs(config_file, dirty=plan.dirty)
            if plan.rebuilt is not None:
                incremental.merge_search_index(paths.site, built, plan.rebuilt)
                result.pages_rebuilt = len(plan.rebuilt)
            tidy_output(built)
            hashes = incremental.tree_hashes(built)  # read once for the gate, checks and record
            leak_gate(built, scanner.result(), reporter, paths.cache / "leakscan.json", hashes)
            security_gate(built, paths, site_url(project.partnership), reporter, hashes)
            result.files = len(hashes)
            incremental.forget(paths.site_state)
            swap_in(built, paths.site)
            incremental.record(paths.site_state, hashes, plan)
        finally:
            early.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(staging, ignore_errors=True)
    result.published = [p.id for p in cat.publications]
    result.withdrawn = [n.id for n in cat.notices]
    result.seconds = time.monotonic() - started
    return result


def describe(result: BuildResult, root: Path) -> str:
    """Return the one-paragraph summary the CLI prints after a good build."""
    reused = f"{result.anonymised_cached} reused" if result.anonymised_cached else "none reused"
    return (
        f"Built {display_path(result.site, root)} in {result.seconds:.1f}s: "
        f"{len(result.published)} publication{'s' if len(result.published) != 1 else ''}, "
        f"{len(result.withdrawn)} withdrawal notice{'s' if len(result.withdrawn) != 1 else ''}, "
        f"{result.pages} pages ({result.anonymised_fresh} anonymised, {reused}; "
        f"{result.rendered_fresh} Word/PDF rendered, {result.rendered_cached} reused)."
        + (" Word downloads only: LibreOffice is not installed." if result.pdf_missing else "")
    )
