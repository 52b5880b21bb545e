"""Narrative Markdown as WordprocessingML in the template's own styles, with real Word numbering.

A `MarkdownBlock` is what the render context holds for every narrative field. A template places it
alone in a paragraph as `{{p sections.summary }}`; docxtpl swaps that paragraph for the XML the block
returns from `__html__`. The XML is produced *after* Jinja has parsed the template, so text such as
`{{ 7*7 }}` in content is never evaluated; braces are also written as character references so that
no later string rewrite inside docxtpl can turn content into template syntax.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree
from markdown_it.tree import SyntaxTreeNode

from pipeline.errors import ContentError, Problem, TemplateError
from pipeline.markdown import SAFE_LINK_SCHEMES, parse, walk

if TYPE_CHECKING:
    from docx.document import Document
    from markdown_it.token import Token

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

BULLET_STYLE = "List Bullet"
NUMBER_STYLE = "List Number"
# Inside table cells text takes a family of smaller styles: "Table Text", "Table List Bullet" and
# "Table List Number" in data tables, "Panel ..." in the briefing's panels.
CELL_FAMILIES = ("Table", "Panel")
QUOTE_STYLE = "Quote"
BODY_STYLE = "Normal"
TABLE_STYLE = "BSCP Table"
TABLE_TEXT_STYLE = "Table Text"
HYPERLINK_STYLE = "Hyperlink"
MAX_HEADING = 6
LEVELS = 9
# Indent of list level n (0-based) in twentieths of a point: 0.63 cm per level, 0.63 cm hanging.
LIST_INDENT, LIST_HANGING = 357, 357
# Nominal width of the text column on A4 with 2 cm margins, in twentieths of a point.
TEXT_WIDTH = 9638

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BULLETS = ("\u2022", "\u2013", "\u25e6")  # bullet, en dash, white bullet
_NUMBER_FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))


def w(tag: str) -> str:
    return qn(f"w:{tag}")


def _el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    node = etree.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()}, nsmap={"w": W_NS})
    node.extend(children)
    return node


def clean_text(text: str) -> str:
    """Return `text` without the control characters XML cannot hold."""
    return _INVALID_XML.sub("", text)


def to_xml_string(elements: list[etree._Element]) -> str:
    """Serialise body elements for docxtpl, writing braces as references so no rewrite sees `{{`."""
    xml = "".join(etree.tostring(e, encoding="unicode") for e in elements)
    return xml.replace("{", "&#123;").replace("}", "&#125;")


def abstract_num(abstract_id: int, ordered: bool) -> etree._Element:
    """Return a nine-level list definition: bullets, or 1. a. i. numbering, indented per level."""
    node = _el("abstractNum", {"abstractNumId": str(abstract_id)})
    node.append(_el("multiLevelType", {"val": "hybridMultilevel"}))
    for level in range(LEVELS):
        if ordered:
            fmt, pattern = _NUMBER_FORMATS[level % 3]
            text = pattern.format(n=level + 1)
        else:
            fmt, text = "bullet", _BULLETS[level % 3]
        lvl = _el("lvl", {"ilvl": str(level)})
        lvl.append(_el("start", {"val": "1"}))
        lvl.append(_el("numFmt", {"val": fmt}))
        lvl.append(_el("lvlText", {"val": text}))
        lvl.append(_el("lvlJc", {"val": "left"}))
        lvl.append(
            _el(
                "pPr",
                None,
                _el(
                    "ind",
                    {
                        "left": str(LIST_INDENT * (level + 1) + LIST_HANGING * level // 2),
                        "hanging": str(LIST_HANGING),
                    },
                ),
            )
        )
        if not ordered:
            lvl.append(
                _el(
                    "rPr",
                    None,
                    _el("rFonts", {"ascii": "Arial", "hAnsi": "Arial", "hint": "default"}),
                )
            )
        node.append(lvl)
    return node


def list_indent(level: int) -> int:
    """Return the left indent of list level `level`, as `abstract_num` sets it."""
    return LIST_INDENT * (level + 1) + LIST_HANGING * level // 2


class WordTarget:
    """The rendered document blocks are written into: its styles, numbering and hyperlinks."""

    def __init__(self, document: Document, template: str) -> None:
        self._document = document
        self._template = template
        self._style_ids: dict[str, str] = {}
        self._abstract: dict[bool, str] = {}
        self._links: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """Return the id of the style named `name`, or raise a TemplateError naming the template."""
        if name not in self._style_ids:
            try:
                self._style_ids[name] = self._document.styles[name].style_id
            except KeyError:
                raise TemplateError(
                    f"has no {name!r} style, which narrative text needs; add it in Word (Styles pane) or regenerate the template",
                    path=self._template,
                ) from None
        return self._style_ids[name]

    def _numbering(self) -> etree._Element:
        return self._document.part.numbering_part.element

    def _abstract_id(self, ordered: bool) -> str:
        """Return the list definition the template's List Number or List Bullet style uses."""
        if ordered in self._abstract:
            return self._abstract[ordered]
        numbering = self._numbering()
        style = self._document.styles[NUMBER_STYLE if ordered else BULLET_STYLE]
        num_ids = style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        found = None
        if num_ids:
            found = numbering.xpath(f'./w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId/@w:val')
        if found:
            self._abstract[ordered] = str(found[0])
        else:
            existing = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
            new_id = max(existing, default=0) + 1
            first_num = numbering.find(w("num"))
            definition = abstract_num(new_id, ordered)
            if first_num is not None:
                first_num.addprevious(definition)
            else:
                numbering.append(definition)
            self._abstract[ordered] = str(new_id)
        return self._abstract[ordered]

    def new_list(self, ordered: bool, start: int = 1) -> str:
        """Return the id of a new list instance that restarts its numbering at `start`."""
        abstract = self._abstract_id(ordered)
        numbering = self._numbering()
        num_id = str(max((int(v) for v in numbering.xpath("./w:num/@w:numId")), default=0) + 1)
        num = _el("num", {"numId": num_id}, _el("abstractNumId", {"val": abstract}))
        if ordered:
            for level in range(LEVELS):
                override = _el("lvlOverride", {"ilvl": str(level)})
                override.append(_el("startOverride", {"val": str(start if level == 0 else 1)}))
                num.append(override)
        numbering.append(num)
        return num_id

    def hyperlink(self, url: str) -> str:
        """Return the relationship id of an external hyperlink to `url`."""
        if url not in self._links:
            self._links[url] = self._document.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self._links[url]


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False


@dataclass
class _Where:
    """Where a block is being written: the paragraph style and the list it sits in."""

    style: str = BODY_STYLE
    cell: str = ""
    list_level: int = -1
    num_id: str | None = None
    numbered_paragraph: bool = False


@dataclass
class MarkdownBlock:
    """A narrative field: Markdown, where it came from, and how deep its headings sit."""

    text: str
    target: WordTarget = field(repr=False)
    source: str
    line: int = 1
    heading_base: int = 1
    empty: str = "Not recorded."
    cell: str = ""  # "" for body text, or one of CELL_FAMILIES inside a table cell
    field: str = ""

    # Parsed once, for the check and for writing; markdown-it's tokens are not shared elsewhere.
    tokens: list[Token] = dataclasses.field(
        init=False, repr=False, compare=False, default_factory=list
    )

    def __post_init__(self) -> None:
        self.text = clean_text(self.text or "")
        self.tokens = parse(self.text)
        check(self.text, self.source, self.line, self.field, self.tokens)

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def __html__(self) -> str:
        return to_xml_string(self.elements())

    def __str__(self) -> str:
        return self.__html__()

    def elements(self) -> list[etree._Element]:
        """Return the block as body-level Word elements (paragraphs and tables)."""
        writer = _Writer(self.target, self.heading_base)
        where = _Where(f"{self.cell} Text" if self.cell else BODY_STYLE, cell=self.cell)
        if self.text.strip():
            writer.blocks(SyntaxTreeNode(self.tokens).children, where)
        if not writer.out:
            writer.out.append(
                writer.paragraph(where.style, [_run(self.empty, Format(italic=True))])
            )
        if writer.out[-1].tag == w("tbl"):
            # A table cell, and Word, want a paragraph after a table.
            writer.out.append(writer.paragraph(where.style, []))
        keep_lead_ins_with_next(writer.out)
        return writer.out


def keep_lead_ins_with_next(elements: list[etree._Element]) -> None:
    """Keep a paragraph that introduces what follows on the same page as it.

    Headings keep with the next paragraph through their style (see templates/make_templates.py);
    a paragraph ending in a colon ("The agencies involved were:") or written all in bold (a heading
    in all but name) before a table or another paragraph gets the same `keepNext`, so Word never
    leaves it at the foot of a page away from its table or list.
    """
    for element, following in itertools.pairwise(elements):
        if element.tag != w("p"):
            continue
        runs = element.findall(w("r"))
        text = "".join(t.text or "" for t in element.iter(w("t"))).strip()
        bold = bool(runs) and all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in runs)
        if text and (text.endswith(":") or bold) and following.tag in (w("p"), w("tbl")):
            ppr = element.find(w("pPr"))
            if ppr is not None and ppr.find(w("keepNext")) is None:
                # keepNext comes right after pStyle in the schema's order of pPr children.
                ppr.insert(1, _el("keepNext"))


def check(
    text: str, source: str, base_line: int = 1, field: str = "", tokens: list[Token] | None = None
) -> None:
    """Refuse raw HTML and images: the loader's lint already does; this is the second lock."""
    problems = []
    for token, line in walk(parse(text) if tokens is None else tokens):
        if token.type in ("html_block", "html_inline"):
            snippet = token.content.strip().splitlines()[0][:40] if token.content.strip() else ""
            problems.append(
                Problem(
                    source,
                    base_line + line - 1,
                    field,
                    f"raw HTML is not allowed ({snippet!r}): write it in Markdown instead",
                )
            )
        elif token.type == "image":
            problems.append(
                Problem(
                    source,
                    base_line + line - 1,
                    field,
                    "images are not allowed in narrative: describe it in words",
                )
            )
    if problems:
        raise ContentError(problems)


def _run(text: str, fmt: Format) -> etree._Element:
    run = _el("r")
    props = []
    if fmt.bold:
        props.append(_el("b"))
    if fmt.italic:
        props.append(_el("i"))
    if fmt.strike:
        props.append(_el("strike"))
    if props:
        run.append(_el("rPr", None, *props))
    t = _el("t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    return run


class _Writer:
    def __init__(self, target: WordTarget, heading_base: int) -> None:
        self.target = target
        self.heading_base = heading_base
        self.out: list[etree._Element] = []

    def paragraph(
        self,
        style: str,
        runs: list[etree._Element],
        *,
        num: tuple[str, int] | None = None,
        indent: int | None = None,
        jc: str | None = None,
        rule: bool = False,
        keep: bool = False,
    ) -> etree._Element:
        ppr = _el("pPr", None, _el("pStyle", {"val": self.target.style_id(style)}))
        if keep:  # keep with the next paragraph or row (a table's header row with its first row)
            ppr.append(_el("keepNext"))
        if num is not None:
            ppr.append(
                _el(
                    "numPr",
                    None,
                    _el("ilvl", {"val": str(num[1])}),
                    _el("numId", {"val": num[0]}),
                )
            )
        if rule:
            ppr.append(
                _el(
                    "pBdr",
                    None,
                    _el("bottom", {"val": "single", "sz": "6", "space": "1", "color": "A6A6A6"}),
                )
            )
        if indent is not None:
            ppr.append(_el("ind", {"left": str(indent)}))
        if jc:
            ppr.append(_el("jc", {"val": jc}))
        return _el("p", None, ppr, *runs)

    # Blocks -------------------------------------------------------------------------------------

    def blocks(self, nodes: list[SyntaxTreeNode], where: _Where) -> None:
        for node in nodes:
            self.block(node, where)

    def block(self, node: SyntaxTreeNode, where: _Where) -> None:
        kind = node.type
        if kind == "paragraph":
            self.text_paragraph(self.inline(node.children[0]), where)
        elif kind == "heading":
            level = min(self.heading_base + int(node.tag[1:]), MAX_HEADING)
            heading = self.paragraph(f"Heading {level}", self.inline(node.children[0]))
            if where.cell:  # keep-with-next inside a cell makes LibreOffice move the whole table
                heading[0].insert(1, _el("keepNext", {"val": "0"}))
            self.out.append(heading)
        elif kind in ("bullet_list", "ordered_list"):
            ordered = kind == "ordered_list"
            start = int(node.attrs.get("start", 1)) if ordered else 1
            num_id = self.target.new_list(ordered, start)
            level = where.list_level + 1
            style = NUMBER_STYLE if ordered else BULLET_STYLE
            if where.cell:
                style = f"{where.cell} {style}"
            for item in node.children:
                inner = _Where(style, where.cell, level, num_id, numbered_paragraph=True)
                if not item.children or item.children[0].type != "paragraph":
                    # An item that starts with a nested list or a quote still shows its number.
                    self.out.append(self.paragraph(style, [], num=(num_id, level)))
                    inner.numbered_paragraph = False
                self.blocks(item.children, inner)
        elif kind == "blockquote":
            inner = _Where(QUOTE_STYLE, where.cell, where.list_level, where.num_id)
            self.blocks(node.children, inner)
        elif kind in ("fence", "code_block"):
            runs: list[etree._Element] = []
            for index, line in enumerate(node.content.rstrip("\n").split("\n")):
                if index:
                    runs.append(_el("r", None, _el("br")))
                runs.append(_run(line.replace("\t", "    "), Format()))
            self.text_paragraph(runs, where)
        elif kind == "hr":
            self.out.append(self.paragraph(where.style, [], rule=True))
        elif kind == "table":
            self.out.append(self.table(node))
        else:  # pragma: no cover - check() refuses html and images before we get here
            raise ContentError(f"cannot put a Markdown {kind!r} into Word")

    def text_paragraph(self, runs: list[etree._Element], where: _Where) -> None:
        if where.list_level < 0 or where.num_id is None:
            self.out.append(self.paragraph(where.style, runs))
        elif where.numbered_paragraph:
            self.out.append(self.paragraph(where.style, runs, num=(where.num_id, where.list_level)))
            where.numbered_paragraph = False
        else:  # a second paragraph of a list item: indented like the item, no bullet
            style = (
                where.style
                if where.style == QUOTE_STYLE
                else (f"{where.cell} Text" if where.cell else BODY_STYLE)
            )
            self.out.append(self.paragraph(style, runs, indent=list_indent(where.list_level)))

    def table(self, node: SyntaxTreeNode) -> etree._Element:
        rows = [tr for section in node.children for tr in section.children]
        columns = max((len(tr.children) for tr in rows), default=1)
        table = _el("tbl")
        table.append(
            _el(
                "tblPr",
                None,
                _el("tblStyle", {"val": self.target.style_id(TABLE_STYLE)}),
                _el("tblW", {"w": "5000", "type": "pct"}),
                _el(
                    "tblLook",
                    {
                        "val": "0620",
                        "firstRow": "1",
                        "lastRow": "0",
                        "firstColumn": "0",
                        "lastColumn": "0",
                        "noHBand": "1",
                        "noVBand": "1",
                    },
                ),
            )
        )
        grid = _el("tblGrid")
        for _ in range(columns):
            grid.append(_el("gridCol", {"w": str(TEXT_WIDTH // columns)}))
        table.append(grid)
        for section in node.children:
            header = section.type == "thead"
            for tr in section.children:
                row = _el("tr")
                if header:
                    row.append(_el("trPr", None, _el("tblHeader"), _el("cantSplit")))
                for cell in tr.children:
                    style = str(cell.attrs.get("style", ""))
                    jc = {"text-align:right": "right", "text-align:center": "center"}.get(style)
                    runs = self.inline(cell.children[0]) if cell.children else []
                    tc = _el(
                        "tc",
                        None,
                        _el(
                            "tcPr",
                            None,
                            _el("tcW", {"w": str(TEXT_WIDTH // columns), "type": "dxa"}),
                        ),
                        self.paragraph(TABLE_TEXT_STYLE, runs, jc=jc, keep=header),
                    )
                    row.append(tc)
                for _ in range(columns - len(tr.children)):
                    row.append(_el("tc", None, self.paragraph(TABLE_TEXT_STYLE, [], keep=header)))
                table.append(row)
        return table

    # Inline -------------------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode) -> list[etree._Element]:
        runs: list[etree._Element] = []
        self._inline(node.children, Format(), runs)
        return runs

    def _inline(self, nodes: list[SyntaxTreeNode], fmt: Format, out: list[etree._Element]) -> None:
        for node in nodes:
            kind = node.type
            if kind in ("text", "code_inline"):
                if node.content:
                    out.append(_run(node.content.replace("\t", " "), fmt))
            elif kind == "softbreak":
                out.append(_run(" ", fmt))
            elif kind == "hardbreak":
                out.append(_el("r", None, _el("br")))
            elif kind == "strong":
                self._inline(node.children, Format(True, fmt.italic, fmt.strike), out)
            elif kind == "em":
                self._inline(node.children, Format(fmt.bold, True, fmt.strike), out)
            elif kind == "s":
                self._inline(node.children, Format(fmt.bold, fmt.italic, True), out)
            elif kind == "link":
                self.link(node, fmt, out)
            else:  # pragma: no cover - check() refuses html and images before we get here
                raise ContentError(f"cannot put a Markdown {kind!r} into Word")

    def link(self, node: SyntaxTreeNode, fmt: Format, out: list[etree._Element]) -> None:
        href = str(node.attrs.get("href", ""))
        inner: list[etree._Element] = []
        self._inline(node.children, fmt, inner)
        if not href.lower().startswith(SAFE_LINK_SCHEMES):
            out.extend(inner)  # a relative link means nothing in a Word file: keep its words
            return
        style = self.target.style_id(HYPERLINK_STYLE)
        for run in inner:
            if run.find(w("t")) is not None:
                props = run.find(w("rPr"))
                if props is None:
                    props = _el("rPr")
                    run.insert(0, props)
                props.insert(0, _el("rStyle", {"val": style}))
        link = etree.Element(
            w("hyperlink"),
            {qn("r:id"): self.target.hyperlink(href), w("history"): "1"},
            nsmap={"w": W_NS, "r": R_NS},
        )
        link.extend(inner)
        out.append(link)
