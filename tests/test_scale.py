"""A lab's 1,000-entry refs.bib: work per entry stays per entry (issue 31, "Slow").

Speed itself is measured by ``nox -s bench -- --scale``, never asserted here;
these tests check that what the faster paths give is what the slow ones gave.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
import typst

from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.refsbib import load_bib
from academic_portfolio.text import typeset as typeset_module
from academic_portfolio.text.typeset import (
    FONT_FAMILIES,
    TEMPLATES,
    fonts,
    in_background,
    typeset,
    wait_for_background,
)
from academic_portfolio.weight import firstpaint
from academic_portfolio.weight.firstpaint import (
    Matcher,
    Shapes,
    Sheets,
    critical_css,
    page_shape,
    shape_reading,
    shown_when_loaded,
)

pytestmark = pytest.mark.pure

CARD = {"name": "A. Person", "kicker": "Paper", "title": "A Title with Ünïcode", "line": "",
        "authors": [{"text": "A. Person", "bold": True, "italic": False}],
        "venue": "Proceedings of a Conference, 2024", "site": "example.org"}  # fmt: skip


def entries(keys: list[str]) -> str:
    return "".join(
        f"@misc{{{key},\n  author = {{Person, A.}},\n  title = {{Title {n}}},\n  year = {{2024}},\n}}\n\n"
        for n, key in enumerate(keys)
    )


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


# -- First paint: once per shape of page --------------------------------------------

SELECTORS = ["a", "p:empty", "p:not(:empty)", "a[href^='http']", "a[href$='.pdf']", "#top",
             "li:first-child > a", "section > p + p", ".paper a.reference"]  # fmt: skip


def paper_page(title: str, link: str, anchor: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html><html><body><section id="{anchor}"><h1 class="paper">{title}</h1>
    <p><a class="reference" href="{link}" title="{title}">{title}.bib</a></p><p>{extra}</p>
    <ul><li><a href="#{anchor}">again</a></li></ul></section></body></html>"""


def shape(html: str, selectors: list[str] = SELECTORS) -> str:
    reading = shape_reading(selectors)
    assert reading is not None
    return page_shape(html, reading, ["a.css"])


def test_a_quoted_value_is_read_whole():
    reading = shape_reading(['a[title="x\'"]', "a[href^='y\"']"])
    assert reading is not None
    assert reading.tests == {"title": {("=", "x'")}, "href": {("^=", 'y"')}}


def test_pages_that_differ_in_words_links_and_anchors_have_one_shape():
    one = paper_page("Robust Things", "doe2024.bib", "robust-things")
    other = paper_page("Other Words", "lee2021.bib", "other-words")
    assert shape(one) == shape(other)


@pytest.mark.parametrize("changed", [
    paper_page("Robust Things", "doe2024.bib", "robust-things", extra="words"),  # :empty
    paper_page("Robust Things", "https://doe.org/x", "robust-things"),  # [href^='http']
    paper_page("Robust Things", "doe2024.pdf", "robust-things"),  # [href$='.pdf']
    paper_page("Robust Things", "doe2024.bib", "top"),  # #top
    paper_page("Robust Things", "doe2024.bib", "robust-things").replace("<ul>", "<ul><li></li>"),
])  # fmt: skip
def test_what_a_selector_can_see_changes_the_shape(changed):
    assert shape(changed) != shape(paper_page("Robust Things", "doe2024.bib", "robust-things"))


@pytest.mark.parametrize("selector", ["p:lang(en)", "a:-soup-contains(x)", "a[href^=x i]",
                                      r".a\:b"])  # fmt: skip
def test_sheets_this_reading_does_not_cover_are_not_shaped(selector):
    assert shape_reading([*SELECTORS, selector]) is None


def test_pages_of_one_shape_match_every_selector_alike():
    pages = [paper_page(f"Title {n}", f"key{n}.bib", f"title-{n}") for n in range(3)]
    pages.append(paper_page("T", "https://x.org", "top", extra="x"))
    pages.append(paper_page("T", "https://y.org/a.pdf", "t"))
    answers: dict[str, list[bool]] = {}
    for html in pages:
        soup = shown_when_loaded(html)
        answers.setdefault(shape(html), []).append(
            [Matcher(soup, set()).matches(s) for s in SELECTORS]  # type: ignore[arg-type]
        )
    assert len(answers) == 3
    for found in answers.values():
        assert all(answer == found[0] for answer in found)


def test_a_rule_soupsieve_cannot_read_leaves_the_pages_shaped():
    """The theme's form rules (:valid, :invalid) are kept on every page alike:
    they turned the shapes off, and each of 1,000 pages was matched alone."""
    selectors = [*SELECTORS, ".was-validated .form-control:valid", ".x:-webkit-autofill",
                 "input:indeterminate", "a[href~=(x)]"]  # fmt: skip
    assert shape_reading(selectors) is not None
    one = paper_page("Robust Things", "doe2024.bib", "robust-things")
    other = paper_page("Other Words", "lee2021.bib", "other-words")
    assert shape(one, selectors) == shape(other, selectors)


def test_a_data_attribute_counts_by_the_selectors_tests_of_it():
    """A paper's links carry its own address in data-print: pages that differ
    only there have one shape, unless a selector tests that value."""

    def page(address: str) -> str:
        return paper_page("T", "t.bib", "t").replace('class="reference"',
                                                     f'class="reference" data-print="{address}"')  # fmt: skip

    one, other = page("https://x.org/a.bib"), page("https://x.org/b.pdf")
    assert shape(one) == shape(other)
    tested = [*SELECTORS, "a[data-print$='.pdf']"]
    assert shape(one, tested) != shape(other, tested)


def test_critical_css_is_computed_once_per_shape_and_is_the_same(tmp_path, monkeypatch):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text(
        "a{color:red}p:empty{margin:0}a[href^='http']{color:blue}#top{top:0}.gone{x:y}", "utf-8"
    )
    pages = [paper_page(f"Title {n}", f"key{n}.bib", f"title-{n}") for n in range(4)]
    pages.append(paper_page("T", "https://x.org", "top", extra="x"))
    sheets, shapes = Sheets(static), Shapes()
    alone = [critical_css(html, sheets, ["_static/a.css"]) for html in pages]
    computed = []
    real = firstpaint.css_for
    monkeypatch.setattr(firstpaint, "css_for", lambda *a: computed.append(1) or real(*a))
    shaped = [critical_css(html, sheets, ["_static/a.css"], shapes) for html in pages]
    assert shaped == alone
    assert len(computed) == len(shapes.css) == 2
    assert "color:blue" in shaped[-1] and "color:blue" not in shaped[0]


def test_fonts_are_looked_up_once_per_process_and_font_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("TYPST_FONT_PATHS", raising=False)
    assert fonts() is fonts()
    monkeypatch.setenv("TYPST_FONT_PATHS", str(tmp_path))
    assert fonts() is fonts()
    assert fonts() is not typeset_module.process_fonts((), os.getpid())  # the owner's folder counts


def typeset_card_in(folder: Path) -> None:
    typeset(TEMPLATES / "social-card.typ", {"card": json.dumps(CARD, ensure_ascii=False)},
            folder, fmt="png", ppi=72)  # fmt: skip


def test_a_forked_writer_typesets_a_card_after_the_parent_did(tmp_path, monkeypatch):
    """A parallel build forks its writers after the parent has typeset (and
    kept its fonts): the child's card is the parent's, and it is made at all
    (Typst state shared over a fork once hung a child)."""
    monkeypatch.delenv("TYPST_FONT_PATHS", raising=False)
    typeset_card_in(tmp_path / "parent")
    child = multiprocessing.get_context("fork").Process(target=typeset_card_in,
                                                         args=(tmp_path / "child",))  # fmt: skip
    child.start()
    child.join(120)  # a hang guard, not a timing: a card takes well under a second
    if child.is_alive():
        child.kill()
        pytest.fail("the forked process hung typesetting a card")
    assert child.exitcode == 0
    [parent_card], [child_card] = (list((tmp_path / p).iterdir()) for p in ("parent", "child"))
    assert parent_card.read_bytes() == child_card.read_bytes()


def test_typst_beside_the_build_makes_the_card_typst_makes_now(tmp_path, monkeypatch):
    """The cards and the CV are set in a thread while the pages are written:
    the same bytes, made by another thread than the build's."""
    monkeypatch.delenv("TYPST_FONT_PATHS", raising=False)
    monkeypatch.setattr(typeset_module, "usable_cores", lambda: 2)
    typeset_card_in(tmp_path / "now")
    threads = []

    def card_beside() -> None:
        threads.append(threading.get_ident())
        typeset_card_in(tmp_path / "beside")

    in_background(card_beside, parallel_writers=False)
    wait_for_background()
    assert threads and threads != [threading.get_ident()]
    [now], [beside] = (list((tmp_path / p).iterdir()) for p in ("now", "beside"))
    assert now.read_bytes() == beside.read_bytes()


@pytest.mark.parametrize(("cores", "parallel_writers"), [(2, True), (1, False)])
def test_typst_works_in_the_build_s_thread_without_a_core_to_spare(
    monkeypatch, cores, parallel_writers
):
    """A parallel build (-j) forks its writers: no Typst in a thread there; nor
    on one core, where a thread would only take turns with the build."""
    monkeypatch.setattr(typeset_module, "usable_cores", lambda: cores)
    threads = []
    in_background(lambda: threads.append(threading.get_ident()), parallel_writers)
    assert threads == [threading.get_ident()]


def test_typst_s_error_beside_the_build_is_raised_when_the_build_waits(tmp_path, monkeypatch):
    monkeypatch.setattr(typeset_module, "usable_cores", lambda: 2)
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = (", "utf-8")
    in_background(lambda: typeset(broken, {}, tmp_path), parallel_writers=False)
    with pytest.raises(typst.TypstError):
        wait_for_background()
    wait_for_background()  # raised once: the next build starts clean


def test_a_failed_build_does_not_wait_for_cards_not_begun(monkeypatch):
    """A build stopped by an error drops the Typst work it has not begun."""
    monkeypatch.setattr(typeset_module, "usable_cores", lambda: 2)
    holding, released, done = threading.Semaphore(0), threading.Event(), []

    def hold_a_worker() -> None:
        holding.release()
        released.wait()

    in_background(hold_a_worker, parallel_writers=False)  # the one worker of two cores
    holding.acquire()
    card = in_background(lambda: done.append("card"), parallel_writers=False)
    card.add_done_callback(lambda _: released.set())  # once dropped, the workers go on
    wait_for_background(exception=RuntimeError("the build failed"))
    assert card.cancelled() and done == []


def test_the_list_filter_keeps_exactly_its_keys_as_sphinxcontrib_bibtex_reads_it():
    """One regular expression, not ``key in {...}`` (a set sphinxcontrib-bibtex
    built again for each entry: a million steps at 1,000 papers)."""
    import ast

    from pybtex.database import Entry
    from sphinxcontrib.bibtex.domain import _FilterVisitor

    from academic_portfolio.papers.lists import keys_filter

    group = ["Zhao2024a", "a.b+c", "中文", "key-7", "o'k", "x\\y"]
    tree = ast.parse(keys_filter(group))
    for key in [*group, "zhao2024", "zhao2024ab", "axb+c", "key", "key-77", "中"]:
        entry = Entry("misc")
        entry.key = key
        kept = _FilterVisitor(entry=entry, docname="publications/index", cited_docnames=set())
        assert bool(kept.visit(tree)) == (key in group), key
