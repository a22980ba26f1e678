"""Looking at the build: ``nox -s docs`` ends by saying how, ``nox -s serve`` serves it.

A ``file://`` address breaks the navigation of a dirhtml build (a link to
"research/" shows a directory listing); the site must be looked at over HTTP,
at the path it was built for.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import urllib.request
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import copy_site

pytestmark = pytest.mark.build

SERVE = ["-m", "academic_portfolio.serve"]  # what `nox -s serve` runs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_shows_the_build_at_its_own_path_and_its_links_work(other_site):
    """On the made-up portfolio's build: serving is the engine's, on any site."""
    site = other_site
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, *SERVE, str(site.root), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = server.stdout.readline()
        address = f"http://127.0.0.1:{port}{site.path}"
        assert line == f"Serving {site.root} at {address} (Ctrl+C stops)\n"
        head = http.client.HTTPConnection("127.0.0.1", port)
        head.request("HEAD", "/")  # a web server's answer, not a directory listing
        answer = head.getresponse()
        assert (answer.status, answer.getheader("Location")) == (302, site.path)
        head.close()
        home = urllib.request.urlopen(f"http://127.0.0.1:{port}/")  # redirected, as on RTD
        assert home.url == address
        nav = BeautifulSoup(home.read(), "lxml").select_one(".bd-header a.nav-link[href*=research]")
        research = urllib.request.urlopen(urljoin(address, nav["href"]))
        page = BeautifulSoup(research.read(), "lxml")
        assert research.url == address + "research/"
        assert page.title.string.startswith("Research"), page.title
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_says_what_to_do_without_a_build(tmp_path):
    result = subprocess.run(
        [sys.executable, *SERVE, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr == f"No site in {tmp_path}: build it first with `nox -s docs`.\n"
    assert "Traceback" not in result.stderr


def test_docs_ends_with_a_true_line_about_looking_at_the_site(tmp_path):
    """What `nox -s docs` prints last, nox's own line excepted, is true. On a copy
    of this repository: the session is its noxfile's, installed from its pyproject.toml."""
    # nox from the test environment (the test group installs it): under
    # `pipx run nox`, the nox that runs this session is not on PATH.
    nox = [sys.executable, "-m", "nox"]
    src = copy_site(tmp_path / "src")
    result = subprocess.run(
        [*nox, "-s", "docs"], cwd=src, capture_output=True, text=True, check=False
    )
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 0, "\n".join(lines[-30:])
    assert re.fullmatch(r"nox > Session docs was successful in .*", lines[-1]), lines[-3:]
    assert lines[-2] == "nox > Built into _build/html; look at it with: nox -s serve"
    assert (src / "_build" / "html" / "index.html").is_file()
    sessions = subprocess.run([*nox, "-l"], cwd=src, capture_output=True, text=True, check=True)
    assert re.search(r"^[*-] serve\b", sessions.stdout, re.MULTILINE), sessions.stdout
