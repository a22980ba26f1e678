"""Serve a built site as its host would, at its own path: ``nox -s serve``.

A ``file://`` address breaks the site's navigation: its links end in a folder
("research/"), which a web server answers with the folder's index.html and a
browser shows as a directory listing. This serves ``_build/html`` (or the
folder given) at the path of the build's canonical URL (``/en/latest/`` for
Read the Docs' default address, ``/`` on a custom domain), with gzip and the
site's 404 page for unknown URLs, on port 8000.

Usage: ``python -m academic_portfolio.serve [FOLDER] [--port N]``. Only the
standard library: nox runs it without installing anything.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import re
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PORT = 8000
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".bib"}


class SiteHandler(SimpleHTTPRequestHandler):
    """The built site at ``site_path``, with gzip and its 404 page.

    ``page_body`` is the hook a subclass uses to change what a page says
    (tools/bench.py adds Read the Docs' script there)."""

    site_path = "/"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.partition("?")[0]
        if path == "/" and self.site_path != "/":  # as Read the Docs redirects its root
            self.send_response(302)
            self.send_header("Location", self.site_path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif not path.startswith(self.site_path):
            self.send_error(404)
        else:
            self.answer_from_site(path[len(self.site_path) :].split("#")[0])

    do_HEAD = do_GET  # the same answer, without its body (not a directory listing)

    def answer_from_site(self, relative: str) -> None:
        path, status = Path(self.directory) / unquote(relative), 200
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            path, status = Path(self.directory) / "404" / "index.html", 404
        if not path.is_file():  # a build without a 404 page
            self.send_error(404)
            return
        body = self.page_body(path.read_bytes(), relative, status, path)
        self.send(status, body, self.guess_type(str(path)), path.suffix)

    def page_body(self, body: bytes, relative: str, status: int, path: Path) -> bytes:
        return body

    def send(self, status: int, body: bytes, content_type: str, suffix: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(
    root: Path, path: str = "/", port: int = 0, handler: type[SiteHandler] = SiteHandler
) -> tuple[ThreadingHTTPServer, str]:
    """Serve *root* at *path* on 127.0.0.1 in a thread; the server and the site's
    address (stop it with ``shutdown()``)."""
    bound = type("Handler", (handler,), {"site_path": path})
    httpd = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(bound, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{path}"


def site_path_of(root: Path) -> str:
    """The path a build expects to be served at: that of its home page's canonical URL."""
    match = re.search(
        r'<link rel="canonical" href="([^"]+)"', (root / "index.html").read_text("utf-8")
    )
    return urlsplit(match.group(1)).path if match else "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nox -s serve --", description="Serve the built site at its own path."
    )
    parser.add_argument("folder", nargs="?", type=Path, default=Path("_build") / "html")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args(argv)
    if not (args.folder / "index.html").is_file():
        print(f"No site in {args.folder}: build it first with `nox -s docs`.", file=sys.stderr)
        return 1
    try:
        httpd, address = serve(args.folder, site_path_of(args.folder), port=args.port)
    except OSError as error:
        print(f"Cannot serve on port {args.port} ({error.strerror}): is `nox -s live` "
              f"or another server using it? Stop it, or add `-- --port 8001`.", file=sys.stderr)  # fmt: skip
        return 1
    print(f"Serving {args.folder} at {address} (Ctrl+C stops)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
