"""`nox -s refs` on a corpus of realistic cases: the verdict a careful researcher expects.

Each case of tests/fixtures/refs/corpus/cases.yaml is a refs.bib text, the
answers of Crossref, arXiv and DBLP in their real formats (the recorded
fixtures of tests/fixtures/refs/, edited where the case says) and the
verdict and proposed changes expected. The services are played by a client
whose network is the case (no test reaches the network); everything else is
the check as `nox -s refs` runs it: the HTTP client's cache and parsing, the
identity gate, the comparisons, the report's verdict and the patch writer.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from pybtex.database.input.bibtex import Parser

from academic_portfolio.refscheck import arxiv, crossref, dblp
from academic_portfolio.refscheck.check import Checker, duplicates
from academic_portfolio.refscheck.cli import verdict
from academic_portfolio.refscheck.http import Client, Response
from academic_portfolio.refscheck.patch import apply_changes

pytestmark = pytest.mark.pure

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "refs"
CASES = yaml.safe_load((FIXTURES / "corpus" / "cases.yaml").read_text("utf-8"))["cases"]
for _case in CASES:  # YAML reads an arXiv id such as 1605.08386 as a number
    for _service in ("crossref", "arxiv", "dblp", "agencies"):
        _case[_service] = {str(k): v for k, v in (_case.get(_service) or {}).items()}
BASES = {crossref.NAME: crossref.BASE, arxiv.NAME: arxiv.BASE, dblp.NAME: dblp.BASE}
# Every class of the issue, and the verdicts of the brief.
CLASSES = {"agrees", "differs", "other-work", "published", "notice", "duplicate",
           "could-not-check", "version", "advice", "hostile", "malformed"}  # fmt: skip


def crossref_body(spec: dict[str, Any]) -> bytes:
    answer = json.loads((FIXTURES / spec["file"]).read_text("utf-8"))
    for name in spec.get("drop", []):
        answer["message"].pop(name, None)
    answer["message"].update(spec.get("set", {}))
    return json.dumps(answer).encode()


def text_body(spec: dict[str, Any]) -> bytes:
    text = (FIXTURES / spec["file"]).read_text("utf-8")
    for old, new in spec.get("replace", []):
        assert old in text, f"the case edits {old!r}, which {spec['file']} does not hold"
        text = text.replace(old, new)
    return text.encode()


def dblp_body(spec: dict[str, Any]) -> bytes:
    answer = json.loads(text_body(spec))
    hits = answer["result"]["hits"]
    found = hits.get("hit", [])
    found = [found[i] for i in spec["only"]] if "only" in spec else found
    found += [{"@score": "1", "@id": str(90 + i), "info": info, "url": "URL#0"}
              for i, info in enumerate(spec.get("add", []))]  # fmt: skip
    hits["hit"] = found
    hits["@total"] = hits["@sent"] = str(len(found))
    return json.dumps(answer).encode()


@dataclass
class CaseClient(Client):
    """A Client whose network is the case's answers (fetch is the only part replaced)."""

    case: dict[str, Any] = field(default_factory=dict)

    def fetch(self, url: str, accept: str, method: str, who: str) -> Response:
        self.asked += 1
        parts = urlsplit(url)
        status, body = self.answer(parts.path, parse_qs(parts.query))
        return Response(url, status, {}, body)

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        if path.startswith("/works/"):
            doi = unquote(path.removeprefix("/works/"))
            agencies = self.case.get("agencies", {})
            if doi.endswith("/agency") and doi.removesuffix("/agency") in agencies:
                return 200, (FIXTURES / agencies[doi.removesuffix("/agency")]).read_bytes()
            spec = self.case.get("crossref", {}).get(doi)
            if spec is None:
                return 404, (FIXTURES / "crossref" / "not-found.txt").read_bytes()
            return 200, crossref_body(spec)
        if path.startswith("/api/query"):
            spec = self.case.get("arxiv", {}).get(query["id_list"][0])
            return 200, text_body(spec or {"file": "arxiv/0000.0000-empty.xml"})
        if path.startswith("/search/"):
            title = query["q"][0].lower()
            spec = next((s for words, s in self.case.get("dblp", {}).items()
                         if words.lower() in title), None)  # fmt: skip
            return 200, dblp_body(spec) if spec else (FIXTURES / "dblp/zero-hits.json").read_bytes()
        return 200, b""  # a link: it has not moved


@dataclass
class Outcome:
    verdicts: dict[str, str]
    changes: dict[str, dict[str, str]]  # key -> field -> value
    text: str
    patched: str
    skipped: dict[str, str]


def run_case(case: dict[str, Any]) -> Outcome:
    text = case["bib"]
    entries = Parser().parse_string(text).entries
    client = CaseClient("corpus", case=case)
    checker = Checker(client, BASES, "owner@example.org", links=False)
    twice = duplicates(entries)
    found = {key: ([twice[key]] if key in twice else []) + checker.check(key, entry)
             for key, entry in entries.items()}  # fmt: skip
    # Only the malformed answers of the cases that say so put a service down.
    assert set(checker.down) == set(case["expect"].get("down", [])), checker.down
    changes = [f.change for fs in found.values() for f in fs if f.change]
    patched, skipped, _ = apply_changes(text, changes)
    by_key: dict[str, dict[str, str]] = {}
    for change in changes:
        by_key.setdefault(change.key, {})[change.field] = change.value
    return Outcome({k: verdict(v) for k, v in found.items()}, by_key, text, patched, skipped)


def first_key(case: dict[str, Any]) -> str:
    return case.get("key") or next(iter(Parser().parse_string(case["bib"]).entries))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_case_gets_the_expected_verdict_and_only_the_expected_changes(case):
    outcome = run_case(case)
    key = first_key(case)
    for phrase in case["expect"]["verdict"]:
        assert phrase in outcome.verdicts[key], (case["name"], outcome.verdicts)
    expected = {k: str(v) for k, v in (case["expect"].get("changes") or {}).items()}
    assert outcome.changes.get(key, {}) == expected, case["name"]
    assert not outcome.skipped, outcome.skipped  # every proposal can be written


def test_the_corpus_is_large_and_covers_every_class():
    assert len(CASES) >= 40
    assert {c["class"] for c in CASES} == CLASSES
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert all(c.get("why") for c in CASES)  # each case says what it is and what was edited
    counts = Counter(c["class"] for c in CASES)
    assert counts["agrees"] >= 10


def test_no_patch_over_the_whole_corpus_changes_a_correct_value():
    """The target of the issue: every proposed change either adds a field
    refs.bib lacks or replaces a value the case marks wrong."""
    harmful = []
    for case in CASES:
        outcome = run_case(case)
        entries = Parser().parse_string(case["bib"]).entries
        wrong = set(case.get("wrong", []))
        for key, changes in outcome.changes.items():
            present = {name.lower() for name in entries[key].fields} | set(entries[key].persons)
            harmful += [(case["name"], key, name) for name in changes
                        if name in present and name not in wrong]  # fmt: skip
    assert harmful == []
