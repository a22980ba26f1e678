"""`nox -s linkcheck`, offline: against a local server with one good and one broken URL.

The checks run on copies of the made-up portfolio (tests/fixtures/other-portfolio):
the link check is the engine's, not the owner's links."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, copy_portfolio, replace_in

pytestmark = pytest.mark.build

# The portfolio's links need the network: these tests check only their own.
OFFLINE = '\nlinkcheck_ignore += [r"^https://"]\n'
STALE = {"filename": "old.md", "lineno": 1, "status": "broken", "code": 0,
         "uri": "http://stale.invalid/from-an-earlier-run", "info": ""}  # fmt: skip


class GoodAndBroken(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/good" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def local_links():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), GoodAndBroken)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield f"{base}/good", f"{base}/broken"
    httpd.shutdown()
    httpd.server_close()


def offline_copy(tmp_path: Path, **pages: str) -> Path:
    """A copy of the made-up portfolio that checks only its extra pages' links
    (name: Markdown body); the pages are new addresses, so the list is not checked."""
    src = copy_portfolio(tmp_path / "src", OTHER_SOURCES)
    for name, body in pages.items():
        (src / f"{name}.md").write_text(f"---\norphan: true\n---\n# {name}\n\n{body}\n")
    with (src / "conf.py").open("a") as conf:
        conf.write(OFFLINE)
    return src


def linkcheck(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    # Direct connections: a proxy would answer for the .invalid hosts these
    # tests count on failing to resolve, and for the local server.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NOT_ON_READ_THE_DOCS)
    return subprocess.run(
        [sys.executable, "-m", "academic_portfolio.linkcheck", str(src), str(out)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def with_stale_results(out: Path) -> Path:
    out.mkdir(parents=True)
    (out / "output.json").write_text(json.dumps(STALE) + "\n")
    return out


def test_linkcheck_reports_exactly_the_broken_links(tmp_path, local_links):
    """A host that does not resolve, while others answer, is a broken link."""
    good, broken = local_links
    src = offline_copy(
        tmp_path, links=f"[good]({good}), [broken]({broken}), [gone](http://gone.invalid/)."
    )
    result = linkcheck(src, tmp_path / "out")
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout
    assert re.search(rf"BROKEN +{re.escape(broken)} .*\n +in links\.md:\d+", report), report
    assert re.search(r"BROKEN +http://gone\.invalid/ .*\n +in links\.md:\d+", report), report
    assert good not in report
    assert "2 broken link(s)" in report


def test_a_link_on_two_pages_is_reported_once_with_both_places(tmp_path, local_links):
    _, broken = local_links
    src = offline_copy(tmp_path, first=f"[a]({broken})", second=f"Again: [b]({broken}).")
    result = linkcheck(src, with_stale_results(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert len(re.findall(rf"^ *BROKEN +{re.escape(broken)} ", output, re.MULTILINE)) == 1, output
    assert "WARNING: broken link" not in output, "Sphinx's own line repeats the link"
    assert re.search(r"in first\.md:\d+\n +in second\.md:\d+", output), output
    assert "stale.invalid" not in output, "an earlier run's result was reported"


def test_a_paper_link_names_its_refs_bib_line_and_key(tmp_path, local_links):
    _, broken = local_links
    src = offline_copy(tmp_path)
    replace_in(src / "refs.bib", "https://example.org/~zoe/code/reverb/", broken)
    line = next(n for n, text in enumerate((src / "refs.bib").read_text().splitlines(), 1)
                if broken in text)  # fmt: skip
    result = linkcheck(src, tmp_path / "out")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"in refs.bib:{line} (nunez2024reverb, code)" in result.stdout, result.stdout


def test_a_failed_build_fails_and_reports_no_links(tmp_path):
    src = offline_copy(tmp_path)
    replace_in(src / "research" / "glacier-runoff.md", "\nsupervisor:", "\nsupervisr:")
    result = linkcheck(src, with_stale_results(tmp_path / "out"))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "unknown field 'supervisr'" in output, "Sphinx's own error is not shown"
    assert "did not build" in output
    assert "Checked" not in output and "stale.invalid" not in output, output


def test_no_network_is_told_apart_from_broken_links(tmp_path):
    """Every host fails to resolve (the reserved .invalid names never do): say the
    network is down, with its own exit status, rather than call links broken."""
    src = offline_copy(
        tmp_path,
        links="[a](http://one.invalid/page) [b](http://two.invalid/) [c](http://one.invalid/x)",
    )
    result = linkcheck(src, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    assert "network seems down: could not resolve any host; nothing was checked" in output
    assert "broken" not in output.lower(), output
