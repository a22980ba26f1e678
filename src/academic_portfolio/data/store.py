"""The data layer: the site's data, read once, and which page shows what.

One Sphinx domain, ``portfolio``, holds:

- the data, checked (:mod:`academic_portfolio.data.sources`, :mod:`academic_portfolio.data.refsbib`):
  ``refs.bib``, ``_data/cv.yaml`` and every project's front matter. They are
  loaded when the builder starts; a file is parsed and checked again only when
  its text changed (the code and the schemas are part of the extension's
  ``env_version``: a change to them rebuilds everything, the one rule).
- who reads what. A page reads data only through the accessors below, which
  take the page's name: each read records page → *source*, one named part of
  the data. ``env-get-outdated`` returns exactly the pages that read a source
  whose content changed since the last build; no other page is read again.
- what each page holds for the writing phase (its first figure, whether a
  project page shows its header, its metadata): records by page, cleared when
  the page is read again.

Sources, by name:

==========================  ==================================================
``cv:<field>``              a top-level field of cv.yaml (``cv:person.<field>``
                            for the person's own fields)
``project:<docname>``       one project's front matter
``projects``                which projects exist
``cited:<key>``             which projects name the paper ``<key>``
``paper:<key>``             one refs.bib entry (its fields, people, address)
``papers``                  which papers exist, and their addresses
``papers:selected``         which papers are marked ``selected``
==========================  ==================================================

refs.bib is parsed once, here, and sphinxcontrib-bibtex is given that parse
(:func:`share_with_sphinxcontrib_bibtex`) instead of reading the file again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, cast

from pybtex.database import Entry, Person
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime

from ..settings import declare
from ..text.bibstyle import PortfolioStyle
from ..version import __version__
from .cvrecord import CV, RecordedView, cv_record, placeholder_fields
from .datafiles import CODE_VERSION, SCHEMA_DIR, DataFileError, DataProblem, read_text, stop_build
from .generated import remove_old_pages
from .gitdates import git_dates
from .pagerecord import PageMeta, PageRecord
from .paper import Paper, paper_record
from .paperfiles import PAPERS_DIR, paper_page
from .refsbib import Bibliography, is_selected, load_bib, taken_slugs
from .sources import Project, load_cv, load_projects, newest_first

logger = logging.getLogger(__name__)
# Where the installed engine keeps its schemas: the reference a user can open.
CV_ADVICE = f"The CV fields are described in {SCHEMA_DIR / 'cv.schema.json'}."
PROJECT_ADVICE = ("The front matter fields of project pages are described in "
                  f"{SCHEMA_DIR / 'project.schema.json'}.")  # fmt: skip


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def entry_state(entry: Entry, slug: str) -> list[Any]:
    """What pages show of an entry; being selected is the source papers:selected."""
    people = [(role, [str(p) for p in persons]) for role, persons in entry.persons.items()]
    fields = [(name, value) for name, value in entry.fields.items() if name != "selected"]
    return [entry.type, people, fields, slug]


def whole_entry_digest(entry: Entry, slug: str) -> str:
    """Every field of the entry, ``selected`` too: what its record is read from."""
    people = [(role, [str(p) for p in persons]) for role, persons in entry.persons.items()]
    return digest([entry.type, people, list(entry.fields.items()), slug])


def cv_sources(cv: Mapping[str, Any], prefix: str = "cv:") -> dict[str, str]:
    prints = {}
    for key, value in cv.items():
        if prefix == "cv:" and key == "version":  # the file's format, which no page shows
            continue
        if isinstance(value, Mapping):
            prints.update(cv_sources(value, f"{prefix}{key}."))
        else:
            prints[f"{prefix}{key}"] = digest(value)
    return prints


def fingerprints(
    bib: Bibliography, cv: Mapping[str, Any], projects: dict[str, Project],
    settings: Mapping[str, Any],
) -> dict[str, str]:  # fmt: skip
    """Every source's name and a hash of its content."""
    prints = cv_sources(cv)
    prints.update({f"config:{name}": digest(value) for name, value in settings.items()})
    prints["projects"] = digest(sorted(projects))
    for docname, project in projects.items():
        prints[f"project:{docname}"] = digest(project_state(project))
    prints["papers"] = digest(sorted(bib.slugs.items()))
    prints["papers:selected"] = digest(sorted(
        key for key, entry in bib.entries.items() if is_selected(entry)
    ))  # fmt: skip
    for key, entry in bib.entries.items():
        prints[f"paper:{key}"] = digest(entry_state(entry, bib.slugs[key]))
        citing = sorted(d for d, p in projects.items() if p.paper == key)
        prints[f"cited:{key}"] = digest(citing)
    return prints


def project_state(project: Project) -> dict[str, Any]:
    """What pages show of a project: its record, but for where its file is."""
    return {**dataclasses.asdict(project), "path": None}


def read_settings(config: Any) -> dict[str, Any]:
    """The settings pages are read with (an 'html' setting, such as the site's
    address, is otherwise only written again: the JSON-LD and cards hold it)."""
    return {"html_baseurl": config.html_baseurl}


def checked(cache: dict, path: Path, check: Callable[[], Any], extra: str = "") -> Any:
    """*check*'s result for this text of *path* (and *extra*), computed once
    per change and kept in *cache*. A missing or unreadable file is checked,
    and so reported, on every build until it is fixed."""
    try:
        text = read_text(path)
    except (OSError, DataFileError):
        return check()
    return checked_text(cache, path, text + extra, check)


def checked_text(cache: dict, path: Path, text: str, check: Callable[[], Any]) -> Any:
    key = hashlib.sha256(text.encode()).hexdigest()
    if cache.get(str(path), (None,))[0] != key:
        cache[str(path)] = (key, check())
    return cache[str(path)][1]


def read_cv(path: Path) -> tuple[dict[str, Any], CV]:
    """cv.yaml checked, and its record (academic_portfolio.data.cvrecord)."""
    data = load_cv(path)
    return data, cv_record(data)


def bibfiles_problem(bibfiles: Any, conf: Path) -> DataProblem | None:
    """The site reads one bibliography file: its papers, its /refs.bib, its
    lines in messages. sphinxcontrib-bibtex accepts several; say how to merge."""
    if isinstance(bibfiles, (list, tuple)) and len(bibfiles) == 1 and isinstance(bibfiles[0], str):
        return None
    if not isinstance(bibfiles, (list, tuple)) or not all(isinstance(f, str) for f in bibfiles):
        return DataProblem(conf, None, (
            f"bibtex_bibfiles = {bibfiles!r}: write the bibliography file as a list of one "
            'name, bibtex_bibfiles = ["refs.bib"].'
        ))  # fmt: skip
    if not bibfiles:
        return DataProblem(conf, None, (
            "bibtex_bibfiles is empty: name the bibliography file, "
            'bibtex_bibfiles = ["refs.bib"] (or remove the line: that is the default).'
        ))  # fmt: skip
    return DataProblem(conf, None, (
        f"bibtex_bibfiles lists {len(bibfiles)} files ({', '.join(bibfiles)}), and the site "
        "reads one bibliography file (its paper pages, its /refs.bib): put every entry in one "
        f'file, such as {bibfiles[0]}, and write bibtex_bibfiles = ["{bibfiles[0]}"].'
    ))  # fmt: skip


class PortfolioDomain(Domain):
    """The site's data and its readers (no roles, directives or objects of its own)."""

    name = "portfolio"
    label = "Portfolio data"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {
        "checked": {},  # path -> (hash of its text, checked value)
        "fingerprints": {},  # source -> hash of its content at the last build
        # key -> (digest of the whole entry, owner, its record): kept with the
        # environment, so a rebuild after one page's edit reads no entry again
        # (a lab's 1,000 entries took 1.5 s to read on every build).
        "papers": {},
        "changed": set(),  # sources whose content changed since the last build
        "pages": {},  # docname -> PageRecord
        "bib": None,
        "cv": {},  # cv.yaml's checked data: its fields are the sources cv:<field>
        "cv_record": None,  # the CV record (academic_portfolio.data.cvrecord) pages render
        "projects": {},
        "files": {},  # kind of source -> the file it is read from
        "dates": {},  # data file -> when git last saw it change
        "titles": {},  # docname -> its title, as pages were last written
        "relations": {},  # docname -> (parent, previous, next), as last written
    }

    # This run's builder, set when it starts (never pickled: Sphinx makes the
    # domains anew on every run). Directives and transforms ask it for pages'
    # addresses here, as Sphinx 9 deprecates reaching it through env.app.
    builder: Builder | None = None
    _furniture_of: str | None  # the page whose furniture is being read (furniture())

    def page_uri(self, docname: str) -> str:
        """The address this build gives *docname* (dirhtml: ``cv/``)."""
        assert self.builder is not None, "the builder starts before any page is read"
        return self.builder.get_target_uri(docname)

    def relative_uri(self, from_doc: str, to_doc: str) -> str:
        """The link from page *from_doc* to page *to_doc*, as this build writes them."""
        assert self.builder is not None, "the builder starts before any page is read"
        return self.builder.get_relative_uri(from_doc, to_doc)

    # -- Loading, when the builder starts --------------------------------------

    def load(self, app: Sphinx) -> None:
        """Read and check every data file; report every problem, then stop."""
        confdir, srcdir = Path(app.confdir), Path(app.srcdir)
        if problem := bibfiles_problem(app.config.bibtex_bibfiles, confdir / "conf.py"):
            stop_build([problem])
        bib_path = confdir / app.config.bibtex_bibfiles[0]
        cv_path = confdir / app.config.portfolio_cv_data
        folder = srcdir / app.config.portfolio_projects_dir
        problems, advice = [], []
        try:  # the data (its fields are the sources) and its record, once per change
            cv, cv_read = self.checked(cv_path, lambda: read_cv(cv_path))
        except DataFileError as error:
            problems += error.problems
            advice.append(CV_ADVICE)
        try:
            projects = load_projects(folder, app.config.portfolio_projects_dir, self.checked_text)
        except DataFileError as error:
            problems += error.problems
            advice.append(PROJECT_ADVICE)
        papers_folder = srcdir / PAPERS_DIR
        remove_old_pages(papers_folder, paper_page)  # older versions wrote there
        reserved = taken_slugs(papers_folder)
        try:
            bib = self.checked(bib_path, lambda: load_bib(bib_path, reserved),
                               extra=json.dumps(sorted(reserved.items())))  # fmt: skip
        except DataFileError as error:
            problems += error.problems
        if problems:
            stop_build(problems, " ".join(advice))
        prints = fingerprints(bib, cv, projects, read_settings(app.config))
        previous = self.data["fingerprints"]
        self.data["changed"] = {s for s in previous.keys() | prints.keys()
                                if previous.get(s) != prints.get(s)}  # fmt: skip
        self.data.update(fingerprints=prints, bib=bib, cv=cv, cv_record=cv_read, projects=projects)
        self.keep_current_papers(app.config.portfolio_owner or "")
        self.forget_gone_files([cv_path, bib_path, *(p.path for p in projects.values())])
        # The file each kind of source is read from, and when git last saw the
        # data files change (a page's "Last updated", academic_portfolio.pages.freshness).
        self.data["files"] = {"cv": cv_path, "paper": bib_path, "papers": bib_path}
        self.data["dates"] = git_dates(srcdir, [cv_path, bib_path])

    def keep_current_papers(self, owner: str) -> None:
        """Drop the kept records of entries that changed or went, or of another owner."""
        bib, kept = self.data["bib"], self.data.setdefault("papers", {})
        self.data["papers"] = {
            key: (state, owner, paper)
            for key, (state, was_owner, paper) in kept.items()
            if key in bib.entries and was_owner == owner
            and state == whole_entry_digest(bib.entries[key], bib.slugs[key])
        }  # fmt: skip

    def checked(self, path: Path, check: Callable[[], Any], extra: str = "") -> Any:
        return checked(self.data["checked"], path, check, extra)

    def forget_gone_files(self, paths: Iterable[Path]) -> None:
        """Drop the cached checks of files that no longer exist (a renamed project)."""
        kept = {str(path) for path in paths}
        self.data["checked"] = {k: v for k, v in self.data["checked"].items() if k in kept}

    def checked_text(self, path: Path, text: str, check: Callable[[], Any]) -> Any:
        return checked_text(self.data["checked"], path, text, check)

    # -- Reading, from a page: every read is recorded ---------------------------

    def page(self, docname: str) -> PageRecord:
        """The record of a page being read (made on its first read)."""
        return self.data["pages"].setdefault(docname, PageRecord())

    def record(self, docname: str) -> PageRecord | None:
        """The record of a page read before, if any (while pages are written)."""
        return self.data["pages"].get(docname)

    @contextlib.contextmanager
    def furniture(self, docname: str) -> Iterator[None]:
        """Reads made inside are the page's furniture (its header, card and head
        tags): a change to them writes the page again, but does not date it."""
        self._furniture_of = docname
        try:
            yield
        finally:
            self._furniture_of = None

    def note(self, docname: str, *sources: str) -> None:
        record = self.page(docname)
        kept = record.furniture if self._furniture_of == docname else record.sources
        kept.update(sources)

    def note_header(self, docname: str) -> None:
        """The project page shows its facts (checked when every page is read)."""
        self.page(docname).has_header = True

    def note_first_figure(self, docname: str, path: str, alt: str) -> None:
        """The page's first figure: its picture for link previews."""
        self.page(docname).first_figure = (path, alt)

    def note_meta(self, docname: str, meta: PageMeta) -> None:
        self.page(docname).meta = meta

    def cv(self, docname: str) -> CV:
        """The CV record, as a view that records each field the page reads."""
        view = RecordedView(
            self.data["cv_record"], lambda source: self.note(docname, source), "cv:"
        )
        return cast(CV, view)  # it reads as the record it stands for

    def project(self, docname: str, project: str) -> Project | None:
        self.note(docname, f"project:{project}")
        return self.data["projects"].get(project)

    def projects(self, docname: str) -> list[Project]:
        """Every project, newest first."""
        projects = self.data["projects"]
        self.note(docname, "projects", *(f"project:{d}" for d in projects))
        return newest_first(list(projects.values()))

    def projects_citing(self, docname: str, key: str) -> list[Project]:
        """The projects whose front matter names the paper *key*, newest first."""
        self.note(docname, f"cited:{key}")
        citing = [p for p in self.data["projects"].values() if p.paper == key]
        self.note(docname, *(f"project:{p.docname}" for p in citing))
        return newest_first(citing)

    def paper(self, docname: str, key: str) -> Paper | None:
        """One paper's record (its source changes, or goes, with the entry)."""
        self.note(docname, f"paper:{key}")
        entry = self.bibliography.entries.get(key)
        return None if entry is None else self.record_of(entry)

    def paper_by_slug(self, docname: str, slug: str) -> Paper | None:
        """The paper whose page address is *slug* (part of the entry's source)."""
        key = self.bibliography.keys_by_slug.get(slug)
        if key is None:  # none yet: the page changes when a paper takes the address
            self.note(docname, "papers")
            return None
        return self.paper(docname, key)

    def papers(self, docname: str) -> list[Paper]:
        """Every paper, in refs.bib's order."""
        self.note(docname, "papers", *(f"paper:{k}" for k in self.bibliography.entries))
        return self.all_papers

    def selected(self, docname: str) -> list[Paper]:
        """The papers marked ``selected = {true}``."""
        self.note(docname, "papers:selected")
        chosen = [e for e in self.bibliography.entries.values() if is_selected(e)]
        self.note(docname, *(f"paper:{e.key}" for e in chosen))
        return [self.record_of(e) for e in chosen]

    def slug(self, docname: str, key: str) -> str:
        self.note(docname, f"paper:{key}")
        return self.bibliography.slugs[key]

    # -- Whole-site views, for files written after the pages -------------------
    # (the CV PDF, the sitemap, /refs.bib): they are rewritten on every build.

    @property
    def bibliography(self) -> Bibliography:
        return self.data["bib"]

    @property
    def all_papers(self) -> list[Paper]:
        """Every paper's record, in refs.bib's order."""
        return [self.record_of(entry) for entry in self.bibliography.entries.values()]

    def record_of(self, entry: Entry) -> Paper:
        """The entry's record (:mod:`academic_portfolio.data.paper`), read once
        per content of the entry: kept, with the digest of all its fields and
        the owner whom it marks, until load() finds either changed."""
        papers = self.data["papers"]
        if entry.key not in papers:  # load() dropped those of changed entries
            owner = self.env.config.portfolio_owner or ""
            state = whole_entry_digest(entry, self.bibliography.slugs[entry.key])
            papers[entry.key] = (state, owner, paper_record(entry, self.owner))
        return papers[entry.key][2]

    def newest_first(self, papers: Iterable[Paper]) -> list[Paper]:
        """*papers* in the lists' order (the site's pybtex style sorts them)."""
        by_key = {paper.key: paper for paper in papers}
        return [by_key[entry.key] for entry in self.style.sort([p.entry for p in by_key.values()])]

    @property
    def source_hashes(self) -> dict[str, str]:
        """Each source's name and a hash of its content (academic_portfolio.cv.pdf keys its PDF on them)."""
        return self.data["fingerprints"]

    @property
    def cv_data(self) -> CV:
        """The CV record, unrecorded: for files written after the pages (the PDF),
        and for what every page records itself (the header's address and profiles)."""
        return self.data["cv_record"]

    @property
    def cv_placeholders(self) -> list[str]:
        """Where cv.yaml still holds a placeholder of `new --from`."""
        return placeholder_fields(self.data["cv"])

    @property
    def all_projects(self) -> dict[str, Project]:
        return self.data["projects"]

    @functools.cached_property
    def style(self) -> PortfolioStyle:
        """The site's pybtex style, with the owner in bold (one per build)."""
        return PortfolioStyle(owner=self.owner)

    @property
    def owner(self) -> Person | None:
        """The site's owner among the authors (``portfolio_owner`` in conf.py)."""
        name = self.env.config.portfolio_owner
        return Person(name) if name else None

    def data_file_dates(self, docname: str) -> list[int | None]:
        """When git last saw each data file the page's content shows change
        (seconds), None where it cannot say. cv.yaml and refs.bib only: git
        dates a whole file, and most edits of a project's file are its prose,
        which only its own page shows (and dates)."""
        record, files = self.record(docname), self.data["files"]
        kinds = {source.partition(":")[0] for source in (record.sources if record else ())}
        return [self.data["dates"][path] for path in {files[k] for k in kinds if k in files}]

    def readers(self, sources: Iterable[str]) -> set[str]:
        """The pages that show any of *sources*."""
        wanted = set(sources)
        return {
            doc for doc, page in self.data["pages"].items()
            if page.sources & wanted or page.furniture & wanted
        }  # fmt: skip

    # -- Sphinx's bookkeeping ----------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        self.data["pages"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["pages"]:
                self.data["pages"][docname] = otherdata["pages"][docname]

    def resolve_any_xref(self, *args: Any) -> list:
        return []

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._furniture_of = None


def portfolio(env: BuildEnvironment) -> PortfolioDomain:
    """The data layer of this build."""
    return env.get_domain(PortfolioDomain.name)  # type: ignore[return-value]


def on_builder_inited(app: Sphinx) -> None:
    store = portfolio(app.env)
    store.builder = app.builder
    store.load(app)
    share_with_sphinxcontrib_bibtex(app, store.bibliography)


def share_with_sphinxcontrib_bibtex(app: Sphinx, bib: Bibliography) -> None:
    """Give sphinxcontrib-bibtex our parse of refs.bib, as its own cache.

    It parses the files in ``bibtex_bibfiles`` again unless its cache (a
    ``BibData``: encoding, each file's mtime and keys, the parsed data) is up
    to date; this fills that cache from our one strict parse, so its check
    finds it current and it never opens the file."""
    path = bib.path.resolve()
    app.env.get_domain("cite").data["bibdata"] = BibData(
        encoding=app.config.bibtex_encoding,
        bibfiles={path: BibFile(mtime=get_mtime(path), keys=dict.fromkeys(bib.entries))},
        data=bib.data,
    )


def on_env_get_outdated(app, env, added, changed, removed) -> list[str]:
    """Exactly the pages that show a source whose content changed."""
    store = portfolio(env)
    return sorted(store.readers(store.data["changed"]) & env.found_docs)


def on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to write again without reading them again: those whose neighbours
    changed. A page's ``<head>`` links its previous and next pages, by title
    (``rel="prev"``/``"next"``), and its breadcrumbs name its parents: Sphinx
    takes them from the whole site when it writes a page, but writes only the
    pages it read. So a new paper, or a paper's or project's new title, would
    leave its neighbours naming the old ones."""
    store = portfolio(env)
    titles = {doc: title.astext() for doc, title in env.titles.items()}
    relations = {doc: tuple(related) for doc, related in env.collect_relations().items()}
    old_titles, old_relations = store.data["titles"], store.data["relations"]
    retitled = {doc for doc in titles.keys() | old_titles.keys()
                if titles.get(doc) != old_titles.get(doc)}  # fmt: skip
    outdated = {
        doc for doc, related in relations.items()
        if old_relations.get(doc) != related or retitled & set(related)
    }  # fmt: skip
    store.data.update(titles=titles, relations=relations)
    return sorted(outdated & env.found_docs)


def on_env_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Every project page must show its header, or its facts would be missing."""
    store = portfolio(env)
    for docname in store.all_projects:
        record = store.record(docname)
        if docname in env.all_docs and (record is None or not record.has_header):
            logger.error(
                "project page without its header: add a line '```{project-header}' "
                "and a line '```' right after the front matter.",
                location=(docname, 1),
            )


def setup(app: Sphinx) -> dict[str, Any]:
    declare(app, ["portfolio_owner", "portfolio_cv_data", "portfolio_projects_dir"])
    app.add_domain(PortfolioDomain)
    # The style sphinxcontrib-bibtex looks up by name.
    app.setup_extension("academic_portfolio.text.bibstyle")
    app.setup_extension("sphinxcontrib.bibtex")
    # Before sphinxcontrib-bibtex checks its cache (builder-inited, 500).
    app.connect("builder-inited", on_builder_inited, priority=300)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("env-get-updated", on_env_get_updated)
    app.connect("env-check-consistency", on_env_check_consistency)
    return {
        "version": __version__,
        # The code and the schemas: any change to them reads every page again.
        "env_version": int(CODE_VERSION[:12], 16),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
