"""Check every external link of the site, print the broken ones, exit 1 if any.

Usage: ``python -m academic_portfolio.linkcheck SOURCE_DIR OUTPUT_DIR [SPHINX_ARGS...]``
(what ``nox -s linkcheck`` runs). It runs Sphinx's linkcheck builder, which
follows the ``linkcheck_*`` settings of conf.py, then summarises its
``output.json``: each link once, with every place it is written (for a paper's
link, the line and key of its refs.bib entry).

Exit status: 0 every link works; 1 some links are broken; 2 the build failed
(Sphinx's messages are shown) or the usage is wrong; 3 no host could be
reached at all, so the network is down and nothing was checked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .data import paper, paperfiles, refsbib

FAILING = {"broken", "timeout"}
SHOWN = FAILING | {"redirected"}
BROKEN, BUILD_FAILED, NO_NETWORK = 1, 2, 3
# What the HTTP library says when a host's name cannot be looked up, or no
# connection to it can be opened at all: about the machine's network when it
# happens for every host, about the link when only for some.
NAME_NOT_RESOLVED = re.compile(
    r"NameResolutionError|Failed to resolve|Name or service not known|"
    r"Temporary failure in name resolution|nodename nor servname|getaddrinfo failed"
)
NOT_CONNECTED = re.compile(
    r"Network is unreachable|No route to host|Connection refused|ConnectTimeoutError|"
    r"NewConnectionError"
)
# The files the engine writes after the pages (the CV PDF; every paper's and
# each paper's BibTeX, RIS and CSL-JSON: refs.bib, refs.ris, refs.json and
# publications/<slug>/<slug>.bib ...), linked from the pages, relative to each:
# Sphinx looks for them among the sources and calls them broken, which would
# hide a network that is down.
WRITTEN_BY_THE_ENGINE = re.compile(r"^(\.\./)*(cv\.pdf|([\w-]+/)*[\w.-]+\.(bib|ris|json))$")
# Sphinx logs each broken or redirected link itself; the summary says it once.
SPHINX_LINK_LINES = re.compile(r"WARNING: (broken link|redirect)|\(line +\d+\) (broken|redirect)")


@dataclass
class Link:
    uri: str
    status: str
    info: str
    places: list[str] = field(default_factory=list)


def read_results(path: Path) -> list[dict]:
    """Sphinx's results, without the links to files the engine writes (see above)."""
    lines = path.read_text("utf-8").splitlines()
    results = [json.loads(line) for line in lines if line.strip()]
    return [result for result in results if not WRITTEN_BY_THE_ENGINE.match(result["uri"])]


def merge_by_uri(results: list[dict]) -> list[Link]:
    """One Link per URI, in the order first seen, with every place Sphinx gave."""
    links: dict[str, Link] = {}
    for result in results:
        link = links.setdefault(
            result["uri"], Link(result["uri"], result["status"], result["info"])
        )
        if result["status"] in FAILING:  # a URI failing once is failing
            link.status, link.info = result["status"], result["info"] or link.info
        place = f"{result['filename']}:{result['lineno']}"
        if place not in link.places:
            link.places.append(place)
    return list(links.values())


def bib_places(source: Path) -> dict[str, list[str]]:
    """For each link a refs.bib entry gives, where it is written: 'refs.bib:LINE (key, field)'.

    The links are the site's own (academic_portfolio.data.paper.paper_links): a url, pdf,
    code or openreview field, a doi (https://doi.org/...), an arXiv eprint
    (https://arxiv.org/abs/...).
    """
    bib = source / "refs.bib"
    if not bib.is_file():
        return {}
    paper_links, entry_line, load_bib = paper.paper_links, refsbib.entry_line, refsbib.load_bib

    text = bib.read_text("utf-8")
    lines = text.splitlines()
    places: dict[str, list[str]] = {}
    for key, entry in load_bib(bib).entries.items():
        start = (entry_line(text, key) or 1) - 1
        for _label, uri in paper_links(entry):
            written = {
                uri,
                uri.removeprefix("https://doi.org/"),
                uri.removeprefix("https://arxiv.org/abs/"),
            }
            for number in range(start, len(lines)):
                if number > start and lines[number].lstrip().startswith("@"):
                    break  # the next entry
                found = re.match(r"\s*(\w+)\s*=", lines[number])
                if found and any(w in lines[number] for w in written):
                    places.setdefault(uri, []).append(f"refs.bib:{number + 1} ({key}, {found[1]})")
                    break
    return places


def text_files(source: Path) -> list[Path]:
    """The files a link is written in by hand: data files and pages (not generated ones)."""
    generated = paperfiles.GENERATED_MARK
    skipped = {"_build", ".nox", "node_modules", "tests", "tools"}
    pages = [
        path
        for path in source.rglob("*.md")
        if path.name != "README.md"
        and not (skipped & set(path.relative_to(source).parts))
        and not path.read_text("utf-8").startswith(generated)
    ]
    return sorted((source / "_data").glob("*.y*ml")) + sorted(pages)


def text_places(source: Path, uris: set[str]) -> dict[str, list[str]]:
    """Where pages and data files write each link, as 'FILE:LINE'."""
    places: dict[str, list[str]] = {}
    for path in text_files(source):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            for uri in uris:
                if re.search(re.escape(uri) + r"(?![\w/?#=&.~%-])", line):
                    places.setdefault(uri, []).append(f"{path.relative_to(source)}:{number}")
    return places


def locate(links: list[Link], source: Path) -> None:
    """List first where a link is written (refs.bib, data, pages), then where Sphinx met it."""
    written = bib_places(source)
    for uri, where in text_places(source, {link.uri for link in links}).items():
        written.setdefault(uri, []).extend(where)
    for link in links:
        mine = written.get(link.uri, [])
        files = {place.split(":")[0] for place in mine}
        link.places = mine + [p for p in link.places if p.split(":")[0] not in files]


def network_down(links: list[Link]) -> str | None:
    """Why no host could be reached, when that is so for every link checked."""
    checked = [link for link in links if link.status in SHOWN | {"working"}]
    if not checked or any(link.status not in FAILING for link in checked):
        return None
    if all(NAME_NOT_RESOLVED.search(link.info) for link in checked):
        return "could not resolve any host"
    if all(
        NAME_NOT_RESOLVED.search(link.info) or NOT_CONNECTED.search(link.info) for link in checked
    ):
        return "could not connect to any host"
    return None


def report(links: list[Link]) -> str:
    counts: dict[str, int] = {}
    for link in links:
        counts[link.status] = counts.get(link.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    lines = [f"Checked {len(links)} external links: {summary or 'none found'}."]
    for link in links:
        if link.status in SHOWN:
            info = f" ({link.info})" if link.info else ""
            lines.append(f"  {link.status.upper():10} {link.uri}{info}")
            lines.extend(f"             in {place}" for place in link.places)
    return "\n".join(lines)


def run_linkcheck(source: Path, output: Path, extra: list[str]) -> tuple[int, str, Path]:
    """Run Sphinx's linkcheck afresh: an output.json of an earlier run is removed first."""
    results = output / "output.json"
    results.unlink(missing_ok=True)
    (output / "output.txt").unlink(missing_ok=True)
    command = [sys.executable, "-m", "sphinx", "-b", "linkcheck", "-q",
               "-d", str(output / ".doctrees"), *extra, str(source), str(output)]  # fmt: skip
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr, results


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return BUILD_FAILED
    source = Path(argv[1])
    code, log, results = run_linkcheck(source, Path(argv[2]), argv[3:])
    links = merge_by_uri(read_results(results)) if results.is_file() else []
    # Sphinx exits 1 for broken links, and for nothing else it may fail on here.
    if code not in (0, 1) or not results.is_file() or (code == 1 and not any(
        link.status in FAILING for link in links
    )):  # fmt: skip
        print(log.rstrip(), file=sys.stderr)
        print(f"The site did not build (sphinx exited {code}): no link was checked. "
              "Fix the errors above first.", file=sys.stderr)  # fmt: skip
        return BUILD_FAILED
    other = "\n".join(line for line in log.splitlines() if not SPHINX_LINK_LINES.search(line))
    if other.strip():
        print(other.rstrip(), file=sys.stderr)
    reason = network_down(links)
    if reason:
        print(f"The network seems down: {reason}; nothing was checked. "
              "Run `nox -s linkcheck` again when online.")  # fmt: skip
        return NO_NETWORK
    locate(links, source)
    print(report(links))
    failing = [link for link in links if link.status in FAILING]
    if failing:
        print(f"{len(failing)} broken link(s): fix them before sending an application.")
        return BROKEN
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
