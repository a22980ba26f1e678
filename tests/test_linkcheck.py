"""`nox -s linkcheck`, offline: against a local server with one good and one broken URL."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import REPO, copy_site


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


def test_linkcheck_reports_exactly_the_broken_link(tmp_path, local_links):
    good, broken = local_links
    src = copy_site(tmp_path / "src")
    (src / "links.md").write_text(
        f"---\norphan: true\n---\n# Links\n\n[good]({good}) and [broken]({broken}).\n"
    )
    # Offline: leave the site's real links out, check only the local ones.
    with (src / "conf.py").open("a") as conf:
        conf.write('\nlinkcheck_ignore += [r"^https://"]\n')
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "linkcheck.py"), str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout
    assert re.search(rf"BROKEN +{re.escape(broken)} .*\n +in links\.md:\d+", report), report
    assert good not in report
    assert "1 broken link(s)" in report
