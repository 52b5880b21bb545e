"""Clean Word files: properties set by the pipeline, and nothing hidden left from whoever edited the template.

A template restyled in Word can carry its editor's name (properties, comments, tracked changes,
`people.xml`), the path of their Normal.dotm, custom XML and a thumbnail of an old page. None of it
reaches a rendered document.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from lxml import etree

GENERATOR = "bscp pipeline"
LANGUAGE = "en-GB"

# Relationships whose parts carry people's names or stale content, dropped from every output.
DROPPED_DOCUMENT_RELS = {
    RT.COMMENTS,
    RT.CUSTOM_XML,
    RT.GLOSSARY_DOCUMENT,
    "http://schemas.microsoft.com/office/2011/relationships/people",
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
}
DROPPED_PACKAGE_RELS = {
    RT.CUSTOM_PROPERTIES,
    RT.THUMBNAIL,
    RT.CUSTOM_XML,
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin",
}
_UNWRAP = ("ins", "moveTo", "customXml", "smartTag")
_REMOVE = (
    "del",
    "moveFrom",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "trPrChange",
    "tcPrChange",
    "tblGridChange",
    "numberingChange",
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "commentRangeStart",
    "commentRangeEnd",
    "proofErr",
    "permStart",
    "permEnd",
)
_SETTINGS_REMOVE = (
    "attachedTemplate",
    "trackRevisions",
    "docVars",
    "mailMerge",
    "removePersonalInformation",
)


@dataclass(frozen=True)
class Properties:
    """The document properties the pipeline writes; nothing comes from the machine."""

    title: str
    subject: str
    author: str
    company: str
    date: dt.date | None
    keywords: str = ""
    category: str = ""


def _wtag(name: str) -> str:
    return qn(f"w:{name}")


def strip_revisions(root: etree._Element) -> None:
    """Accept tracked insertions, drop tracked deletions and comments, in one XML part."""
    for row in root.iter(_wtag("tr")):
        props = row.find(_wtag("trPr"))
        if props is not None and props.find(_wtag("del")) is not None:
            row.getparent().remove(row)
    for name in _REMOVE:
        for node in list(root.iter(_wtag(name))):
            node.getparent().remove(node)
    for ref in list(root.iter(_wtag("commentReference"))):
        run = ref.getparent()
        run.remove(ref)
        if run.tag == _wtag("r") and not [c for c in run if c.tag != _wtag("rPr")]:
            run.getparent().remove(run)
    for name in _UNWRAP:
        for node in list(root.iter(_wtag(name))):
            parent = node.getparent()
            if parent.tag in (_wtag("rPr"), _wtag("trPr")):  # a revision mark, not a wrapper
                parent.remove(node)
                continue
            index = parent.index(node)
            for offset, child in enumerate([c for c in node if c.tag != _wtag("customXmlPr")]):
                parent.insert(index + offset, child)
            parent.remove(node)


def _xml_parts(document: Document) -> list[Part]:
    return [
        part
        for part in document.part.package.iter_parts()
        if part.content_type.startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
    ]


def _drop(rels, types: set[str]) -> None:
    for r_id, rel in list(rels.items()):
        if rel.reltype in types:
            rels.pop(r_id)


def clean(document: Document, props: Properties) -> None:
    """Remove comments, tracked changes, custom XML and stray parts; write the pipeline's properties."""
    _drop(document.part.rels, DROPPED_DOCUMENT_RELS)
    _drop(document.part.package.rels, DROPPED_PACKAGE_RELS)
    for part in _xml_parts(document):
        if isinstance(part, XmlPart):
            strip_revisions(part.element)
        elif part.content_type in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
            root = etree.fromstring(part.blob)
            strip_revisions(root)
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    settings = document.settings.element
    for name in _SETTINGS_REMOVE:
        for node in settings.findall(_wtag(name)):
            settings.remove(node)
    _drop(
        document.part._settings_part.rels,
        {"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"},
    )
    _core(document, props)
    _app(document, props)


def _core(document: Document, props: Properties) -> None:
    core = document.core_properties
    for child in list(core._element):
        core._element.remove(child)
    core.title = props.title
    core.subject = props.subject
    core.author = props.author
    core.last_modified_by = props.author
    core.language = LANGUAGE
    core.keywords = props.keywords
    core.category = props.category
    core.revision = 1
    if props.date is not None:
        moment = dt.datetime.combine(props.date, dt.time(9, 0))
        core.created = moment
        core.modified = moment


def app_xml(props: Properties) -> bytes:
    """Return docProps/app.xml: the company and the generator, nothing about the machine."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{GENERATOR}</Application><DocSecurity>0</DocSecurity>"
        f"<Company>{escape(props.company)}</Company><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>1.0000</AppVersion></Properties>"
    ).encode()


def _app(document: Document, props: Properties) -> None:
    package = document.part.package
    blob = app_xml(props)
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def to_bytes(document: Document, date: dt.date | None) -> bytes:
    """Return the saved document, its zip entries stamped with `date` so equal input gives equal bytes."""
    raw = io.BytesIO()
    document.save(raw)
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0) if date else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
