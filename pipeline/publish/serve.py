"""`bscp serve`: preview the built site on this machine only (127.0.0.1), as it will be published."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipeline.errors import PublishError


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves files from the site folder, never cached, quietly unless something fails."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Like GitHub Pages: a missing page gets the site's own 404 page.
        page = Path(str(self.directory)) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).startswith(("4", "5")):
            super().log_request(code, size)


def make_server(site_dir: Path, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Return an HTTP server for `site_dir` on this machine (port 0 picks a free one)."""
    if not (site_dir / "index.html").is_file():
        raise PublishError("has no site yet; run `bscp build` first", path=site_dir)
    handler = functools.partial(_SiteHandler, directory=str(site_dir))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise PublishError(
            f"cannot listen on {host}:{port} ({exc.strerror}); choose another with --port",
            path="bscp serve",
        ) from None


@contextmanager
def serving(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve `site_dir` in a background thread for the duration; yield its address."""
    with in_background(make_server(site_dir, port)) as (host, bound):
        yield f"http://{host}:{bound}/"


@contextmanager
def in_background(server: ThreadingHTTPServer) -> Iterator[tuple[str, int]]:
    """Run `server` in a background thread for the duration; yield its host and port."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, bound = server.server_address[:2]
        yield str(host), int(bound)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
