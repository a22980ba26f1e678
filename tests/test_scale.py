"""A lab's 1,000-entry refs.bib: work per entry stays per entry (issue 31, "Slow").

Speed itself is measured by ``nox -s bench -- --scale``, never asserted here;
these tests check that what the faster paths give is what the slow ones gave.
"""

from __future__ import annotations

import json

import pytest
import typst

from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.refsbib import load_bib
from academic_portfolio.text import typeset as typeset_module
from academic_portfolio.text.typeset import FONT_FAMILIES, TEMPLATES, fonts, typeset

pytestmark = pytest.mark.pure

CARD = {"name": "A. Person", "kicker": "Paper", "title": "A Title with Ünïcode", "line": "",
        "authors": [{"text": "A. Person", "bold": True, "italic": False}],
        "venue": "Proceedings of a Conference, 2024", "site": "example.org"}  # fmt: skip


def entries(keys: list[str]) -> str:
    return "".join(
        f"@misc{{{key},\n  author = {{Person, A.}},\n  title = {{Title {n}}},\n  year = {{2024}},\n}}\n\n"
        for n, key in enumerate(keys)
    )


def test_fonts_are_looked_up_once_per_font_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("TYPST_FONT_PATHS", raising=False)
    assert fonts() is fonts()
    monkeypatch.setenv("TYPST_FONT_PATHS", str(tmp_path))
    assert fonts() is fonts()
    assert fonts() is not typeset_module.machine_fonts(())  # the owner's folder is looked at


def test_a_card_typeset_with_the_fonts_kept_is_the_card_typst_makes(tmp_path, monkeypatch):
    monkeypatch.delenv("TYPST_FONT_PATHS", raising=False)
    template = TEMPLATES / "social-card.typ"
    inputs = {"card": json.dumps(CARD, ensure_ascii=False)}
    made = typeset(template, inputs, tmp_path, fmt="png", ppi=72).read_bytes()
    alone = typst.compile(template, format="png", ppi=72, font_paths=[],
                          sys_inputs={**inputs, "fonts": json.dumps(FONT_FAMILIES)})  # fmt: skip
    assert made == alone


def test_many_entries_with_their_own_addresses_load(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(entries([f"key{n}" for n in range(300)]), "utf-8")
    assert len(load_bib(bib).slugs) == 300


def test_a_shared_address_is_still_placed_on_its_line_among_many(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(entries([*(f"key{n}" for n in range(50)), "key-7", "Key_7", "中文"]), "utf-8")
    with pytest.raises(DataFileError) as error:
        load_bib(bib, {"key3": "the page publications/key3.md"})
    text = bib.read_text("utf-8").splitlines()
    lines = [text[p.line - 1] for p in error.value.problems if p.line is not None]
    assert len(error.value.problems) == len(lines) == 3
    assert sorted(lines) == [
        "@misc{Key_7,",
        "@misc{key3,",
        "@misc{中文,",
    ]  # Key_7: the second holder


def test_no_line_is_looked_for_when_no_address_has_a_problem(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("academic_portfolio.data.refsbib.entry_line",
                        lambda text, key: calls.append(key))  # fmt: skip
    bib = tmp_path / "refs.bib"
    bib.write_text(entries([f"key{n}" for n in range(20)]), "utf-8")
    load_bib(bib)
    assert calls == []
