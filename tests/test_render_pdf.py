"""Every document opens in LibreOffice and converts to PDF; without LibreOffice the error says what to do."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from pipeline.errors import ConversionError
from pipeline.published import review_document
from pipeline.render import render_brief_docx, render_published, render_review
from pipeline.render.pdf import to_pdf, to_pdfs
from tests.fixtures.render.support import EARLY, FULL, load


def require_libreoffice() -> None:
    """Skip without LibreOffice on a workstation; fail in CI, where it must be installed."""
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice is missing in CI: .ci/run installs libreoffice-writer-nogui")
    pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


def _pdf_info(path) -> dict[str, str]:
    if not shutil.which("pdfinfo"):
        return {}
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.mark.libreoffice
@pytest.mark.slow
def test_every_document_converts_to_pdf(tmp_path):
    require_libreoffice()
    project = load()
    docs = render_review(project, project.review(FULL), tmp_path)
    docs += render_review(project, project.review(EARLY), tmp_path)
    doc = review_document(project.review(FULL), project)
    docs.append(render_published(project, doc, tmp_path / "published.docx"))
    docs.append(render_brief_docx(project, doc, tmp_path / "brief.docx"))
    pdfs = to_pdfs(docs, tmp_path / "pdf")
    assert [p.stem for p in pdfs] == [d.stem for d in docs]
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-"), pdf.name
        info = _pdf_info(pdf)
        if info:
            assert info["Author"] == "Brackenford Safeguarding Children Partnership", pdf.name
            assert info["Page size"].endswith("(A4)"), info["Page size"]
            # Accessible: tagged for screen readers, with a title and the document's language.
            assert info["Tagged"] == "yes", pdf.name
            assert info["Title"], pdf.name
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "en-GB", pdf.name
    published = _pdf_info(tmp_path / "pdf" / "published.pdf")
    if published:
        assert published["Title"] == doc.title
    brief = _pdf_info(tmp_path / "pdf" / "brief.pdf")
    if brief:
        assert brief["Pages"] == "1", "the 7-minute briefing must fit on one page"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "OFFICIAL-SENSITIVE" in text and "Page 1 of" in text
        assert "{{ 7*7 }}" in text and "49" not in text.replace("2024-25-", "")


def test_a_missing_libreoffice_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BSCP_SOFFICE", raising=False)
    with pytest.raises(ConversionError) as caught:
        to_pdf(tmp_path / "x.docx", tmp_path)
    assert "libreoffice-writer-nogui" in str(caught.value)


def test_a_failed_conversion_is_reported(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BSCP_SOFFICE", str(fake))
    with pytest.raises(ConversionError, match=r"could not convert x\.docx: Error: source file"):
        to_pdf(tmp_path / "x.docx", tmp_path)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_every_example_briefing_fits_on_one_page(tmp_path):
    """The bundled briefs and review briefings are what new partnerships copy: each must fit a page."""
    require_libreoffice()

    from pipeline.content.project import load_project
    from pipeline.published import brief_document
    from tests.conftest import EXAMPLE_CONTENT, EXAMPLE_TODAY

    project = load_project(EXAMPLE_CONTENT, EXAMPLE_TODAY)
    docs = [
        render_brief_docx(project, brief_document(b), tmp_path / f"{b.id}.docx")
        for b in project.briefs
    ]
    for entry in project.reviews:
        if entry.review.learning_brief is not None:
            doc = review_document(entry, project)
            docs.append(render_brief_docx(project, doc, tmp_path / f"{entry.id}.docx"))
    assert len(docs) >= 3
    for pdf in to_pdfs(docs, tmp_path / "pdf"):
        info = _pdf_info(pdf)
        if info:
            assert info["Pages"] == "1", (
                f"{pdf.stem}: the 7-minute briefing runs to {info['Pages']} pages"
            )
