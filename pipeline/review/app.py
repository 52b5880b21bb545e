"""`bscp review`: the reviewer's workspace, a web app on this computer only.

Built on the standard library's `http.server` (as `bscp serve` is): a handful of pages and two forms
need no framework, and every safeguard is here to read in one file:
- it listens on 127.0.0.1 only, and answers only requests whose Host header names that address;
- every address starts with a random token printed once on the terminal: another program or page
  on the machine cannot guess it;
- every change is a POST carrying a second random token (CSRF) and, when the browser sends one, an
  Origin of this server; a GET never changes anything;
- pages carry a Content-Security-Policy that allows nothing from elsewhere and no script at all
  (the page needs none: decisions are plain forms); no fonts, no CDN;
- nothing is written under build/site: decisions go to review.yaml, the report to build/reports/.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from pipeline.anonymise.report import CSS as REPORT_CSS
from pipeline.anonymise.report import LAYER_NAMES, approve_command, marked_html
from pipeline.content.project import Project
from pipeline.errors import PipelineError, PublishError
from pipeline.publish.serve import in_background
from pipeline.review.checklist import DECISIONS, REPLACE

TEMPLATES = Path(__file__).parent / "templates"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
MAX_BODY = 64 * 1024


def published_marked(text: str, replacements: set[str]) -> Markup:
    """Return the published text as HTML with every replacement in it marked."""
    words = sorted((r for r in replacements if r.strip()), key=len, reverse=True)
    if not words:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out, position = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[position : m.start()]))
        out.append(f'<mark class="new">{escape(m.group())}</mark>')
        position = m.end()
    out.append(escape(text[position:]))
    return Markup("".join(out))


@dataclass
class ReviewApp:
    """The state of one `bscp review` session: where the content is, and its two secrets."""

    load: Callable[[], Project]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    port: int = 0
    now: Callable[[], dt.datetime] | None = None  # the clock of approvals (tests set it)

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.lock = threading.Lock()  # one change to review.yaml at a time

    @property
    def base(self) -> str:
        return f"/{self.token}/"

    def url(self, doc_id: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}{self.path(doc_id)}"

    def path(self, doc_id: str | None = None) -> str:
        return self.base + (f"doc/{quote(doc_id)}" if doc_id else "")

    def render(self, name: str, **values: object) -> bytes:
        template = self.env.get_template(name)
        return template.render(base=self.base, csrf=self.csrf, **values).encode("utf-8")

    # -- pages ---------------------------------------------------------------------------------

    def index(self, message: str = "") -> bytes:
        from pipeline.anonymise.approval import APPROVED, approval_states

        project = self.load()
        states = approval_states(project)
        rows = [
            {"id": e.id, "title": _title(e), "state": states.get(e.id, ""), "url": self.path(e.id)}
            for e in [*project.reviews, *project.briefs]
        ]
        waiting = [r for r in rows if r["state"] != APPROVED]
        done = [r for r in rows if r["state"] == APPROVED]
        return self.render("index.html.j2", waiting=waiting, done=done, message=message)

    def document(self, doc_id: str, message: str = "", error: str = "") -> bytes:
        from pipeline.anonymise.approval import APPROVED, NOT_APPROVED, STALE, read_approval
        from pipeline.review.workspace import state_of

        project = self.load()
        state = state_of(project, doc_id)
        result = state.result
        published = dict(result.document.text_fields())
        fields = []
        for name, text in result.original.text_fields():
            found = result.findings.get(name, [])
            fields.append(
                {
                    "name": name,
                    "original": Markup(marked_html(text, found, result.notes.get(name, []))),
                    "published": published_marked(
                        published.get(name, ""), {f.replacement for f in found}
                    ),
                    "findings": found,
                }
            )
        decided = [d for d in state.decided if d.item.category != "yours"]
        yours = [d for d in state.decided if d.item.category == "yours"]
        approval = read_approval(project, doc_id)
        return self.render(
            "document.html.j2",
            doc=result.original,
            state=state,
            decided=decided,
            yours=yours,
            counts=state.counts,
            fields=fields,
            layers=LAYER_NAMES,
            decisions=DECISIONS,
            replace=REPLACE,
            approval=approval,
            approval_state=(
                NOT_APPROVED
                if approval is None
                else APPROVED
                if (approval.output_hash, approval.policy_hash)
                == (result.output_hash, result.policy_hash)
                else STALE
            ),
            command=approve_command(doc_id),
            action=self.path(doc_id),
            home=self.base,
            message=message,
            error=error,
        )

    # -- changes -------------------------------------------------------------------------------

    def decide(self, doc_id: str, form: dict[str, str]) -> str:
        """Apply one decision and re-anonymise; on any problem put review.yaml back and say why."""
        from pipeline.review.checklist import DECISIONS
        from pipeline.review.decisions import source_path
        from pipeline.review.workspace import decide

        decision = form.get("decision", "")
        if decision not in DECISIONS:
            raise PipelineError("choose a decision for the item first")
        with self.lock:
            project = self.load()
            from pipeline.anonymise.run import entry_by_id

            path = source_path(entry_by_id(project, doc_id))
            before = path.read_text(encoding="utf-8")
            try:
                decide(project, doc_id, form.get("key", ""), decision, form.get("value", ""))
                from pipeline.review.workspace import state_of

                state_of(self.load(), doc_id)  # anonymise again now: the reviewer sees the result
            except PipelineError:
                path.write_text(before, encoding="utf-8")
                raise
        return f"Recorded: {DECISIONS[decision].rstrip('…')}."

    def approve(self, doc_id: str, form: dict[str, str]) -> str:
        from pipeline.anonymise.approval import approve

        with self.lock:
            project = self.load()
            path = approve(
                project,
                doc_id,
                form.get("reviewer", ""),
                seen_report=form.get("report", ""),
                now=self.now() if self.now else None,
            )
        return f"Approved {doc_id}: wrote {path.name} in approvals/. Commit it."


def _title(entry) -> str:
    return entry.review.title if hasattr(entry, "review") else entry.brief.title


class _Handler(BaseHTTPRequestHandler):
    app: ReviewApp
    server_version = "bscp-review"
    sys_version = ""

    # -- the checks every request passes ---------------------------------------------------------

    def _host_ok(self) -> bool:
        host = self.headers.get("Host", "")
        return host in (f"127.0.0.1:{self.app.port}", f"localhost:{self.app.port}")

    def _route(self) -> tuple[str, str] | None:
        """Return (page, document id) of a request with the right token, else None."""
        path = urlsplit(self.path).path
        if not path.startswith(self.app.base):
            return None
        rest = unquote(path[len(self.app.base) :])
        if rest == "":
            return "index", ""
        if rest == "static/review.css":
            return "css", ""
        m = re.fullmatch(r"doc/([A-Za-z0-9_.-]+)(?:/(decide|approve))?", rest)
        if m:
            return (m.group(2) or "document"), m.group(1)
        return None

    def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, why: str) -> None:
        self._send(status, f"{status} {why}\n".encode(), "text/plain; charset=utf-8")

    def _redirect(self, where: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _checked(self) -> tuple[str, str] | None:
        if not self._host_ok():
            self._refuse(HTTPStatus.MISDIRECTED_REQUEST, "this server answers only 127.0.0.1")
            return None
        route = self._route()
        if route is None:
            self._refuse(HTTPStatus.NOT_FOUND, "not found (the address needs the session's token)")
            return None
        return route

    # -- methods ---------------------------------------------------------------------------------

    def do_GET(self) -> None:
        route = self._checked()
        if route is None:
            return
        page, doc_id = route
        query = parse_qs(urlsplit(self.path).query)
        message = (query.get("done") or [""])[0][:300]
        try:
            if page == "css":
                css = REPORT_CSS + (TEMPLATES / "review.css").read_text(encoding="utf-8")
                self._send(200, css.encode("utf-8"), "text/css; charset=utf-8")
            elif page == "index":
                self._send(200, self.app.index(message))
            elif page == "document":
                self._send(200, self.app.document(doc_id, message))
            else:
                self._refuse(
                    HTTPStatus.METHOD_NOT_ALLOWED, "changes are made with the page's forms"
                )
        except PipelineError as exc:
            self._send(200, self._problem_page(exc))

    do_HEAD = do_GET

    def do_POST(self) -> None:
        route = self._checked()
        if route is None:
            return
        page, doc_id = route
        origin = self.headers.get("Origin")
        if origin is not None and origin not in (
            f"http://127.0.0.1:{self.app.port}",
            f"http://localhost:{self.app.port}",
        ):
            self._refuse(HTTPStatus.FORBIDDEN, "a change must come from this server's own page")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too much data")
            return
        form = {
            k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8", "replace")).items()
        }
        if not hmac.compare_digest(form.get("csrf", ""), self.app.csrf):
            self._refuse(
                HTTPStatus.FORBIDDEN, "the form's token is missing or wrong; reload the page"
            )
            return
        if page not in ("decide", "approve"):
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, "nothing to change here")
            return
        try:
            message = (
                self.app.decide(doc_id, form)
                if page == "decide"
                else self.app.approve(doc_id, form)
            )
        except PipelineError as exc:
            error = "\n".join(str(p) for p in exc.problems)
            try:
                body = self.app.document(doc_id, error=error)
            except PipelineError as again:
                body = self._problem_page(again)
            self._send(HTTPStatus.UNPROCESSABLE_ENTITY, body)
            return
        anchor = (
            f"#item-{form['key']}" if page == "decide" and form.get("key", "").isalnum() else ""
        )
        self._redirect(f"{self.app.path(doc_id)}?done={quote(message)}{anchor}")

    def _problem_page(self, exc: PipelineError) -> bytes:
        return self.app.render(
            "problem.html.j2", problems=[str(p) for p in exc.problems], home=self.app.base
        )

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).startswith(("4", "5")):
            super().log_request(code, size)


def make_server(app: ReviewApp, port: int = 0) -> ThreadingHTTPServer:
    """Return the review server on 127.0.0.1 (port 0: a free one); `app.port` is set to it."""
    handler = type("Handler", (_Handler,), {"app": app})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise PublishError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another with --port",
            path="bscp review",
        ) from None
    app.port = server.server_address[1]
    return server


@contextmanager
def running(app: ReviewApp, port: int = 0) -> Iterator[str]:
    """Run the review server in a background thread; yield the address of its first page."""
    with in_background(make_server(app, port)):
        yield app.url()
