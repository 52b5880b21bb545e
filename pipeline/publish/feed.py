"""The RSS 2.0 feed of new publications, with absolute links from `publication.site_url`."""

from __future__ import annotations

import datetime as dt
import email.utils
from xml.etree import ElementTree as ET

from pipeline.content.model import Partnership
from pipeline.errors import PublishError
from pipeline.publish.catalogue import Catalogue
from pipeline.publish.text import excerpt

FEED_FILE = "feed.xml"
FEED_ITEMS = 30
ATOM = "http://www.w3.org/2005/Atom"


def site_url(partnership: Partnership, source: str = "content/partnership.yaml") -> str:
    """Return the site's address ending in '/', or refuse when partnership.yaml has none."""
    url = partnership.publication.site_url
    if not url or not url.startswith(("https://", "http://")):
        raise PublishError(
            "is needed for the RSS feed and the sitemap: set it to the address the site is published at, e.g. https://example.org/bscp/",
            path=source,
            field="publication.site_url",
        )
    return url if url.endswith("/") else url + "/"


def _rfc822(value: dt.date) -> str:
    return email.utils.format_datetime(
        dt.datetime(value.year, value.month, value.day, 9, 0, tzinfo=dt.UTC)
    )


def rss_feed(catalogue: Catalogue, partnership: Partnership, base_url: str) -> bytes:
    """Return the feed: the newest live publications (withdrawn ones are left out)."""
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = f"{partnership.name}: new publications"
    ET.SubElement(channel, "link").text = base_url
    ET.SubElement(channel, "description").text = partnership.publication.description
    ET.SubElement(channel, "language").text = "en-gb"
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": base_url + FEED_FILE, "rel": "self", "type": "application/rss+xml"},
    )
    items = catalogue.publications[:FEED_ITEMS]
    if items:
        # The newest publication date, not the time of the build: rebuilding changes nothing.
        ET.SubElement(channel, "lastBuildDate").text = _rfc822(items[0].published)
    labels = {t.id: t.label for t in partnership.themes}
    for pub in items:
        doc = pub.document
        link = f"{base_url}{pub.path}/"
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = doc.title
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = link
        ET.SubElement(item, "pubDate").text = _rfc822(pub.published)
        # The summary alone: it says what kind of review this is, and the type is a category.
        ET.SubElement(item, "description").text = excerpt(doc.summary, 600)
        ET.SubElement(item, "category").text = doc.type_label
        for theme in doc.themes:
            ET.SubElement(item, "category").text = labels.get(theme, theme)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
