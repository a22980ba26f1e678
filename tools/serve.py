"""Serve the built site as a web server would, at its own path: ``nox -s serve``.

A ``file://`` address breaks the site's navigation: its links end in a
folder ("research/"), which a web server answers with the folder's
index.html and a browser shows as a directory listing. This serves
``_build/html`` (or the folder given) with ``tools/bench.py``'s server, at the
path of the build's canonical URL (``/en/latest/`` for Read the Docs'
default address), on port 8000, with the 404 page for unknown URLs.

Usage: ``python tools/serve.py [FOLDER] [--port N]``.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from bench import ROOT, serve, site_path_of

PORT = 8000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Serve the built site at its own path.")
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "_build" / "html")
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
    sys.exit(main(sys.argv[1:]))
