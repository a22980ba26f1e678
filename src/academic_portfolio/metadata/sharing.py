"""Link previews, around the maintained extensions.

sphinxext-opengraph writes the Open Graph tags, sphinx-notfound-page the 404
page. This module adds only what neither does:

- a 1200×630 PNG social card per page, typeset with Typst from the page's own
  title and summary (a paper's: its title, authors, venue and year), cached by
  its input so an unchanged page is not redrawn;
- the card's alt text, and the Open Graph locale;
- schema.org JSON-LD of the home page's ``Person`` (``@id`` ``<site>/#person``).

:mod:`academic_portfolio.metadata.head` decides what each page's card says and puts the
Open Graph fields, the card and the JSON-LD in the page.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from pybtex.database import Person
from sphinx.application import Sphinx

from ..data.cvrecord import CV
from ..data.outputs import copy_if_changed, output_file
from ..data.paper import Paper
from ..data.sources import Project
from ..papers.scholar import person_id
from ..text.bibstyle import PortfolioStyle, is_others, same_person, with_people
from ..text.typeset import (
    BACKGROUND,
    TEMPLATES,
    in_background,
    may_run_beside,
    segments,
    typeset,
    wait_for_background,
    warn_unprintable,
)
from ..version import __version__

CARD_SIZE = (1200, 630)
CARDS_DIR = "_images/social"
LINE_LENGTH = 120
# Names on a paper's card: two lines at the card's size. More (a 60-author
# paper) ran into its header; the rest are "et al.", and an owner among them
# is named with their place in the list.
CARD_AUTHORS = 8
# The site is written in American English ("specialized"); Open Graph wants
# language_TERRITORY, where conf.py's language says only "en".
OG_LOCALE = "en_US"
# Last of the build's end: nothing before reads a card (the CV PDF waits for
# itself, academic_portfolio.cv.pdf), and the first paint (900) runs meanwhile.
WAIT_FOR_TYPST = 990


# -- Cards ---------------------------------------------------------------------


def card_slug(pagename: str) -> str:
    return "home" if pagename == "index" else pagename.removesuffix("/index").replace("/", "-")


def card(
    cv: CV, kind: str, title: str, description: str, project: Project | None,
    paper: Paper | None, style: PortfolioStyle, base_url: str,
) -> dict[str, Any]:  # fmt: skip
    """What the page's card shows. A paper's: its title, its authors (runs,
    the owner in bold, "*" marks) and where and when it appeared."""
    name = cv.person.name
    line, extra = description, dict[str, Any]()
    if project is not None:
        kicker = f"{project.kind} · {project.period}"
    elif paper is not None:
        kicker = paper.status or "Paper"
        line, extra = "", {"authors": author_runs(paper, style), "venue": venue_line(paper)}
        if any("*" in run["text"] for run in extra["authors"]):
            extra["legend"] = "* Equal contribution"
    else:
        kicker = cv.person.headline
    if kind == "home":
        title, line = name, "Research: " + "; ".join(cv.person.research_interests)
    if len(line) > LINE_LENGTH:  # two lines on the card
        line = line[: LINE_LENGTH - 3].rsplit(" ", 1)[0] + " …"
    site = urlsplit(base_url)
    return {"name": name, "kicker": kicker, "title": title, "line": line, **extra,
            "site": (site.netloc + site.path).rstrip("/")}  # fmt: skip


def draw_card(app: Sphinx, pagename: str, page_card: dict[str, Any]) -> str:
    """Typeset the card (cached by its text) into the site, beside the build
    where it can (the build waits for it at its end); its path there."""
    warn_unprintable(f"the social card of {pagename}", page_card,
                     Path(app.doctreedir) / "fonts", location=pagename)  # fmt: skip
    target = output_file(app, f"{CARDS_DIR}/{card_slug(pagename)}.png", "a social card")
    inputs = {"card": json.dumps(page_card, ensure_ascii=False)}
    cache = Path(app.doctreedir) / "social-cards"

    def draw() -> None:
        png = typeset(TEMPLATES / "social-card.typ", inputs, cache, fmt="png", ppi=72)
        copy_if_changed(png, target)

    in_background(draw, app.builder.parallel_ok)
    return f"{CARDS_DIR}/{target.name}"


def start_card(app: Sphinx, page_card: dict[str, Any]) -> None:
    """Start setting the card as soon as its page is read, where Typst may
    work beside the build: the other core is idle while Sphinx reads, and
    :func:`draw_card` then finds the card made (the same input, the same
    file). Not in a parallel build, whose readers are forked."""
    if may_run_beside(parallel_writers=app.parallel > 1):
        inputs = {"card": json.dumps(page_card, ensure_ascii=False)}
        cache = Path(app.doctreedir) / "social-cards"
        BACKGROUND.start(lambda: typeset(TEMPLATES / "social-card.typ", inputs, cache,
                                         fmt="png", ppi=72))  # fmt: skip


def cards_drawn(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the cards Typst sets beside the build: files of the site."""
    wait_for_background(exception)


def no_cards_left(app: Sphinx) -> None:
    """Drop the cards a build stopped early left (a build in the same process
    would wait for them, and raise their errors)."""
    wait_for_background(RuntimeError("an earlier build stopped"))


def author_runs(paper: Paper, style: PortfolioStyle) -> list[dict[str, Any]]:
    """The authors (or editors) as the lists set them: owner bold, "*" marks;
    past CARD_AUTHORS names, the first ones and "et al."."""
    entry = paper.entry  # the site's pybtex style sets the names
    role = "author" if entry.persons.get("author") else "editor"
    people = [person for person in entry.persons[role] if not is_others(person)]
    hidden_owner = []
    if len(people) > CARD_AUTHORS:
        shown = people[: CARD_AUTHORS - 1]
        entry = with_people(entry, role, [*shown, Person("others")])
        hidden_owner = [(place, person) for place, person in enumerate(people, 1)
                        if style.owner is not None and same_person(person, style.owner)
                        and place >= CARD_AUTHORS]  # fmt: skip
    names = style.format_names(role, as_sentence=False)
    context = {"entry": entry, "style": style, "bib_data": None}
    runs = segments(names.format_data(context))
    for place, person in hidden_owner[:1]:
        name = style.format_name(person, style.abbreviate_names).format_data(context)
        runs += [{"text": " (", "bold": False, "italic": False}, *segments(name, bold=True),
                 {"text": f", author {place} of {len(people)})", "bold": False, "italic": False}]  # fmt: skip
    return runs


def venue_line(paper: Paper) -> str:
    """Where and when: "Proceedings of ... (ABC), 2024"."""
    where = next(filter(None, (paper.booktitle, paper.journal, paper.school, paper.institution,
                               paper.howpublished, paper.publisher)), "")  # fmt: skip
    if not where and paper.is_arxiv:
        where = f"arXiv:{paper.eprint}"
    return f"{where}, {paper.year}" if where else paper.year


def image_alt(page_card: dict[str, Any], is_home: bool) -> str:
    """The card's text, as its alt text: what the picture says."""
    if "authors" in page_card:
        authors = "".join(run["text"] for run in page_card["authors"])
        legend = f" ({page_card['legend']})" if "legend" in page_card else ""
        return f"{page_card['title']}. {authors}{legend}. {page_card['venue']}."
    if is_home:
        return f"{page_card['name']}, {page_card['kicker']}. {page_card['line']}"
    return f"{page_card['title']} — {page_card['name']}"


def og_text(value: str) -> str:
    """A value for sphinxext-opengraph, which writes it into content="..."
    replacing only the double quote: it is escaped here, as every value is,
    so that it stays text (the card's URL is a path of ours, unchanged by this)."""
    return str(escape(value))


def person_json_ld(cv: CV, base_url: str) -> dict[str, Any]:
    """The home page's Person, whose @id every paper's owner-author carries."""
    person = cv.person
    schools = dict.fromkeys(entry.institution for entry in cv.education)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": person_id(base_url),
        "name": person.name,
        # An address that would not be a safe link is not given.
        **({"email": person.mailto} if person.mailto else {}),
        "url": base_url,
        "jobTitle": person.headline,
        "alumniOf": [{"@type": "CollegeOrUniversity", "name": name} for name in schools],
        "knowsAbout": list(person.research_interests),
    }
    profiles = [profile.url for profile in person.profiles]
    if profiles:
        data["sameAs"] = profiles
    return data


def setup(app: Sphinx) -> dict[str, Any]:
    # sphinxext-opengraph prints a notice at import when matplotlib, which it
    # would use for its own social cards, is missing; we draw ours with Typst.
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401
    for extension in ("sphinxext.opengraph", "notfound.extension"):
        app.setup_extension(extension)
    app.connect("builder-inited", no_cards_left)
    app.connect("build-finished", cards_drawn, priority=WAIT_FOR_TYPST)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
