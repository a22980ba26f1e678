"""The data layer (academic_portfolio.data.store), built in process with sphinx.testing.

A small made-up portfolio (tests/fixtures/small-site) is built once; then, for
every source the data layer knows (every field of cv.yaml, every project, every
paper, and the sets of them), one test edits that source, rebuilds
incrementally, and checks that:

- exactly the pages the data layer recorded as showing that source are read
  again (plus those Sphinx adds by its own rules: a page whose file changed, a
  new page, a page whose toctree is a glob when pages come or go);
- every page then equals the same page from a clean build of the edited
  sources: no page shows stale data.

The sources are listed from the fixture's data by the data layer itself
(:func:`academic_portfolio.data.store.fingerprints`), so a new kind of source gets its test.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from sphinx.testing.util import SphinxTestApp

from academic_portfolio.data.refsbib import load_bib
from academic_portfolio.data.sources import load_cv, load_projects
from academic_portfolio.data.store import fingerprints, portfolio

# Small made-up sites, built in this process.
pytestmark = pytest.mark.inprocess

SMALL_SITE = Path(__file__).parent / "fixtures" / "small-site"


class SmallSite:
    """A copy of the small site, built in process; edited, then built again."""

    def __init__(self, root: Path):
        self.src, self.out = root / "src", root / "build"
        shutil.copytree(SMALL_SITE, self.src)

    def build(
        self, fresh: bool = False, setting_changed: bool = False
    ) -> tuple[SphinxTestApp, set[str], set[str]]:
        """Build (incrementally unless *fresh*). The app, the pages read, and
        the pages Sphinx itself found new or changed (by their files)."""
        warnings, read, own, self.written = io.StringIO(), set(), set(), set()
        app = SphinxTestApp("dirhtml", srcdir=self.src, builddir=self.out, freshenv=fresh,
                            status=io.StringIO(), warning=warnings)  # fmt: skip
        app.connect("env-before-read-docs", lambda app, env, docnames: read.update(docnames))
        app.connect("html-page-context", lambda app, page, template, context, doctree:
                    self.written.add(page) if doctree is not None else None)  # fmt: skip
        app.connect("env-get-outdated", lambda app, env, added, changed, removed: own.update(
            added | changed) or [], priority=0)  # fmt: skip
        try:
            app.build()
        finally:
            app.cleanup()
        assert warnings.getvalue() == "", warnings.getvalue()
        # Sphinx writes every page when a setting changed, and only then.
        assert (self.out / "dirhtml" / ".buildinfo.bak").exists() == setting_changed
        return app, read, own

    def pages(self) -> dict[str, bytes]:
        """Every page, every social card and every paper download, by path."""
        html = self.out / "dirhtml"
        files = [*html.rglob("*.html"), *html.glob("_images/social/*.png"),
                 *html.glob("refs.*"), *html.glob("publications/*/*.*")]  # fmt: skip
        return {path.relative_to(html).as_posix(): path.read_bytes() for path in files}


def source_prints(src: Path) -> dict[str, str]:
    """Every source of a site and a hash of its content, from the data layer."""
    projects = load_projects(src / "research", "research", lambda path, text, check: check())
    settings = {
        "html_baseurl": re.search(r'html_baseurl = "(.*)"', (src / "conf.py").read_text())[1]
    }
    return fingerprints(load_bib(src / "refs.bib"), load_cv(src / "_data" / "cv.yaml"), projects,
                        settings)  # fmt: skip


def data_sources() -> list[str]:
    """Every source of the small site, as the data layer names them."""
    return sorted(source_prints(SMALL_SITE))


# -- One edit per kind of source ------------------------------------------------


def edit_cv(src: Path, field: str) -> None:
    path = src / "_data" / "cv.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    *parents, last = field.split(".")
    holder = data
    for key in parents:
        holder = holder[key]
    holder[last] = edited(holder[last])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def edited(value):
    """The value with its first text changed (an address stays an address)."""
    if isinstance(value, str):
        return (
            value + "x"
            if value.startswith(("http", "mailto")) or "@" in value
            else f"{value} edited"
        )
    if isinstance(value, list):
        return [edited(value[0]), *value[1:]]
    if isinstance(value, dict):
        key = next(k for k, v in value.items() if isinstance(v, str) and k not in ("start", "end"))
        return {**value, key: edited(value[key])}
    raise AssertionError(f"no edit for {value!r}")


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def edit_entry(src: Path, key: str, old: str, new: str) -> None:
    path = src / "refs.bib"
    text = path.read_text("utf-8")
    start = text.index(key)
    end = text.find("\n@", start)
    end = len(text) if end < 0 else end
    assert old in text[start:end], f"{old!r} is not in the entry {key}"
    path.write_text(text[:start] + text[start:end].replace(old, new, 1) + text[end:], "utf-8")


NEW_ENTRY = """
@misc{example2023gamma,
  title = {Gamma: A Paper Added by the Tests},
  author = {Example, Ada},
  howpublished = {Example preprint server},
  year = {2023}
}
"""


def edit_source(src: Path, source: str) -> None:
    """Change *source*'s content, as the owner would."""
    kind, _, name = source.partition(":")
    if source == "papers:selected":
        edit_entry(src, "example2021beta", "year = {2021}", "year = {2021},\n  selected = {true}")
    elif kind == "cv":
        edit_cv(src, name)
    elif kind == "config":
        edit_file(
            src / "conf.py", f'{name} = "https://example.org/', f'{name} = "https://example.org/x/'
        )
    elif kind == "project":
        edit_file(src / f"{name}.md", 'title: "', 'title: "Edited ')
    elif kind == "projects":
        shutil.copy(src / "research" / "beta.md", src / "research" / "gamma.md")
        edit_file(src / "research" / "gamma.md", "Beta project", "Gamma project")
    elif kind == "cited":
        edit_file(src / "research" / "beta.md", "\nresults:", f"\npaper: {name}\nresults:")
    elif kind == "paper":
        edit_entry(src, name, "title = {", "title = {Edited ")
    elif kind == "papers":
        with (src / "refs.bib").open("a", encoding="utf-8") as bib:
            bib.write(NEW_ENTRY)
    else:
        raise AssertionError(f"no edit for the source {source!r}: add one here")


# -- The tests -----------------------------------------------------------------


def record_of(app: SphinxTestApp) -> dict[str, set[str]]:
    """The data layer's record: the sources each page shows."""
    pages = portfolio(app.env).data["pages"]
    return {doc: page.sources | page.furniture for doc, page in pages.items()}


def test_every_source_of_the_data_is_shown_on_some_page(tmp_path):
    app, _, _ = SmallSite(tmp_path).build(fresh=True)
    shown = set().union(*record_of(app).values())
    missing = [s for s in data_sources() if s not in shown]
    assert not missing, f"read by no page: {missing}"


# Two builds for each of twenty sources: the build tier, not the quick one.
@pytest.mark.build
@pytest.mark.parametrize("source", data_sources())
def test_an_edit_reaches_exactly_the_pages_that_show_it(tmp_path, source):
    # Built where it is rebuilt: Sphinx reads every page again in a moved folder.
    site = SmallSite(tmp_path / "site")
    record = record_of(site.build(fresh=True)[0])
    before = source_prints(site.src)
    edit_source(site.src, source)
    after = source_prints(site.src)
    # The edit changes this source (and may change others: a project naming a
    # paper changes the project too).
    changed = {s for s in before.keys() | after.keys() if before.get(s) != after.get(s)}
    assert source in changed

    setting = source.startswith("config:")
    app, read, own = site.build(setting_changed=setting)

    readers = {doc for doc, sources in record.items() if sources & changed}
    assert readers, f"no page shows {source}"
    added = {doc for doc in app.env.found_docs if doc not in record}
    toctree_globs = app.env.glob_toctrees if added else set()
    assert read == readers | own | toctree_globs, f"{source}: read {sorted(read)}"
    assert added <= own
    # Written: the pages read, those whose toctree holds one (Sphinx's rule),
    # and those whose neighbours changed (the data layer's); all, for a setting.
    parents = {parent for doc in read for parent in app.env.files_to_rebuild.get(doc, ())}
    neighbours = {doc for doc, related in app.env.collect_relations().items()
                  if set(related) & (read | added)}  # fmt: skip
    if setting:
        assert site.written == set(app.env.found_docs)
    else:
        assert read | parents <= site.written <= read | parents | neighbours, sorted(site.written)
    incremental = site.pages()
    clean = SmallSite(tmp_path / "clean")
    shutil.rmtree(clean.src)
    shutil.copytree(site.src, clean.src)
    clean.build(fresh=True)
    clean_pages = clean.pages()
    assert any(name.endswith(".png") for name in clean_pages)  # the cards are compared too
    assert any(name.endswith(".ris") for name in clean_pages)  # and the downloads
    assert sorted(incremental) == sorted(clean_pages)  # no page or card left over, none missing
    stale = [page for page, data in clean_pages.items() if incremental.get(page) != data]
    assert not stale, f"{source}: stale after an incremental build: {stale}"


def test_a_build_with_no_change_makes_no_paper_download_again(tmp_path, monkeypatch):
    """A one-page rebuild of a lab's 1,000 papers made all 3,003 downloads
    again; now only a change to what they are made of does (the test above
    checks every source's edit reaches them)."""
    from academic_portfolio.papers import bibtex

    site = SmallSite(tmp_path)
    site.build(fresh=True)
    made: list[str] = []
    real = bibtex.ris_record
    monkeypatch.setattr(bibtex, "ris_record", lambda entry: made.append(entry.key) or real(entry))
    site.build()
    assert made == []
    (site.out / "dirhtml" / "refs.ris").unlink()  # an output folder cleaned by hand
    site.build()
    assert made and (site.out / "dirhtml" / "refs.ris").is_file()


def test_sphinxcontrib_bibtex_never_parses_refs_bib_itself(tmp_path):
    site = SmallSite(tmp_path)
    status = io.StringIO()
    app = SphinxTestApp("dirhtml", srcdir=site.src, builddir=site.out, freshenv=True,
                        status=status, warning=io.StringIO())  # fmt: skip
    try:
        app.build()
    finally:
        app.cleanup()
    log = status.getvalue()
    assert "checking bibtex cache... up to date" in log
    assert "parsing bibtex file" not in log
    cite = app.env.get_domain("cite")
    assert cite.bibdata.data is portfolio(app.env).bibliography.data  # one parse, shared


def test_the_owner_is_bold_in_the_list_without_any_global_state(tmp_path):
    """Two builds in one process, each with its own owner."""
    for owner, bold in (("Example, Ada", "Ada Example"), ("Other, Bob", "Bob Other")):
        site = SmallSite(tmp_path / re.sub(r"\W", "", owner))
        app = SphinxTestApp("dirhtml", srcdir=site.src, builddir=site.out, freshenv=True,
                            confoverrides={"portfolio_owner": owner},
                            status=io.StringIO(), warning=io.StringIO())  # fmt: skip
        try:
            app.build()
        finally:
            app.cleanup()
        listing = (site.out / "dirhtml" / "publications" / "index.html").read_text("utf-8")
        assert re.findall(r"<strong>([^<]*)</strong>", listing) == [bold, bold]


def test_a_build_reads_each_entry_once(tmp_path, monkeypatch):
    """Every page feature renders the paper record (academic_portfolio.data.paper):
    a fresh build makes one per entry, however many pages and files show it."""
    from academic_portfolio.data import store as data_store

    made: list[str] = []
    read = data_store.paper_record

    def counted(entry, owner=None):
        made.append(entry.key)
        return read(entry, owner)

    monkeypatch.setattr(data_store, "paper_record", counted)
    site = SmallSite(tmp_path)
    app, _, _ = site.build(fresh=True)
    keys = list(portfolio(app.env).bibliography.entries)
    assert sorted(made) == sorted(keys), made

    # The records are kept with the environment: a page's edit reads no entry
    # again, an entry's edit (its `selected` mark too) that entry only.
    made.clear()
    index = site.src / "index.md"
    index.write_text(index.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    site.build()
    assert made == []
    edit_entry(site.src, "example2022alpha", "Alpha: A Paper", "Alpha: An Edited Paper")
    site.build()
    assert made == ["example2022alpha"]
    made.clear()
    edit_entry(site.src, "example2021beta", "year = {2021}", "year = {2021},\n  selected = {true}")
    app, _, _ = site.build()
    assert made == ["example2021beta"]
    assert portfolio(app.env).paper("index", "example2021beta").title.startswith("Beta")
