"""`nox -s refs`, offline: refs.bib against recorded Crossref, arXiv and DBLP answers.

A local server (127.0.0.1, a thread) plays the three services from the
recorded answers of tests/fixtures/refs/ (their sources are in its README)
and a few links that move; the check runs on a small site in a temporary
folder. The tests read what the owner sees: the report, the exit status, the
patch, refs.bib and its backup.
"""

from __future__ import annotations

import json
import re
import runpy
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from pybtex.database import Person
from pybtex.database.input.bibtex import Parser

from academic_portfolio import __version__
from academic_portfolio.data.refsbib import entry_line, load_bib
from academic_portfolio.refscheck import EXIT_CODES, Cache, Client, Name, ServiceError, main
from academic_portfolio.refscheck.compare import bibtex_name, compare, escape
from academic_portfolio.refscheck.http import Response
from academic_portfolio.refscheck.records import Record
from academic_portfolio.text.latex import plain

# Pure: no Sphinx build (the fixture is a site's folder, named site_folder: a
# test that asks for `site` is marked build by conftest.py, and left out of
# nox -s quick).
pytestmark = pytest.mark.pure


REPO = Path(__file__).resolve().parents[1]

FIXTURES = REPO / "tests" / "fixtures" / "refs"
PLOS_DOI = "10.1371/journal.pone.0033693"
ISSTA_DOI = "10.1145/3395363.3397376"
ZENODO_DOI = "10.5281/zenodo.3718383"
ARXIV_FILES = {"1605.08386": (200, "1605.08386.xml"), "2005.14124": (200, "2005.14124.xml"),
               "abc/0000001": (400, "abc-error-400.xml")}  # fmt: skip
CONTACT = "owner@example.org"

# Each entry stands for one case; its facts are those of the recorded records
# (tests/fixtures/refs/README.md), never the owner's.
TEST_BIB = """\
% Test bibliography.
% A comment the check must keep.

@article{sadasivan2012,
  author  = {Sadasivan, Shankar and Pond, Brooks B. and Pani, Amar K. and Qu, Chunxu and Jiao, Yun and Smeyne, Richard J.},
  title   = {Methylphenidate Exposure Induces Dopamine Neuron Loss in the Basal Ganglia of Mice},
  journal = {PLoS ONE},
  volume  = {7},
  pages   = {e33693},
  year    = {2012},
  doi     = {10.1371/journal.pone.0033693},
  url     = {BASE/moved},
}

@misc{chen2020active,
  author        = {Chen, Yuqi and Xuan, Bohan and Poskitt, Christopher M. and Sun, Jun and Zhang, Fan},
  title         = {Active Fuzzing for Testing and Securing Cyber-Physical Systems},
  year          = {2020},
  eprint        = {2005.14124},
  archiveprefix = {arXiv},
  code          = {BASE/moved-for-good},
  selected      = {true},
}

@misc{stanley2016heat,
  author = {Stanley, Caprice and Windisch, Tobias},
  title = {Heat-bath random walks with {Markov} bases},
  year = {2016},
  eprint = {1605.08386},
  archiveprefix = {arXiv},
  pdf = {BASE/ok},
}

@inproceedings{shinogi2005test,
  author    = {Shinogi, Tsuyoshi and Yamada, Hiroyuki and Hayashi, Terumine and Tsuruoka, Shinji and Yoshikawa, Tomohiro},
  title     = {A Test Cost Reduction Method by Test Response and Test Vector Overlapping for Full-Scan Test Architecture},
  booktitle = {14th Asian Test Symposium (ATS)},
  pages     = {366--371},
  year      = {2005}
}
"""


class Services(BaseHTTPRequestHandler):
    """Crossref, arXiv, DBLP and some links, from the recorded answers.

    ``server.modes[service]`` makes a service misbehave: "429", "500" or "malformed"."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        service = {"/works/": "crossref", "/api/query": "arxiv", "/search/": "dblp"}
        name = next((v for k, v in service.items() if parts.path.startswith(k)), "link")
        mode = self.server.modes.get(name, "ok")
        if name in self.server.bodies:  # a test's own answer for this service
            return self.answer(*self.server.bodies[name])
        if mode == "429":
            return self.answer(429, b"Too Many Requests", {"Retry-After": "7"})
        if mode == "500":
            return self.answer(500, b"Internal Server Error")
        if name == "crossref":
            return self.crossref(unquote(parts.path.removeprefix("/works/")), mode)
        if name == "arxiv":
            return self.arxiv(query["id_list"][0], mode)
        if name == "dblp":
            return self.dblp(query["q"][0], mode)
        return self.link(parts.path)

    do_HEAD = do_GET

    def crossref(self, doi: str, mode: str) -> None:
        """``server.works``: the DOIs Crossref knows; ``server.agencies``: the
        DOIs other agencies registered (``/works/<doi>/agency``)."""
        if mode == "malformed":
            return self.answer(200, (FIXTURES / "crossref" / "malformed.json").read_bytes())
        if doi.endswith("/agency") and doi.removesuffix("/agency") in self.server.agencies:
            name = self.server.agencies[doi.removesuffix("/agency")]
            return self.answer(200, (FIXTURES / "crossref" / name).read_bytes())
        if doi not in self.server.works:
            return self.answer(404, (FIXTURES / "crossref" / "not-found.txt").read_bytes())
        body = (FIXTURES / "crossref" / self.server.works[doi]).read_bytes()
        self.answer(200, body, {"X-Rate-Limit-Limit": "2", "X-Rate-Limit-Interval": "1s"})

    def arxiv(self, arxiv_id: str, mode: str) -> None:
        if mode == "malformed":
            return self.answer(200, b"<html><body>Service Unavailable</body></html")
        status, name = ARXIV_FILES.get(arxiv_id, (200, "0000.0000-empty.xml"))
        self.answer(status, (FIXTURES / "arxiv" / name).read_bytes())

    def dblp(self, title: str, mode: str) -> None:
        if mode == "malformed":
            return self.answer(200, b'{"result": {"hits": ')
        name = ("published.json" if "Active Fuzzing" in title else
                "search.json" if "Test Cost Reduction" in title else "zero-hits.json")  # fmt: skip
        self.answer(200, (FIXTURES / "dblp" / name).read_bytes())

    def link(self, path: str) -> None:
        moved = {"/moved": (301, "/new-home"), "/moved-for-good": (308, "https://example.org/c"),
                 "/detour": (302, "/elsewhere"), **self.server.moves}  # fmt: skip
        status, location = moved.get(path, (200, None))
        self.answer(status, b"", {"Location": location} if location else {})

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Services)
    httpd.modes, httpd.requests, httpd.bodies, httpd.moves = {}, [], {}, {}
    httpd.works = {PLOS_DOI: "10.1371-journal.pone.0033693.json"}
    httpd.agencies = {ZENODO_DOI: "agency-datacite.json"}
    # shutdown() waits for the loop's next look at its flag: every 0.5 s by
    # default, half a second at the end of each test.
    threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True).start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def site_folder(tmp_path: Path, server) -> Path:
    """A site folder with the test refs.bib and a cv.yaml whose e-mail is CONTACT."""
    (tmp_path / "_data").mkdir()
    cv = (REPO / "_data" / "cv.yaml").read_text("utf-8")
    cv = re.sub(r"(?m)^(  email: ).*$", rf"\g<1>{CONTACT}", cv)
    (tmp_path / "_data" / "cv.yaml").write_text(cv, "utf-8")
    (tmp_path / "refs.bib").write_text(TEST_BIB.replace("BASE", server.base), "utf-8")
    return tmp_path


def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(site_folder: Path, server, *extra: str, base: str | None = None):
    """main() as `nox -s refs` runs it, against *server*; (status, waits) (the
    output is capsys's)."""
    base = base or server.base
    waits: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a clock that moves only when asked to wait
        waits.append(seconds)
        now[0] += seconds

    args = ["--root", str(site_folder), "--crossref", base, "--arxiv", base, "--dblp", base, *extra]
    return main(args, sleep=sleep, clock=lambda: now[0]), waits


def line_of(site_folder: Path, key: str) -> int:
    lines = (site_folder / "refs.bib").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if re.match(rf"@\w+{{{key},", line))


def entry_report(out: str, key: str) -> str:
    """The lines the report gives one entry (from its heading to the blank line)."""
    match = re.search(rf"^refs\.bib:\d+ {key}\n(.*?)(?:\n\n|\Z)", out, re.S | re.M)
    return match[0] if match else ""


# The report.


def test_report_names_each_difference_with_line_and_key(site_folder, server, capsys):
    before = (site_folder / "refs.bib").read_bytes()
    status, _ = run(site_folder, server)
    out = capsys.readouterr().out
    assert status == 1
    assert f"refs.bib:{line_of(site_folder, 'sadasivan2012')} sadasivan2012" in out
    plos = entry_report(out, "sadasivan2012")
    assert "title differs from Crossref" in plos
    assert (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia" in plos
    )
    assert f"url: {server.base}/moved moved permanently (301) to {server.base}/new-home" in plos
    chen = entry_report(out, "chen2020active")
    assert "published: refs.bib lists it as a preprint" in chen
    assert "ISSTA 2020, pages 14-26, DOI 10.1145/3395363.3397376" in chen
    assert "code: " in chen and "(308) to https://example.org/c (a private field" in chen
    assert "missing; DBLP gives 10.1109/ATS.2005.17" in entry_report(out, "shinogi2005test")
    assert "stanley2016heat" not in out  # agrees with arXiv, unknown to DBLP, link fine
    # The recorded Crossref answer has an "updated-by" correction notice: always reported.
    assert ("corrected: Crossref records a correction notice "
            "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda of 2012-05-08") in plos  # fmt: skip
    assert "verdict: corrected (" in plos and "differs (title, url)" in plos
    assert "verdict: published version exists" in chen
    assert "6 difference(s) in 3 of 4 entries" in out
    assert (
        "Verdicts: 1 agree, 3 differ, 1 published version exists, 1 retracted or corrected." in out
    )
    assert (site_folder / "refs.bib").read_bytes() == before  # no --apply: untouched
    assert not (site_folder / "_build" / "refs.patch").exists()


def test_no_flood_on_what_only_looks_different(site_folder, server, capsys):
    """DBLP's "Jun Sun 0001", its final ".", "14-26" against "14--26", case and
    LaTeX braces: none of these is a difference."""
    bib = """@inproceedings{chen2020fuzzing,
  author    = {Chen, Yuqi and Xuan, Bohan and Poskitt, Christopher M. and Sun, Jun and Zhang, Fan},
  title     = {Active fuzzing for testing and securing {Cyber-Physical} systems},
  booktitle = {ISSTA},
  pages     = {14--26},
  year      = {2020},
  doi       = {10.1145/3395363.3397376},
}
"""
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    status, _ = run(site_folder, server)
    out = capsys.readouterr().out
    assert "Crossref does not know 10.1145/3395363.3397376: check it" in out
    assert "authors" not in out and "title" not in out and "pages" not in out
    assert status == 1


def test_compares_with_dblp_without_doi(site_folder, server, capsys):
    """No DOI: the published DBLP record judges; names by last name and initial."""
    bib = """@inproceedings{chen2020fuzzing,
  author    = {Chen, Yuqi and Xuan, Bohan and Poskit, Christopher M. and Sun, J. and Zhang, Fan},
  title     = {Active Fuzzing for Testing and Securing Cyber-Physical Systems},
  booktitle = {ISSTA},
  pages     = {14--25},
  year      = {2021},
}
"""
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    status, _ = run(site_folder, server, "--write")
    out = capsys.readouterr().out
    assert "authors differs from DBLP" in out
    assert "refs.bib: #3 Christopher M. Poskit" in out and "#3 Christopher M. Poskitt" in out
    assert "#4" not in out  # "Sun, J." is Jun Sun (DBLP: "Jun Sun 0001")
    assert "year differs from DBLP" in out and "pages differs from DBLP" in out
    assert "doi: missing; DBLP gives 10.1145/3395363.3397376" in out
    patch = (site_folder / "_build" / "refs.patch").read_text("utf-8")
    # Only Poskitt's name is replaced; the others keep refs.bib's text.
    assert ("+  author    = {Chen, Yuqi and Xuan, Bohan and Poskitt, Christopher M. and Sun, J. "
            "and Zhang, Fan},") in patch  # fmt: skip
    assert "+  pages     = {14--26}," in patch and "+  year      = {2020}," in patch
    assert status == 1


def test_unknown_ids_are_reported_not_crashed_on(site_folder, server, capsys):
    """Crossref's 404 "Resource not found.", arXiv's empty feed and its 400 error entry."""
    bib = TEST_BIB.replace(PLOS_DOI, "10.1371/notarealdoi").replace("2005.14124", "0000.0000")
    (site_folder / "refs.bib").write_text(bib.replace("1605.08386", "abc/0000001").replace(
        "BASE", server.base), "utf-8")  # fmt: skip
    status, _ = run(site_folder, server)
    out = capsys.readouterr().out
    assert "doi: Crossref does not know 10.1371/notarealdoi: check it" in out
    assert "eprint: arXiv does not know 0000.0000: check it" in out
    assert "eprint: arXiv does not know abc/0000001: check it" in out
    assert status == 1


def test_agreeing_bib_exits_0(site_folder, server, capsys):
    bib = TEST_BIB.split("@misc{stanley2016heat")[1].split("@inproceedings")[0]
    (site_folder / "refs.bib").write_text(
        "@misc{stanley2016heat" + bib.replace("BASE", server.base)
    )
    status, _ = run(site_folder, server)
    assert capsys.readouterr().out.strip() == "All 1 entries agree with the records."
    assert status == 0


# --write and --apply.


def test_write_gives_a_patch_that_git_applies(site_folder, server, capsys):
    before = (site_folder / "refs.bib").read_text("utf-8")
    status, _ = run(site_folder, server, "--write")
    out = capsys.readouterr().out
    patch = site_folder / "_build" / "refs.patch"
    assert f"Wrote the proposed changes to {patch}" in out
    assert "git apply _build/refs.patch (or: patch -p1 < _build/refs.patch)" in out
    assert (site_folder / "refs.bib").read_text("utf-8") == before and status == 1
    text = patch.read_text("utf-8")
    assert text.startswith("--- a/refs.bib\n+++ b/refs.bib\n")
    assert f"+  url     = {{{server.base}/new-home}}," in text
    assert "+  doi       = {10.1109/ATS.2005.17}" in text  # aligned like the entry's fields
    assert "+  doi           = {10.1145/3395363.3397376}," in text
    assert "example.org/c" not in text  # `code` is the owner's private field
    subprocess.run(["git", "apply", str(patch)], cwd=site_folder, check=True)
    assert (site_folder / "refs.bib").read_text("utf-8") != before


def test_apply_edits_only_what_changes_and_keeps_a_backup(site_folder, server, capsys):
    before = (site_folder / "refs.bib").read_text("utf-8")
    status, _ = run(site_folder, server, "--apply")
    out = capsys.readouterr().out
    after = (site_folder / "refs.bib").read_text("utf-8")
    assert "Applied 4 change(s)" in out and "refs.bib.bak" in out and status == 1
    assert (site_folder / "refs.bib.bak").read_text("utf-8") == before
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert removed == [
        "  title   = {Methylphenidate Exposure Induces Dopamine Neuron Loss in the Basal Ganglia of Mice},",
        f"  url     = {{{server.base}/moved}},",
        "  year      = {2005}",
    ]
    assert added == [
        "  title   = {Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of "
        "Microglia in the Basal Ganglia of Mice},",
        f"  url     = {{{server.base}/new-home}},",
        "  doi           = {10.1145/3395363.3397376},",
        "  year      = {2005},",
        "  doi       = {10.1109/ATS.2005.17}",
    ]
    assert after.startswith("% Test bibliography.\n% A comment the check must keep.\n")
    keys = re.findall(r"@\w+\{([^,]+),", after)
    assert keys == ["sadasivan2012", "chen2020active", "stanley2016heat", "shinogi2005test"]
    assert "  selected      = {true},\n" in after  # private fields as they were
    capsys.readouterr()
    run(
        site_folder, server
    )  # what was applied is settled; the type of a published preprint is advice
    out = capsys.readouterr().out
    assert "title differs" not in out and "(301)" not in out and "missing" not in out
    assert "published (arXiv and DBLP: ISSTA 2020" in out and "refs.bib has its DOI" in out


def test_write_keeps_a_parenthesised_entry_whole(site_folder, server, capsys):
    """@inproceedings(key, ... year = 2005): the bare year ends before ")"."""
    bib = TEST_BIB.split("@inproceedings")[1].replace("{shinogi2005test,", "(shinogi2005test,")
    bib = "@inproceedings" + bib.replace("  year      = {2005}\n}", "  year      = 2005)")
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    status, _ = run(site_folder, server, "--write")
    captured = capsys.readouterr()
    assert status == 1 and "Wrote the proposed changes" in captured.out, captured
    subprocess.run(
        ["git", "apply", str(site_folder / "_build" / "refs.patch")], cwd=site_folder, check=True
    )
    after = (site_folder / "refs.bib").read_text("utf-8")
    assert after.endswith("  year      = 2005,\n  doi       = {10.1109/ATS.2005.17})\n")
    assert load_bib(site_folder / "refs.bib").entries["shinogi2005test"].fields["year"] == "2005"


def test_an_entry_the_editor_cannot_read_leaves_the_others_written(site_folder, server, capsys):
    """biblatex's "author+an" is a field name like any other; a construct the
    editor does not read (pybtex accepts ",,") skips that entry's changes only."""
    bib = TEST_BIB.replace("BASE", server.base)
    bib = bib.replace(
        "  pages     = {366--371},\n", "  author+an = {1=highlight},\n  pages     = {366--371},\n"
    )
    bib = bib.replace("  volume  = {7},\n", "  volume  = {7},,\n")
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    status, _ = run(site_folder, server, "--write")
    captured = capsys.readouterr()
    assert status == 1, captured
    assert re.search(
        r"refs\.bib: entry 'sadasivan2012': line \d+ has ',' where the patch writer "
        r"expects a field .*its 2 change\(s\) \(title, url\) are left out",
        captured.err,
    )
    patch = (site_folder / "_build" / "refs.patch").read_text("utf-8")
    assert "+  doi       = {10.1109/ATS.2005.17}" in patch and "Methylphenidate" not in patch
    assert "+  doi           = {10.1145/3395363.3397376}," in patch


def test_a_doi_of_another_agency_is_a_note_not_a_difference(site_folder, server, capsys):
    """Crossref's 404, then its /agency answer: DataCite registered the DOI."""
    bib = f"""@misc{{stanley2016data,
  author = {{Stanley, Caprice and Windisch, Tobias}},
  title  = {{Data for heat-bath random walks}},
  year   = {{2016}},
  doi    = {{{ZENODO_DOI}}},
}}
"""
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    status, _ = run(site_folder, server)
    out = capsys.readouterr().out
    assert f"note: the DOI {ZENODO_DOI} is registered with DataCite, not Crossref" in out
    assert "does not know" not in out and "All 1 entries agree" not in out
    assert "verdict: could not check (the DOI is registered with DataCite" in out
    assert "No difference found; 1 of 1 entries could not be checked" in out
    assert status == 0
    assert any(r[1].startswith(f"/works/{ZENODO_DOI}/agency") for r in server.requests)


def test_an_abbreviated_venue_agrees_with_its_full_name():
    bib = """@article{k,
  author  = {Doe, Jane},
  title   = {A Title},
  journal = {{ACM} Trans. Comput. Log.},
  year    = {2020},
}"""
    entry = Parser().parse_string(bib).entries["k"]
    full = Record("Crossref", "A Title", venue="ACM Transactions on Computational Logic")
    assert compare("k", entry, full, venue=True) == []
    other = Record("Crossref", "A Title", venue="ACM Transactions on Computer Systems")
    assert [f.what for f in compare("k", entry, other, venue=True)] == ["venue"]


def test_a_title_written_with_escape_agrees_with_the_record():
    """What --apply writes is, at the next run, the same text as the record's."""
    title = r"Bounds on x^2 ~ y \\ z for 100% of #1 & $a_b$"
    bib = f"@misc{{k,\n  author = {{Doe, Jane}},\n  title = {{{escape(title)}}},\n  year = {{2020}},\n}}"
    entry = Parser().parse_string(bib).entries["k"]
    assert compare("k", entry, Record("Crossref", title), venue=False) == []


def test_the_summary_comes_after_what_apply_did(site_folder, server, capsys):
    run(site_folder, server, "--apply")
    out = capsys.readouterr().out
    assert "refs.bib is unchanged" not in out
    assert out.index("Applied 4 change(s)") < out.index("6 difference(s) in 3 of 4 entries.")


def test_a_rerun_after_apply_exits_0_with_the_published_version_as_advice(
    site_folder, server, capsys
):
    server.works[ISSTA_DOI] = "10.1145-3395363.3397376.json"
    bib = "@misc" + TEST_BIB.split("@misc", 1)[1].split("@misc")[0]
    (site_folder / "refs.bib").write_text(
        bib.replace("  code          = {BASE/moved-for-good},\n", "")
    )
    first, _ = run(site_folder, server, "--apply")
    assert first == 1 and "Applied 1 change(s)" in capsys.readouterr().out
    again, _ = run(site_folder, server)
    out = capsys.readouterr().out
    assert "refs.bib has its DOI. To list it as published, change its type" in out
    assert "All 1 entries agree with the records." in out and again == 0


def test_apply_keeps_crlf_line_endings(site_folder, server, capsys):
    crlf = TEST_BIB.replace("BASE", server.base).replace("\n", "\r\n")
    (site_folder / "refs.bib").write_bytes(crlf.encode("utf-8"))
    run(site_folder, server, "--apply")
    after = (site_folder / "refs.bib").read_bytes()
    assert b"doi       = {10.1109/ATS.2005.17}" in after
    assert re.search(rb"(?<!\r)\n", after) is None


def test_the_patch_keeps_the_owners_author_format(site_folder, server, capsys):
    bib = """@inproceedings{chen2020fuzzing,
  author    = {Yuqi Chen and Bohan Xuan and
               Christopher M. Poskit and J. Sun and
               Fan Zhang},
  title     = {Active Fuzzing for Testing and Securing Cyber-Physical Systems},
  booktitle = {ISSTA},
  pages     = {14--26},
  year      = {2020},
}
"""
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    run(site_folder, server, "--apply")
    after = (site_folder / "refs.bib").read_text("utf-8")
    assert (
        """  author    = {Yuqi Chen and Bohan Xuan and
               Christopher M. Poskitt and J. Sun and
               Fan Zhang},"""
        in after
    )


def test_entry_line_finds_every_way_bibtex_starts_an_entry():
    assert entry_line("% x\n@ misc (k ,\n  title = {t})\n", "k") == 2
    assert entry_line("@misc{kk,\n}\n@misc{k,\n}\n", "k") == 3


def test_values_from_records_are_safe_bibtex_the_site_reads_back(tmp_path):
    title = r"A \ B ~ C ^ D 50% #1 & $x$ a_b {c}"
    org = Name("The ATLAS Collaboration")
    bib = (
        f"@misc{{k,\n  author = {{Doe, Jane and {bibtex_name(org)}}},\n"
        f"  title = {{{escape(title)}}},\n  year = {{2020}},\n}}\n"
    )
    (tmp_path / "refs.bib").write_text(bib, "utf-8")
    entry = load_bib(tmp_path / "refs.bib").entries["k"]
    assert plain(entry.fields["title"]).replace("\u02c6", "^") == title
    assert [str(p) for p in entry.persons["author"]] == ["Doe, Jane", "{The ATLAS Collaboration}"]
    assert Name.from_text("The ATLAS Collaboration") == org
    assert Person(bibtex_name(Name("Consortium X Y Z"))).last_names == ["{Consortium X Y Z}"]


# Identification, pace, cache.


def test_identifies_itself_with_the_owners_contact(site_folder, server):
    run(site_folder, server)
    crossref = [r for r in server.requests if r[1].startswith("/works/")]
    assert crossref and f"mailto={CONTACT.replace('@', '%40')}" in crossref[0][1]
    agents = {headers["User-Agent"] for _, _, headers in server.requests}
    assert agents == {f"sphinx-academic-portfolio/{__version__} refscheck (`nox -s refs`; "
                      f"mailto:{CONTACT})"}  # fmt: skip


def test_waits_three_seconds_between_arxiv_requests(site_folder, server):
    """Two preprints: arXiv, DBLP, then arXiv again after 3 s (DBLP's 1 s is long past)."""
    bib = "@misc" + TEST_BIB.split("@misc", 1)[1].split("@inproceedings")[0]
    (site_folder / "refs.bib").write_text(bib.replace("BASE", server.base), "utf-8")
    _, waits = run(site_folder, server, "--no-links")
    arxiv = [r for r in server.requests if r[1].startswith("/api/query")]
    assert len(arxiv) == 2
    assert waits == [3.0]  # what was asked of sleep(): no time is measured


def test_follows_crossrefs_rate_limit_headers(server):
    client = Client("test", intervals={"Crossref": 0.2})
    client.get(f"{server.base}/works/{PLOS_DOI}", "Crossref")
    assert client.intervals["Crossref"] == 0.5  # X-Rate-Limit-Limit 2 per 1s


def test_a_rerun_asks_nothing_until_the_cache_expires(site_folder, server, capsys):
    first, _ = run(site_folder, server)
    asked = len(server.requests)
    again, _ = run(site_folder, server)
    assert len(server.requests) == asked and again == first == 1
    assert capsys.readouterr().out.count("6 difference(s) in 3 of 4 entries") == 2
    run(site_folder, server, "--max-age", "0")
    assert len(server.requests) == 2 * asked


def test_offline_answers_from_the_cache_only(site_folder, server, capsys):
    status, _ = run(site_folder, server, "--offline")
    captured = capsys.readouterr()
    assert status == 7 and server.requests == []
    assert "not in the cache (asked offline)" in captured.err
    assert "Crossref: 1 entry was not checked against it" in captured.err
    assert "arXiv: 2 entries were not checked against it" in captured.err
    assert "offline machine" not in captured.err and "seems to be offline" not in captured.err
    assert " it not " not in captured.err and "the check is incomplete" in captured.out
    assert "verdict: could not check (Crossref's answer is not in the cache, asked offline" in (
        captured.out
    )
    run(site_folder, server)
    asked = len(server.requests)
    status, _ = run(site_folder, server, "--offline")
    assert status == 1 and len(server.requests) == asked


# Services that are down or refuse.


def test_network_down_gives_the_offline_message(site_folder, server, capsys):
    status, _ = run(site_folder, server, base=f"http://127.0.0.1:{closed_port()}")
    err = capsys.readouterr().err
    assert status == 3
    assert "No service could be reached: this machine seems to be offline" in err
    assert "Crossref could not be asked. Crossref cannot be reached (" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("service", "mode", "name", "message"),
    [
        ("crossref", "429", "Crossref", "refuses more requests for now (HTTP 429"),
        ("crossref", "500", "Crossref", "answers with a server error (HTTP 500)"),
        ("crossref", "malformed", "Crossref", "gave an answer that cannot be read"),
        ("arxiv", "malformed", "arXiv", "gave an answer that cannot be read"),
        ("arxiv", "429", "arXiv", "refuses more requests for now (HTTP 429"),
        ("dblp", "500", "DBLP", "answers with a server error (HTTP 500)"),
        ("dblp", "malformed", "DBLP", "gave an answer that cannot be read"),
    ],
)
def test_one_service_failing_has_its_own_exit_status(
    site_folder, server, capsys, service, mode, name, message
):
    server.modes[service] = mode
    status, waits = run(site_folder, server)
    captured = capsys.readouterr()
    assert status == EXIT_CODES[name]
    assert f"{name} could not be asked. {name} {message}" in captured.err
    asked = [r for r in server.requests if r[1].startswith(
        {"crossref": "/works/", "arxiv": "/api/query", "dblp": "/search/"}[service])]  # fmt: skip
    if mode == "429":  # Retry-After honoured, asked twice more, then left alone
        assert waits.count(7.0) == 2 and len(asked) == 3
    else:
        assert len(asked) == 1  # a failed service is not asked again for the next entries
    assert "refs.bib:" in captured.out  # the other services' findings are still reported


# The HTTP layer on its own.


def test_client_reports_redirects_instead_of_following_them(server):
    client = Client("test")
    answer = client.get(f"{server.base}/moved", "link", method="HEAD")
    assert (answer.status, answer.header("Location")) == (301, "/new-home")
    assert client.get(f"{server.base}/ok", "link").status == 200


def test_client_gives_up_on_429_after_waiting_retry_after(server):
    server.modes["link"] = "429"
    waits: list[float] = []
    client = Client("test", sleep=waits.append)
    with pytest.raises(ServiceError, match="HTTP 429") as caught:
        client.get(f"{server.base}/ok", "link")
    assert waits == [7.0, 7.0] and not caught.value.unreachable


def test_client_marks_a_refused_connection_unreachable():
    with pytest.raises(ServiceError, match="cannot be reached") as caught:
        Client("test").get(f"http://127.0.0.1:{closed_port()}/", "x")
    assert caught.value.unreachable


def test_cache_keeps_answers_for_its_max_age(server, tmp_path):
    now = [1000.0]
    cache = Cache(tmp_path, max_age=60, clock=lambda: now[0])
    client = Client("test", cache=cache)
    client.get(f"{server.base}/works/{PLOS_DOI}", "Crossref")
    client.get(f"{server.base}/works/{PLOS_DOI}", "Crossref")
    assert client.asked == 1
    now[0] += 61
    client.get(f"{server.base}/works/{PLOS_DOI}", "Crossref")
    assert client.asked == 2


def test_dblp_names_lose_their_number():
    assert Name.from_text("Jane Doe 0002") == Name("Doe", "Jane")
    assert Name.from_text("Peter H. N. de With") == Name("de With", "Peter H. N.")


# Bad input, real-world input, and the command as nox runs it.


def test_unreadable_refs_bib_is_named_with_its_line(site_folder, server, capsys):
    bib = TEST_BIB.replace("BASE", server.base).replace("  year    = {2012},\n", "  year = {12},\n")
    (site_folder / "refs.bib").write_text(bib, "utf-8")
    status, _ = run(site_folder, server)
    err = capsys.readouterr().err
    assert status == 2 and server.requests == []
    assert f"refs.bib:{line_of(site_folder, 'sadasivan2012')}: entry 'sadasivan2012'" in err
    assert "four-digit year" in err


@pytest.mark.parametrize(
    ("name", "expected"), [("trieste-refs.bib", 2), ("cvc5-references.bib", 1)]
)
def test_a_real_world_bib_does_not_crash(site_folder, server, capsys, name, expected):
    """One the site refuses (exit 2, file and line named), one it reads: every
    DOI unknown to the test server, every title unknown to its DBLP."""
    shutil.copyfile(REPO / "tests" / "fixtures" / "bib" / name, site_folder / "refs.bib")
    status, _ = run(site_folder, server, "--no-links", "--write")
    captured = capsys.readouterr()
    assert status == expected, captured
    assert "Traceback" not in captured.err
    if expected == 2:
        assert re.search(r"refs\.bib:\d+: entry '\w+'", captured.err)
    else:
        assert "Crossref does not know" in captured.out
        assert "No change to propose" in captured.out


def test_runs_as_a_module_with_the_documented_exit_status(site_folder, server):
    closed = f"http://127.0.0.1:{closed_port()}"
    command = [sys.executable, "-m", "academic_portfolio.refscheck", "--root", str(site_folder),
               "--crossref", closed, "--arxiv", closed, "--dblp", closed]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={"PATH": ""})  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "seems to be offline" in done.stderr


def test_the_module_runs_in_process_and_exits_with_the_documented_status(
    site_folder, server, monkeypatch, capsys
):
    """The same as above in the test's own process (runpy), so that the fast
    tier runs refscheck/__main__.py, which `nox -s refs` starts."""
    closed = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setattr(sys, "argv", ["refscheck", "--root", str(site_folder),
                                      "--crossref", closed, "--arxiv", closed, "--dblp", closed])  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("academic_portfolio.refscheck", run_name="__main__")
    assert exited.value.code == 3
    assert "seems to be offline" in capsys.readouterr().err


def test_the_refs_check_page_documents_the_exit_codes():
    page = (REPO / "src" / "docs" / "refs-check.md").read_text("utf-8")
    section = page.split("# Check refs.bib against the records")[1]
    for code in ("0", "1", "2", "3", *map(str, EXIT_CODES.values()), "7"):
        assert re.search(rf"^\| {code} \|", section, re.M), code
    assert json.dumps(EXIT_CODES) == '{"Crossref": 4, "arXiv": 5, "DBLP": 6}'


# Safety: what the services say is data, written back only as valid BibTeX.

HOSTILE = "} {\n% @misc{evil, pdf = {https://evil.example/x.pdf}} \\"


def plos_work(**changes) -> bytes:
    """The recorded Crossref answer of PLOS_DOI with *changes* made to its message."""
    answer = json.loads((FIXTURES / "crossref" / "10.1371-journal.pone.0033693.json").read_bytes())
    answer["message"].update(changes)
    return json.dumps(answer).encode()


def fields_of(path: Path) -> dict[str, dict[str, str]]:
    """Every entry of the file as BibTeX reads it: key -> field -> value."""
    data = Parser().parse_file(str(path))
    return {key: {**dict(entry.fields), **{role: " and ".join(map(str, people))
                                          for role, people in entry.persons.items()}}
            for key, entry in data.entries.items()}  # fmt: skip


def test_hostile_values_from_services_stay_inside_their_field(site_folder, server, capsys):
    """A "}" in Crossref's page and title, DBLP's year, a redirect's Location:
    after --apply every entry has exactly its fields plus the proposed ones,
    no private field changed, and the file still builds."""
    work = json.loads(plos_work())["message"]
    title = work["title"][0] + " and Activation of Microglia " + HOSTILE
    authors = [*work["author"][:-1], {"given": "Richard J.", "family": "Smeyne} and {Evil, Eve"}]
    server.bodies["crossref"] = (200, plos_work(
        title=[title], page="1}, pdf = {https://evil.example/a.pdf", author=authors,
        **{"container-title": ["PLoS ONE" + HOSTILE]}))  # fmt: skip
    dblp_answer = (FIXTURES / "dblp" / "search.json").read_text("utf-8")
    server.bodies["dblp"] = (200, dblp_answer.replace(
        '"year": "2005"', '"year": "2005}, pdf = {https://evil.example/b.pdf"').encode())  # fmt: skip
    server.moves.update(
        {"/moved": (301, "https://example.org/new}, pdf = {https://evil.example/c")}
    )
    before = fields_of(site_folder / "refs.bib")
    run(site_folder, server, "--apply")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    after = fields_of(site_folder / "refs.bib")
    assert set(after) == set(before)
    for key, fields in after.items():
        assert set(fields) >= set(before[key]), key
        for name in ("pdf", "code", "openreview", "selected"):
            assert fields.get(name) == before[key].get(name), (key, name)
        for name in set(fields) - set(before[key]):
            assert name in ("doi", "pages", "year", "url"), (key, name)
    plos = after["sadasivan2012"]
    assert plos["author"] == before["sadasivan2012"]["author"]  # six authors, none added
    assert plos["url"] == before["sadasivan2012"]["url"]  # the hostile Location: not written
    assert plos["pages"] == "e33693" and after["shinogi2005test"]["year"] == "2005"
    # A refused value leaves out only itself: the entry's other changes are written.
    assert after["shinogi2005test"]["doi"] == "10.1109/ATS.2005.17"
    assert "year differs from DBLP (no change proposed" in captured.out
    assert "evil.example" not in plos.get("journal", "")
    load_bib(site_folder / "refs.bib")  # the build still reads it


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", HOSTILE),
        ("title", "A {balanced} title with 50% off"),
        ("journal", "X}, pdf={y"),
        ("booktitle", "Proc. \\"),
        ("pages", "1--2}, pdf = {x"),
        ("pages", "12--\n13"),
        ("year", "2020}, pdf = {x"),
        ("year", "2020\n"),
        ("doi", "10.1000/a}, pdf={b"),
        ("doi", "10.1000/ok-doi(1)"),
        ("url", "javascript:alert(1)"),
        ("url", "file:///etc/passwd"),
        ("url", "https://ok.example/x}y"),
        ("url", "https://ok.example/x?y=1"),
        ("url", "mailto:a@b.example"),
        ("author", "Doe, J} and {x"),
        ("note", "@misc{k2, title = {t}}"),
        ("eprint", "2005.14124}"),
        ("title", "Colours \x1b[31m and \u202e reversed"),
    ],
)
def test_every_value_written_is_balanced_bibtex_for_its_field(tmp_path, field, value):
    """A value is written only in its field's form: the file read back has the
    entry's fields plus the proposed one, and that one reads as proposed; or
    the change is left out, with why."""
    from academic_portfolio.refscheck.compare import Change
    from academic_portfolio.refscheck.patch import apply_changes

    text = "@article{k,\n  author = {Doe, Jane},\n  title  = {T},\n  pdf    = {https://a.example/p.pdf},\n}\n"
    new, skipped, _ = apply_changes(text, [Change("k", field, value)])
    (tmp_path / "refs.bib").write_text(new, "utf-8")
    fields = fields_of(tmp_path / "refs.bib")
    assert set(fields) == {"k"}
    assert set(fields["k"]) in ({"author", "title", "pdf"}, {"author", "title", "pdf", field})
    assert fields["k"]["pdf"] == "https://a.example/p.pdf"
    if skipped:
        assert new == text and "left out" in skipped["k"]
        assert "\x1b" not in new
    elif field != "author":
        assert fields["k"][field] == " ".join(value.split())
    if field == "url":
        assert bool(skipped) != (value == "https://ok.example/x?y=1")
        assert "javascript" not in new and "file:" not in new and "mailto" not in new


@pytest.mark.parametrize(
    ("service", "body", "name"),
    [
        ("crossref", plos_work(page=123), "Crossref"),
        ("crossref", plos_work(DOI=42), "Crossref"),
        ("crossref", plos_work(author=[{"given": "A", "family": ["B"]}]), "Crossref"),
        ("crossref", b'{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "Crossref"),
        ("dblp", (FIXTURES / "dblp" / "search.json").read_bytes().replace(
            b'"pages": "366-371"', b'"pages": 17'), "DBLP"),
        ("dblp", b'{"result": {"hits": {"hit": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}", "DBLP"),
        ("arxiv", (FIXTURES / "arxiv" / "1605.08386.xml").read_bytes().replace(
            b"<name>Caprice Stanley</name>", b"<name>A, B, C, D</name>"), "arXiv"),
    ],
)  # fmt: skip
def test_a_malformed_answer_is_the_services_status_and_never_cached(
    site_folder, server, capsys, service, body, name
):
    server.bodies[service] = (200, body)
    status, _ = run(site_folder, server, "--no-links")
    captured = capsys.readouterr()
    assert status == EXIT_CODES[name], captured
    assert f"{name} gave an answer that cannot be read" in captured.err
    assert "Traceback" not in captured.err
    del server.bodies[service]  # the service is fixed: the rerun asks it again
    asked = len(server.requests)
    status, _ = run(site_folder, server, "--no-links")
    assert status == 1 and len(server.requests) > asked
    capsys.readouterr()


# Bounds: one deadline per answer, a largest answer, Retry-After's two forms, a bounded cache.


def slow_server(body: bytes, pause: float, headers: dict[str, str] | None = None):
    """A server that sends *body* one byte at a time, *pause* seconds apart."""

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    threading.Event().wait(pause)
            except OSError:
                pass  # the client gave up: what the test wants

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True).start()
    return httpd


def test_a_trickled_answer_is_cut_at_one_deadline_for_the_whole_answer():
    """Each byte comes well within the per-read timeout; the whole answer does not."""
    httpd = slow_server(b"x" * 1000, 0.05)
    try:
        client = Client("test", timeout=0.5)
        with pytest.raises(ServiceError, match=r"did not answer in full within 0\.5 s"):
            client.get(f"http://127.0.0.1:{httpd.server_address[1]}/", "x")
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_larger_than_the_maximum_is_not_read(server, declared):
    big = b"x" * 3_000_000
    server.bodies["link"] = (200, big) if declared else (200, big, {"Content-Length": ""})
    client = Client("test", max_bytes=1_000_000)
    with pytest.raises(ServiceError, match="larger than 1 MB"):
        client.get(f"{server.base}/big", "link")


@pytest.mark.parametrize(
    ("retry_after", "waits"),
    [("Sun, 06 Dec 2026 10:00:30 GMT", [30.0, 30.0]), ("Sun, 06 Dec 2026 09:59:00 GMT", [0.0, 0.0]),
     ("7", [7.0, 7.0])],
)  # fmt: skip
def test_retry_after_as_seconds_or_as_a_date(server, retry_after, waits):
    from email.utils import parsedate_to_datetime

    server.bodies["link"] = (429, b"", {"Retry-After": retry_after})
    now = parsedate_to_datetime("Sun, 06 Dec 2026 10:00:00 GMT").timestamp()
    slept: list[float] = []
    client = Client("test", sleep=slept.append, wall=lambda: now)
    with pytest.raises(ServiceError, match="HTTP 429"):
        client.get(f"{server.base}/ok", "link")
    assert slept == waits


def test_a_retry_after_date_beyond_the_cap_gives_up_at_once(server):
    from email.utils import parsedate_to_datetime

    server.bodies["link"] = (429, b"", {"Retry-After": "Sun, 06 Dec 2026 11:00:00 GMT"})
    now = parsedate_to_datetime("Sun, 06 Dec 2026 10:00:00 GMT").timestamp()
    slept: list[float] = []
    client = Client("test", sleep=slept.append, wall=lambda: now)
    with pytest.raises(ServiceError, match="asks us to wait 3600 s"):
        client.get(f"{server.base}/ok", "link")
    assert slept == []


def test_the_cache_is_bounded(tmp_path):
    import os

    cache = Cache(tmp_path, max_age=1e10)
    for number in range(6):
        cache.put(f"GET /{number}", Response(f"/{number}", 200, {}, b"x" * 1000))
        os.utime(cache.path(f"GET /{number}"), (1000 + number, 1000 + number))
    cache.prune(limit=3500)
    kept = [n for n in range(6) if cache.path(f"GET /{n}").exists()]
    assert kept == [3, 4, 5]  # the newest, within the limit


# The owner's control: _data/refs-accepted.yaml, and --write/--apply for some entries.

PLOS_TITLE = (
    "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia "
    "in the Basal Ganglia of Mice"
)


def test_the_owners_file_skips_entries_ignores_fields_and_accepts_differences(
    site_folder, server, capsys
):
    (site_folder / "_data" / "refs-accepted.yaml").write_text(
        "skip: [shinogi2005test]\n"
        "ignore:\n  chen2020active: [published, code]\n"
        f'accept:\n  sadasivan2012:\n    title: "{PLOS_TITLE}"\n',
        "utf-8",
    )
    status, _ = run(site_folder, server, "--apply")
    out = capsys.readouterr().out
    assert "shinogi2005test" not in out and "chen2020active" not in out
    plos = entry_report(out, "sadasivan2012")
    assert "title" not in plos and "moved permanently (301)" in plos
    after = (site_folder / "refs.bib").read_text("utf-8")
    assert "Neuron Loss in the Basal Ganglia of Mice}" in after  # the accepted title stays
    assert "10.1109/ATS.2005.17" not in after and "10.1145/3395363.3397376" not in after
    assert "1 entry skipped, 3 accepted difference(s) not shown" in out
    assert status == 1


def test_an_accepted_difference_comes_back_when_the_record_changes(site_folder, server, capsys):
    (site_folder / "_data" / "refs-accepted.yaml").write_text(
        'accept:\n  sadasivan2012:\n    title: "An older title of the record"\n', "utf-8"
    )
    run(site_folder, server)
    assert "title differs from Crossref" in entry_report(capsys.readouterr().out, "sadasivan2012")


def test_apply_takes_entry_keys_and_changes_only_those(site_folder, server, capsys):
    status, _ = run(site_folder, server, "--apply", "shinogi2005test")
    out = capsys.readouterr().out
    after = (site_folder / "refs.bib").read_text("utf-8")
    assert "doi       = {10.1109/ATS.2005.17}" in after
    assert (
        f"{server.base}/moved" in after
        and "Methylphenidate Exposure Induces Dopamine Neuron Loss in" in after
    )
    assert "10.1145/3395363.3397376" not in after
    assert "Applied 1 change(s)" in out and status is not None


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("skip: [nosuchkey]\n", [], "refs-accepted.yaml: refs.bib has no entry 'nosuchkey'"),
        ("skip: nosuchkey\n", [], "refs-accepted.yaml:1: skip: write a list of refs.bib keys."),
        ("ignore:\n  sadasivan2012: venue\n", [], "refs-accepted.yaml:1: ignore: write each key"),
        ("accepted: []\n", [], "refs-accepted.yaml:1: 'accepted' is not a section"),
        ("", ["--write", "nosuchkey"], "refs.bib has no entry 'nosuchkey'"),
    ],
)
def test_a_wrong_key_or_a_malformed_owners_file_is_named(
    site_folder, server, capsys, text, args, message
):
    (site_folder / "_data" / "refs-accepted.yaml").write_text(text, "utf-8")
    status, _ = run(site_folder, server, *args)
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
    assert server.requests == []


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "file:///etc/passwd", "mailto:a@b.example"]
)
def test_a_redirect_to_a_link_that_is_not_web_is_never_proposed(
    site_folder, server, capsys, target
):
    server.moves["/moved"] = (301, target)
    status, _ = run(site_folder, server, "--write")
    out = capsys.readouterr().out
    assert "which is not an https or http link: not proposed" in entry_report(out, "sadasivan2012")
    patch = (site_folder / "_build" / "refs.patch").read_text("utf-8")
    assert target not in patch and status == 1


def test_a_correction_is_reported_even_when_the_owner_ignores_it(site_folder, server, capsys):
    (site_folder / "_data" / "refs-accepted.yaml").write_text(
        "ignore:\n  sadasivan2012: [corrected, notice, title]\n", "utf-8"
    )
    run(site_folder, server)
    plos = entry_report(capsys.readouterr().out, "sadasivan2012")
    assert "corrected: Crossref records a correction notice" in plos and "title" not in plos


def test_control_characters_from_a_service_never_reach_the_terminal(site_folder, server, capsys):
    server.bodies["crossref"] = (200, plos_work(title=[PLOS_TITLE + " \x1b[2J\x1b[31m \u202e"]))
    run(site_folder, server, "--no-links")
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\ufffd[2J" in out


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        (Name("Zhao", "Ziqi"), Name.from_text("Zhao Ziqi"), True),  # family-first, no comma
        (Name("van der Berg", "Jan"), Name("Berg", "Jan van der"), True),  # particle moved
        (Name("O'Brien", "Conan"), Name("OBrien", "C."), True),
        (Name("Lee", "Chul-Ho"), Name("Lee", "C.-H."), True),
        (Name("Poskit", "Christopher M."), Name("Poskitt", "Christopher M."), False),
        (Name("Poskit", "Christopher"), Name("Poskitt", "Christopher"), False),  # no swap match
        (Name("Zhao", "Ziqi"), Name("Zhao", "Yan"), False),
    ],
)
def test_names_compare_as_family_and_initial_in_either_order(ours, theirs, same):
    from academic_portfolio.refscheck.compare import same_person

    assert same_person(ours, theirs) is same
