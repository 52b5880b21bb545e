"""`bscp build` and `bscp serve` as a person runs them: messages, exit codes, strict mode in CI."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.publish.serve import serving
from tests.site_support import SITE_SOURCE, FakeApprovals, copy_fixture, fake_stages


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with the fixture content and the site's MkDocs project, as `bscp` sees it."""
    root = copy_fixture(tmp_path)
    shutil.copytree(SITE_SOURCE, root / "site")
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI", raising=False)
    return root


def run(
    monkeypatch,
    *args: str,
    refused: set[str] = frozenset(),
    env: dict | None = None,
    **stage_changes,
):
    monkeypatch.setattr(
        "pipeline.build.real_stages",
        lambda: fake_stages(FakeApprovals(refused=set(refused)), **stage_changes),
    )
    return CliRunner().invoke(main, ["--today", "2025-06-16", *args], env=env)


def test_build_says_what_it_published(project, monkeypatch):
    result = run(monkeypatch, "build")
    assert result.exit_code == 0, result.output
    assert "Built build/site in " in result.stdout
    assert (
        "4 publications, 2 withdrawal notices, 29 pages (4 anonymised, none reused; "
        "4 Word/PDF rendered, 0 reused)." in result.stdout
    )
    again = run(monkeypatch, "build")
    assert "(0 anonymised, 4 reused; 0 Word/PDF rendered, 4 reused)" in again.stdout
    assert (project / "build" / "site" / "index.html").is_file()


def test_build_lists_what_it_left_out_and_why(project, monkeypatch):
    result = run(monkeypatch, "build", refused={"BSCP-2024-25-05"})
    assert result.exit_code == 0, result.output
    assert "BSCP-2024-25-05: not published: its redaction report has no current approval" in (
        result.stderr
    )
    assert "1 left out (listed above); the site does not include them." in result.stderr


@pytest.mark.parametrize(
    ("args", "env"),
    [(["build"], {"CI": "true"}), (["build", "--strict"], {})],
)
def test_in_ci_a_publication_left_out_fails_the_build(project, monkeypatch, args, env):
    result = run(monkeypatch, *args, refused={"BSCP-2024-25-05"}, env=env)
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert len(problems) == 1
    assert problems[0].startswith(
        "content/reviews/BSCP-2024-25-05/review.yaml: status: is published but its redaction "
        "report has no current approval"
    )
    assert "BSCP-2024-25-05: not published" not in result.stderr, "said once, as the error"
    assert "1 problem found; nothing was written for them." in result.stderr
    assert "Traceback" not in result.output
    assert not (project / "build" / "site").exists()


def test_no_strict_overrides_ci(project, monkeypatch):
    result = run(
        monkeypatch, "build", "--no-strict", refused={"BSCP-2024-25-05"}, env={"CI": "true"}
    )
    assert result.exit_code == 0, result.output


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    """PATH without soffice or libreoffice (as on a fresh machine with Python and make only)."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("BSCP_SOFFICE", raising=False)
    assert shutil.which("soffice") is None and shutil.which("libreoffice") is None


def test_without_libreoffice_the_site_has_word_downloads_and_a_warning(
    project, monkeypatch, no_libreoffice
):
    from pipeline.render.pdf import to_pdfs_parallel

    result = run(monkeypatch, "build", to_pdfs=to_pdfs_parallel)
    assert result.exit_code == 0, result.output
    assert "Warning: LibreOffice is not installed, so the site offers Word documents only" in (
        result.stderr
    )
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert "Word downloads only: LibreOffice is not installed." in result.stdout
    site = project / "build" / "site"
    downloads = sorted(p.name for p in (site / "downloads").iterdir())
    assert downloads and all(name.endswith(".docx") for name in downloads)
    page = (site / "reviews" / "BSCP-2024-25-01" / "index.html").read_text(encoding="utf-8")
    assert "Download the Word document" in page and "Download the PDF" not in page
    # Once LibreOffice is there, the next build adds the PDFs (Word-only output is not cached).
    again = run(monkeypatch, "build")
    assert again.exit_code == 0, again.output
    assert "Warning" not in again.stderr
    assert (site / "downloads" / "BSCP-2024-25-01.pdf").is_file()
    assert "Download the PDF" in (site / "reviews" / "BSCP-2024-25-01" / "index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("args", "env"), [(["build"], {"CI": "true"}), (["build", "--strict"], {})]
)
def test_in_ci_a_missing_libreoffice_fails_the_build(
    project, monkeypatch, no_libreoffice, args, env
):
    from pipeline.render.pdf import to_pdfs_parallel

    result = run(monkeypatch, *args, env=env, to_pdfs=to_pdfs_parallel)
    assert result.exit_code == 1
    assert "LibreOffice is not installed, so no PDF was made" in result.stderr
    assert "Traceback" not in result.output
    assert not (project / "build" / "site").exists()


def test_serve_without_a_site_says_to_build_first(project, monkeypatch):
    result = run(monkeypatch, "serve", "--no-build")
    assert result.exit_code == 1
    assert "build/site: has no site yet; run `bscp build` first" in result.stderr


def test_preview_server_serves_the_site_and_its_404_page(project, monkeypatch):
    assert run(monkeypatch, "build").exit_code == 0
    with serving(project / "build" / "site") as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "reviews/BSCP-2024-25-01/") as response:
            assert response.status == 200
            assert response.headers["Cache-Control"] == "no-store"
            assert b"Baby S: a rapid review" in response.read()
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url + "no-such-page/")
        assert caught.value.code == 404
        assert b"Page not found" in caught.value.read()


def test_commands_have_help():
    for command in ("build", "serve"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: main {command}")
