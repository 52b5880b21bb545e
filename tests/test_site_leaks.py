"""The final leak gate: every file of the built site, every identifier of every review."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.anonymise.gate import LeakScanner
from pipeline.anonymise.identifiers import IdentifierSet, KnownIdentifier
from pipeline.errors import LeakError
from pipeline.publish.leakscan import Unreadable, file_texts, scan_file, scan_site
from tests.site_support import (
    FakeIdentifier,
    FakeLeakScanner,
    build_fixture,
    copy_fixture,
    each_pdf,
    fake_render_word,
    fake_stages,
    fake_to_pdf,
    new_word_document,
    write_pdf,
)
from tests.tools import pdftotext

CHILD_T = "Tyrese Okonkwo-Bramley"  # BSCP-2024-25-05's child, published as "Child T"
PARTNER_R = "Lyle Carraway"  # BSCP-2024-25-06 (a draft) mother's partner
SIGN_OFF = "Morag Tillotson"  # the local authority's sign-off on every fixture review


def write_into_summary(root: Path, review: str, text: str) -> None:
    summary = root / "content" / "reviews" / review / "summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def failed_build(root: Path, **stage_changes) -> str:
    with pytest.raises(LeakError) as caught:
        build_fixture(root, stages=fake_stages(**stage_changes))
    return caught.value.report()


def test_a_name_in_published_text_fails_the_build_everywhere_it_appears(tmp_path):
    root = copy_fixture(tmp_path)
    build_fixture(root)
    index_before = (root / "build" / "site" / "index.html").read_bytes()
    write_into_summary(root, "BSCP-2024-25-05", f"{CHILD_T} went missing again.")
    report = failed_build(root)
    for file in (
        "build/site/reviews/BSCP-2024-25-05/index.html",
        "build/site/search/search_index.json",
        "build/site/downloads/BSCP-2024-25-05.docx",
        "build/site/downloads/BSCP-2024-25-05.pdf",
    ):
        assert (
            f"{file}: contains a known identifier of BSCP-2024-25-05 (name, published as 'Child T')"
            in report
        )
    # Logs name the label and the kind, never the identifier.
    assert "Tyrese" not in report and "Okonkwo" not in report
    # The last good site is untouched.
    assert (root / "build" / "site" / "index.html").read_bytes() == index_before
    assert "Tyrese" not in (root / "build" / "site" / "search" / "search_index.json").read_text(
        encoding="utf-8"
    )


def test_identifiers_of_unpublished_reviews_are_caught_too(tmp_path):
    root = copy_fixture(tmp_path)
    write_into_summary(root, "BSCP-2024-25-01", f"{PARTNER_R} was not involved.")
    report = failed_build(root)
    assert (
        "build/site/reviews/BSCP-2024-25-01/index.html: contains a known identifier of "
        'BSCP-2024-25-06 (name, published as "Mother\'s partner")' in report
    )
    assert "Carraway" not in report


def test_identifiers_in_word_document_properties_are_caught(tmp_path):
    root = copy_fixture(tmp_path)

    def render_with_author(project, doc, out_path):
        path = fake_render_word(project, doc, out_path)
        document = docx.Document(str(path))
        document.core_properties.last_modified_by = SIGN_OFF
        document.save(str(path))
        return path

    report = failed_build(root, render_word=render_with_author)
    # The sign-off is on every review: the scanner may name any of them.
    assert "build/site/downloads/BSCP-2024-25-01.docx: contains a known identifier of" in report
    assert (
        """(name, published as "Director of Children's Services") in its docProps/core.xml"""
        in (report)
    )
    assert "Tillotson" not in report


def test_a_name_split_across_word_runs_is_caught(tmp_path):
    root = copy_fixture(tmp_path)

    def render_split(project, doc, out_path):
        path = fake_render_word(project, doc, out_path)
        document = docx.Document(str(path))
        paragraph = document.add_paragraph("Reviewed with ")
        paragraph.add_run("Tyr").bold = True
        paragraph.add_run("ese Okonkwo-Bramley")
        document.save(str(path))
        return path

    def to_pdf_without_text(docx_path, out_dir):
        return write_pdf(out_dir / f"{docx_path.stem}.pdf", ["A summary."])

    report = failed_build(root, render_word=render_split, to_pdfs=each_pdf(to_pdf_without_text))
    assert "word/document.xml paragraphs" in report
    assert "Tyr" not in report.replace("Tyrese", "")


def test_identifiers_in_pdf_text_and_properties_are_caught(tmp_path):
    root = copy_fixture(tmp_path)

    def pdf_with_leaks(docx_path, out_dir):
        fake_to_pdf(docx_path, out_dir)
        return write_pdf(
            out_dir / f"{docx_path.stem}.pdf",
            ["Seen by Dean Fitch."],
            info={"Author": SIGN_OFF, "Producer": "LibreOffice"},
        )

    report = failed_build(root, to_pdfs=each_pdf(pdf_with_leaks))
    # Father is in two reviews: the scanner may name either.
    assert "build/site/downloads/BSCP-2024-25-01.pdf: contains a known identifier of" in report
    assert "(name, published as 'Father') in its page 1" in report
    assert "in its document properties" in report
    assert "Fitch" not in report and "Tillotson" not in report


def test_a_file_the_gate_cannot_read_fails_the_build(tmp_path):
    root = copy_fixture(tmp_path)

    def render_with_thumbnail(project, doc, out_path):
        path = fake_render_word(project, doc, out_path)
        buffer = io.BytesIO(path.read_bytes())
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("docProps/thumbnail.jpeg", b"\xff\xd8\xff\xe0 not really")
        path.write_bytes(buffer.getvalue())
        return path

    with pytest.raises(LeakError) as caught:
        build_fixture(root, stages=fake_stages(render_word=render_with_thumbnail))
    assert (
        "build/site/downloads/BSCP-2024-25-01.docx: cannot be checked for leaks: contains "
        "docProps/thumbnail.jpeg" in caught.value.report()
    )


# --- Reading each kind of file ------------------------------------------------------------------

SCANNER = FakeLeakScanner([[FakeIdentifier(CHILD_T, "Child T", "name", "BSCP-2024-25-05")]])
NHS = FakeLeakScanner([[FakeIdentifier("9434765919", "[removed]", "NHS number", "X")]])


def test_numbers_in_json_are_read_as_written(tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(b'{"n": 1.5, "m": 9434765919}')
    assert [leak.part for leak in scan_file(path, "data.json", NHS)] == ["values"]


def _docx_bytes(*runs: str) -> bytes:
    document = new_word_document()
    paragraph = document.add_paragraph()
    for text in runs:
        paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("attribute.html", f'<p><a href="#" title="{CHILD_T}">more</a></p>'.encode()),
        ("alt.html", f'<img alt="{CHILD_T}" src="x.png">'.encode()),
        ("entities.html", b"<p>Tyr&#101;se Okonkwo&#x2d;Bramley</p>"),
        ("split.html", b"<p>Tyr<em>ese</em> Okonkwo-Bramley</p>"),
        ("linebreak.html", b"<p>Tyrese\n   Okonkwo-Bramley</p>"),
        ("comment.html", f"<!-- {CHILD_T} -->".encode()),
        ("escaped.json", json.dumps({"text": CHILD_T}, ensure_ascii=True).encode()),
        ("unicode.json", b'{"t": "Tyrese Okonkwo\\u002dBramley"}'),
        ("repeated-key.json", f'{{"t": "{CHILD_T}", "t": "nobody"}}'.encode()),
        ("index.json", f'{{"docs": [{{"text": "x"}}, {{"text": "{CHILD_T}"}}]}}'.encode()),
        ("sitemap.xml.gz", gzip.compress(f"<urlset><loc>{CHILD_T}</loc></urlset>".encode())),
        ("feed.xml", f"<rss><item><title>{CHILD_T}</title></item></rss>".encode()),
        (
            "image.svg",
            f'<svg xmlns="http://www.w3.org/2000/svg"><title>{CHILD_T}</title></svg>'.encode(),
        ),
        ("style.css", f"/* {CHILD_T} */ body {{ color: red; }}".encode()),
        ("script.js", f'var who = "{CHILD_T}";'.encode()),
        ("runs.docx", _docx_bytes("Tyr", "ese Okon", "kwo-Bramley")),
        (
            "logo.png",
            b"\x89PNG\r\n\x1a\n"
            + len(f"Author\0{CHILD_T}").to_bytes(4, "big")
            + b"tEXt"
            + f"Author\0{CHILD_T}".encode()
            + b"\0\0\0\0",
        ),
    ],
)
def test_the_gate_reads_every_kind_of_published_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    leaks = scan_file(path, name, SCANNER)
    assert leaks, f"the identifier in {name} was not found"
    assert {(leak.label, leak.kind) for leak in leaks} == {("Child T", "name")}


def test_the_gate_reads_pdf_text_with_ligatures_folded(tmp_path):
    pdftotext()
    path = write_pdf(tmp_path / "doc.pdf", ["Reviewed with Tyrese Okonkwo-Bramley."])
    parts = {part for part, _ in file_texts(path)}
    assert {"page 1", "document properties"} <= parts
    assert scan_file(path, "doc.pdf", SCANNER)
    ligature = FakeLeakScanner([[FakeIdentifier("Sofia Griffin", "Mother", "name", "X")]])
    (tmp_path / "lig.html").write_text("<p>So\ufb01a Gri\ufb03n</p>", encoding="utf-8")
    assert scan_file(tmp_path / "lig.html", "lig.html", ligature)


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("photo.jpg", b"\xff\xd8\xff", "cannot read .jpg files"),
        ("font.woff2", b"wOF2", "cannot read .woff2 files"),
        ("README", b"text", "cannot read extensionless files"),
        ("latin1.html", "caf\xe9".encode("latin-1"), "is not UTF-8 text"),
        ("broken.json", b"{not json", "not valid JSON"),
        ("broken.pdf", b"%PDF-1.4 nonsense", "not a readable PDF"),
        ("broken.docx", b"PK not a zip", "not a Word document"),
    ],
)
def test_files_the_gate_cannot_read_are_refused(tmp_path, name, content, why):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Unreadable, match=why):
        list(file_texts(path))


def test_theme_files_are_skipped_only_when_byte_identical(tmp_path):
    site, theme = tmp_path / "site", tmp_path / "theme"
    for folder in (site, theme):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "bundle.js").write_text(f'"{CHILD_T}"', encoding="utf-8")
    leaks, unreadable = scan_site(site, SCANNER, theme=theme)
    assert (leaks, unreadable) == ([], [])
    (site / "assets" / "bundle.js").write_text(f'"{CHILD_T}" ', encoding="utf-8")
    leaks, _ = scan_site(site, SCANNER, theme=theme)
    assert [leak.file for leak in leaks] == ["assets/bundle.js"]


def test_symbolic_links_in_the_site_are_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    _, unreadable = scan_site(site, SCANNER)
    assert unreadable == [("link.txt", "is a symbolic link; the site holds real files only")]


def test_tag_names_are_markup_but_unknown_elements_are_read(tmp_path):
    """ "<li>Wen" is not the name "Li Wen"; a name written as an element is in the page's source."""
    li_wen = FakeLeakScanner([[FakeIdentifier("Li Wen", "Father", "name", "X")]])
    page = tmp_path / "list.html"
    page.write_text("<ul><li>Wen, a friend, visited.</li><li>Li</li></ul>", encoding="utf-8")
    assert scan_file(page, "list.html", li_wen) == []
    page.write_text("<p>Li Wen visited.</p>", encoding="utf-8")
    assert scan_file(page, "list.html", li_wen)
    jayden = FakeLeakScanner([[FakeIdentifier("Jayden", "Child A", "name", "X")]])
    page.write_text('<p>Seen.</p><jayden hidden="">x</jayden>', encoding="utf-8")
    assert {leak.part for leak in scan_file(page, "list.html", jayden)} == {
        "attributes and comments",
        "source",
    }
    page.write_text('<p data-jayden="1">Seen.</p>', encoding="utf-8")
    assert scan_file(
        page,
        "list.html",
        FakeLeakScanner([[FakeIdentifier("data-jayden", "Child A", "name", "X")]]),
    )


def test_the_search_index_keeps_tags_whose_names_are_markup(tmp_path):
    li_wen = FakeLeakScanner([[FakeIdentifier("Li Wen", "Father", "name", "X")]])
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"docs": [{"text": "<ul><li>Wen, a friend</li></ul>"}]}))
    assert scan_file(index, "search_index.json", li_wen) == []
    index.write_text(json.dumps({"docs": [{"text": "<li>Li Wen, a friend</li><lin>x"}]}))
    assert scan_file(index, "search_index.json", li_wen)


def test_an_icon_s_outline_is_not_text_but_a_date_anywhere_else_is(tmp_path):
    """Material's book icon draws "...S2.45 4.9 ... 5.05 20..."; read as text that spells a date of
    birth written 5.05.20, and every page of a review whose child was born on 5 May 2020 was
    refused. Path syntax alone is passed over; the same date in text or in any other attribute is
    still a leak, and so is a name written into a path."""
    born = IdentifierSet(
        "X", [KnownIdentifier("2020-05-05", "date_of_birth", "[removed]", "dob", "X", "DATE")]
    )
    scanner = LeakScanner([born])
    page = tmp_path / "page.html"
    icon = '<svg viewBox="0 0 24 24"><path d="M1 6v14.65c0 .25.25.5.5.5C3.1 20.45 5.05 20 6.5 20"/></svg>'
    page.write_text(f"<p>Seen.</p>{icon}", encoding="utf-8")
    assert scan_file(page, "page.html", scanner) == []
    page.write_text(f"<p>Born 5.05.20.</p>{icon}", encoding="utf-8")
    assert {leak.part for leak in scan_file(page, "page.html", scanner)} >= {"page text"}
    page.write_text('<p title="born 5.05 20">Seen.</p>', encoding="utf-8")
    assert "attributes and comments" in {
        leak.part for leak in scan_file(page, "page.html", scanner)
    }
    jayden = FakeLeakScanner([[FakeIdentifier("Jayden", "Child A", "name", "X")]])
    page.write_text('<svg><path d="M1 6 Jayden"/></svg>', encoding="utf-8")
    assert scan_file(page, "page.html", jayden)
