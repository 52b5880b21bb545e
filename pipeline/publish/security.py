"""Security and privacy checks of the built site, run before it replaces the last good one.

Nothing a page, style sheet or script would fetch may leave the site; every page carries the
Content-Security-Policy in its head before any script, and that policy allows nothing from elsewhere;
no page has inline scripts, event handlers, script or data: links, or embedded documents; every
internal link resolves; and nothing from the confidential or report folders is in the site.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pipeline.cachefile import Remembered, strings

# Scripts, styles, images, workers and data from the site itself only. Material's search runs in a
# worker from the site's own assets and fetches the site's search index; its icons are data: SVGs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

# Absolute URLs that appear in the theme's JavaScript and are never requested on this site, and why.
# Any other absolute URL in a script fails the build: a theme upgrade must be looked at first.
INERT_SCRIPT_URLS: dict[str, str] = {
    "https://api.github.com/": "repository facts, fetched only when `repo_url` is set; the site config refuses it",
    "https://unpkg.com/mermaid@": "loaded only for Mermaid diagrams; content cannot contain them",
    "https://unpkg.com/resize-observer-polyfill": "loaded only by browsers without ResizeObserver (none current)",
    "https://clipboardjs.com/": "a licence comment",
    "http://lunrjs.com": "a licence comment",
    "http://tartarus.org/~martin/PorterStemmer": "a licence comment",
    "https://bit.ly/2s3ChXG": "text of an error message in the search worker",
    "http://www.w3.org/": "XML namespace names, never fetched",
}

# <link rel=...> values that make a browser fetch the target on its own.
FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "modulepreload",
    "manifest",
    "prerender",
}

# (tag, attribute) pairs a browser fetches without anyone clicking.
FETCHING_ATTRIBUTES = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("track", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("feimage", "href"),
    ("base", "href"),
    ("form", "action"),
}

# Elements that embed another document: content never makes them, and the theme has none.
EMBEDDING_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal"}
# Attributes holding a URL a browser follows (on a click or by itself), and the schemes that run
# code there. `data:` is allowed only where the policy allows it: images.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
_RUNS_CODE = re.compile(r"^(javascript|vbscript|data):", re.I)
_CONTROL_AND_SPACE = "".join(map(chr, range(0x21)))
_DATA_ALLOWED = {("img", "src"), ("source", "srcset"), ("img", "srcset")}
# Sources a policy may name: the site itself, nothing, and data: for images.
_POLICY_SOURCES = {"'self'", "'none'"}
_POLICY_DATA = {"img-src"}

_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
_SCRIPT_URL = re.compile(r"""https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'`)<>]*""")


def is_external(url: str) -> bool:
    """Return True for a URL that would reach another machine (http(s), protocol-relative)."""
    url = url.strip()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.lower().startswith(
        "file:"
    )


def code_scheme(url: str) -> str:
    """Return "javascript", "vbscript" or "data" when a browser reads `url` as one (it ignores
    tabs and newlines inside a URL and control characters before it), else ""."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip(_CONTROL_AND_SPACE)
    match = _RUNS_CODE.match(cleaned)
    return match.group(1).lower() if match else ""


def csp_problems(policy: str) -> list[str]:
    """Return what in a Content-Security-Policy would let a page load or run anything from elsewhere."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    out = []
    if directives.get("default-src") not in (["'self'"], ["'none'"]):
        out.append("its Content-Security-Policy must start from default-src 'self'")
    if directives.get("object-src") != ["'none'"]:
        out.append("its Content-Security-Policy must forbid plugins (object-src 'none')")
    for name, sources in directives.items():
        for source in sources:
            allowed = _POLICY_SOURCES | ({"data:"} if name in _POLICY_DATA else set())
            if source.lower() not in allowed:
                out.append(f"its Content-Security-Policy allows {source} in {name}")
    return out


def css_problems(text: str) -> list[str]:
    """Return each external url() or @import in some CSS."""
    out = []
    for match in _CSS_URL.finditer(text):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        if url and is_external(url):
            out.append(f"style sheet loads {url!r} from another site")
    return out


def script_problems(text: str) -> list[str]:
    """Return each absolute URL in a script that is not known to be inert."""
    out = []
    for url in sorted(set(_SCRIPT_URL.findall(text))):
        if not any(url.startswith(prefix) for prefix in INERT_SCRIPT_URLS):
            out.append(
                f"script refers to {url!r}; if it is never requested, add it to INERT_SCRIPT_URLS in pipeline/publish/security.py with the reason"
            )
    return out


class _PageAudit(HTMLParser):
    """Walk one page and record what breaks the policy, and the internal links to check."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self.csp: list[str] = []
        self.script_seen_before_csp = False
        self.in_inline_script = False
        self.in_style = False
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an inline event handler ({name})")
            scheme = code_scheme(value) if name in URL_ATTRIBUTES or name == "srcset" else ""
            if scheme in ("javascript", "vbscript"):
                self.problems.append(f"<{tag} {name}> runs a script URL")
            elif scheme == "data" and (tag, name) not in _DATA_ALLOWED:
                self.problems.append(f"<{tag} {name}> opens a data: URL")
            if name == "style":
                self.problems.extend(f"<{tag}> inline style: {p}" for p in css_problems(value))
            if name == "srcdoc":
                self.problems.append(f"<{tag}> embeds a document of its own (srcdoc)")
        if tag in EMBEDDING_TAGS:
            self.problems.append(f"<{tag}> embeds another document")
        if tag == "base":
            self.problems.append("<base> changes where every link of the page goes")
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(values.get("content", ""))
            if not self.in_head:
                self.problems.append(
                    "has its Content-Security-Policy outside <head>, where browsers ignore it"
                )
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = values.get("content", "").partition("url=")[2]
            if target and is_external(target):
                self.problems.append(f"refreshes to {target!r} on another site")
        if tag == "script":
            if not self.csp:
                self.script_seen_before_csp = True
            kind = values.get("type", "").lower()
            if "src" not in values and kind != "application/json":
                self.in_inline_script = True
                self.problems.append("has an inline <script> (not allowed by the policy)")
        if tag == "style":
            self.in_style = True
        fetched = [(name, values[name]) for name in values if (tag, name) in FETCHING_ATTRIBUTES]
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & FETCHING_RELS:
                fetched.append(("href", values.get("href", "")))
            if values.get("href"):
                self.links.append(values["href"])
        for name, value in fetched:
            urls = (
                [part.strip().split(" ")[0] for part in value.split(",")]
                if "srcset" in name
                else [value]
            )
            for url in urls:
                if is_external(url):
                    self.problems.append(f"<{tag} {name}> fetches {url!r} from another site")
                elif tag != "form" and url:
                    self.links.append(url)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self.in_inline_script = False
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.problems.extend(f"<style>: {p}" for p in css_problems(data))


def page_problems(
    text: str, expected_csp: str = CONTENT_SECURITY_POLICY
) -> tuple[list[str], list[str]]:
    """Return the policy problems of one HTML page, and its links to check."""
    audit = _PageAudit()
    audit.feed(text)
    audit.close()
    problems = list(audit.problems)
    for policy in dict.fromkeys(audit.csp):
        problems.extend(csp_problems(policy))
    if not audit.csp:
        problems.append("has no Content-Security-Policy")
    elif any(policy != expected_csp for policy in audit.csp):
        problems.append("has a Content-Security-Policy other than the site's")
    elif audit.script_seen_before_csp:
        problems.append("loads a script before its Content-Security-Policy")
    if 'class="mermaid"' in text:
        problems.append("has a Mermaid diagram, which would load a script from another site")
    return problems, audit.links


def resolve_link(site_dir: Path, page: str, link: str, base_path: str = "/") -> Path | None:
    """Return the file an internal link from `page` (a path under the site) points at, or None if
    it points elsewhere (another site, an e-mail address, a fragment of the same page).

    `base_path` is the path the site is served under (from its address), for links such as the
    404 page's, which start with '/'.
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path_part = unquote(parts.path)
    if path_part.startswith("/"):
        if not path_part.startswith(base_path):
            return site_dir / "__outside_the_site__"
        target = posixpath.normpath(path_part[len(base_path) :] or ".")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path_part))
    if target.startswith(".."):
        return site_dir / "__outside_the_site__"
    path = site_dir / target
    if link.split("#")[0].split("?")[0].endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


class Findings(Remembered):
    """What each file's own text was found to hold, by content, kept between builds: a rebuild after
    one changed review parses only the pages that changed. Links are checked against the site on
    every build (a page that did not change can point at one that went)."""

    VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

    def __init__(self, known: dict[str, Any] | None = None) -> None:
        # An entry is `[problems, links]`, two lists of strings; any other is found again.
        super().__init__(
            known, lambda v: isinstance(v, list) and len(v) == 2 and all(map(strings, v))
        )

    def of(self, sha: str, suffix: str, text: Callable[[], str]) -> tuple[list[str], list[str]]:
        """Return `(problems, links)` of a file with this content, reading it only if unknown."""
        key = f"{self.VERSION}:{sha}:{suffix}"
        found = self.recall(key)
        if found is None:
            if suffix in (".html", ".htm"):
                problems, links = page_problems(text())
            elif suffix == ".css":
                problems, links = css_problems(text()), []
            elif suffix == ".js":
                problems, links = script_problems(text()), []
            else:
                problems, links = [], []
            found = [problems, list(dict.fromkeys(links))]
            self.keep(key, found)
        return found[0], found[1]


def site_problems(
    site_dir: Path,
    forbidden: Iterable[Path] = (),
    base_path: str = "/",
    findings: Findings | None = None,
    hashes: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """Return `(file, problem)` for every security, privacy and link problem in a built site
    (`hashes`: each file's sha256 by relative path, when the caller has read them already)."""
    findings = findings or Findings()
    problems: list[tuple[str, str]] = []
    forbidden_hashes = {}
    for folder in forbidden:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    forbidden_hashes[_sha256(path)] = path
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(site_dir).as_posix()
        parts = {part.lower() for part in Path(relative).parts}
        if parts & {"confidential", "reports"}:
            problems.append((relative, "a confidential or report folder is in the site"))
        sha = hashes[relative] if hashes is not None else _sha256(path)
        copy_of = forbidden_hashes.get(sha)
        if copy_of is not None:
            problems.append(
                (
                    relative,
                    f"is a copy of a confidential document or redaction report ({copy_of.name})",
                )
            )
        suffix = path.suffix.lower()
        found, links = findings.of(sha, suffix, lambda path=path: path.read_text(encoding="utf-8"))
        found = list(found)
        if suffix == ".map":
            found.append("source maps are not published")
        for link in links:
            target = resolve_link(site_dir, relative, link, base_path)
            if target is not None and not target.is_file():
                found.append(f"links to {link!r}, which is not in the site")
        problems.extend((relative, problem) for problem in found)
    return problems


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
