"""Write the site's pages: Markdown files for MkDocs whose bodies are HTML rendered and escaped here.

Every value from content goes through Jinja's autoescape or through `render_markdown` (which
escapes raw HTML), so no author text reaches a page unescaped. Page titles go into front matter
HTML-escaped too, because the theme prints them unescaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.content.model import Partnership, RapidReviewAnchor
from pipeline.publish.catalogue import TYPE_GROUPS, Catalogue, Notice, Publication
from pipeline.publish.text import excerpt, file_size, long_date, month_year, render_markdown, slug

HOME_LATEST = 6
NOT_FOUND_LATEST = 5
# Pages without the side columns: the tabs (or the menu on a phone) lead everywhere.
WIDE = {"hide": ["navigation", "toc"]}
# Pages that lead to publications are kept out of the search index, so that a search finds the
# review or brief itself, not every listing it appears in; publications rank above the rest.
LISTING = {**WIDE, "search": {"exclude": True}}
PUBLICATION_SEARCH = {"search": {"boost": 2}}


@dataclass(frozen=True)
class Page:
    """A page of the site: where it is served, its Markdown source file, and the text of that file."""

    path: (
        str  # "" for the home page, else e.g. "reviews/BSCP-2024-25-03" (served with a trailing /)
    )
    source: str  # its file under the docs folder, e.g. "reviews/BSCP-2024-25-03.md"
    text: str


def relative_url(here: str, target: str, page: bool = True) -> str:
    """Return the link from page `here` to `target` (a page path, or a file path when not `page`)."""
    depth = len([part for part in here.split("/") if part])
    prefix = "../" * depth
    if not page:
        return prefix + target
    if not target:
        return prefix or "./"
    return f"{prefix}{target}/"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.publish", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=long_date,
        month_year=month_year,
        file_size=file_size,
        slug=slug,
        excerpt=excerpt,
        markdown=lambda text, level=2, title="": render_markdown(text, below=level, title=title),
    )
    return env


def _front_matter(title: str, **meta: Any) -> str:
    # JSON is valid YAML, and html.escape keeps the theme's unescaped title printing safe.
    lines = [f"title: {json.dumps(html.escape(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


class PageWriter:
    """Renders each kind of page from the catalogue and the partnership's public settings."""

    def __init__(self, catalogue: Catalogue, partnership: Partnership, today: dt.date) -> None:
        self.catalogue = catalogue
        self.partnership = partnership
        self.today = today
        self.theme_labels = {t.id: t.label for t in partnership.themes}

    def _render(self, template: str, here: str, **values: Any) -> str:
        def url(target: str, page: bool = True) -> str:
            return relative_url(here, target, page)

        def theme_label(theme_id: str) -> str:
            return self.theme_labels.get(theme_id, theme_id)

        return (
            _environment()
            .get_template(template)
            .render(
                url=url,
                theme_label=theme_label,
                catalogue=self.catalogue,
                partnership=self.partnership,
                today=self.today,
                **values,
            )
        )

    def page(self, path: str, source: str, template: str, title: str, meta: dict, **values: Any):
        text = _front_matter(title, **meta) + self._render(template, path, **values)
        return Page(path, source, text)

    def publication(self, pub: Publication) -> Page:
        doc = pub.document
        if doc.kind == "brief":
            # The seven panels take the full width, as a grid.
            return self.page(
                pub.path,
                f"{pub.path}.md",
                "brief.md.j2",
                doc.title,
                {**WIDE, **PUBLICATION_SEARCH},
                pub=pub,
            )
        type_slug = next(s for key, s, _ in TYPE_GROUPS if key == pub.type_group)
        return self.page(
            pub.path,
            f"{pub.path}.md",
            "review.md.j2",
            doc.title,
            {"hide": ["navigation"], **PUBLICATION_SEARCH},
            pub=pub,
            type_slug=type_slug,
        )

    def notice(self, notice: Notice) -> Page:
        noun = notice.type_label[0].lower() + notice.type_label[1:]
        return self.page(
            notice.path,
            f"{notice.path}.md",
            "notice.md.j2",
            f"No longer online: {noun} {notice.id}",
            # Out of search and the sitemap; the URL stays so that old links explain themselves.
            {"search": {"exclude": True}, "bscp_withdrawn": True, **WIDE},
            notice=notice,
            type_noun=noun,
            retention_months=self.partnership.publication.retention_months,
            contact_email=self.partnership.publication.contact_email,
            national_repository_url=self.partnership.publication.national_repository_url,
        )

    def listing(
        self,
        path: str,
        title: str,
        description: str,
        publications: tuple[Publication, ...],
        parent: tuple[str, str],
    ) -> Page:
        return self.page(
            path,
            f"{path}.md" if "/" in path else f"{path}/index.md",
            "listing.md.j2",
            title,
            LISTING,
            heading=title,
            description=description,
            publications=publications,
            parent_path=parent[0],
            parent_title=parent[1],
        )

    def all_pages(self) -> list[Page]:
        """Return every page of the site."""
        cat = self.catalogue
        reviews = tuple(p for p in cat.publications if p.kind == "review")
        briefs = tuple(p for p in cat.publications if p.kind == "brief")
        themes = cat.browse_for("themes").groups
        popular = sorted((g for g in themes if g.items), key=lambda g: (-len(g.items), g.title))
        pages = [
            self.page(
                "",
                "index.md",
                "home.md.j2",
                "Learning from reviews",
                LISTING,
                latest=cat.publications[:HOME_LATEST],
                popular=popular[:8],
            ),
            self.listing(
                "reviews",
                "Reviews",
                "Rapid reviews and local child safeguarding practice reviews, newest first.",
                reviews,
                ("", "Home"),
            ),
            self.listing(
                "briefs",
                "Learning briefs",
                "Seven-minute briefings: the learning from our reviews, ready for a team meeting.",
                briefs,
                ("", "Home"),
            ),
            self.page(
                "process",
                "process.md",
                "process.md.j2",
                "How reviews work",
                {},
                area=self.partnership.name.replace(" Safeguarding Children Partnership", "")
                or self.partnership.name,
                anchor="the serious incident notification"
                if self.partnership.working_days.rapid_review_anchor
                is RapidReviewAnchor.SIN_SUBMITTED
                else "the safeguarding partners becoming aware of the incident",
            ),
            self.page(
                "accessibility", "accessibility.md", "accessibility.md.j2", "Accessibility", {}
            ),
        ]
        pages += [self.publication(pub) for pub in cat.publications]
        pages += [self.notice(notice) for notice in cat.notices]
        for browse in cat.browse:
            others = [b for b in cat.browse if b is not browse]
            pages.append(
                self.page(
                    browse.key,
                    f"{browse.key}/index.md",
                    "browse.md.j2",
                    f"Browse {browse.title.lower()}",
                    LISTING,
                    browse=browse,
                    others=others,
                )
            )
            for group in browse.groups:
                pages.append(
                    self.listing(
                        browse.group_path(group),
                        group.title,
                        group.description,
                        group.items,
                        (browse.key, f"Browse {browse.title.lower()}"),
                    )
                )
        return pages


def site_parts(catalogue: Catalogue, partnership: Partnership, root: str) -> dict[str, str]:
    """Return the HTML the theme puts on every page (the quick exit and the 'Worried about a
    child?' panel) and the 404 page's body, rendered and escaped here from partnership.yaml.

    `root` is the path the site is served under (e.g. '/'): the 404 page is served at any address.
    """
    settings = partnership.publication
    values = {
        "signposting": settings.worried_about_a_child,
        "exit_url": settings.quick_exit_url,
        "national_repository_url": settings.national_repository_url,
        "latest": catalogue.publications[:NOT_FOUND_LATEST],
        "root": root,
    }
    env = _environment()
    return {
        name: env.get_template(f"{name}.html.j2").render(**values)
        for name in ("banner", "signpost", "not_found")
    }


def nav(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Return the MkDocs navigation: the pages people start from (publications are linked)."""
    return [
        {"Home": "index.md"},
        {"Reviews": "reviews/index.md"},
        {"Learning briefs": "briefs/index.md"},
        {"Browse": [{browse.title: f"{browse.key}/index.md"} for browse in catalogue.browse]},
        {"How reviews work": "process.md"},
        {"Accessibility": "accessibility.md"},
    ]


def write_pages(pages: list[Page], docs_dir: Path) -> None:
    """Write each page's Markdown under `docs_dir`."""
    for page in pages:
        target = docs_dir / page.source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
