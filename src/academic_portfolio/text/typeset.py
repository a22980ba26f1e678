"""Typst, once per distinct input: the CV PDF, the social cards, the favicons.

The ``typst`` wheel carries the compiler and a few fonts (Libertinus Serif
among them: Latin, Greek with its polytonic accents, Cyrillic). Chinese,
Japanese and Korean characters and emoji come from the machine's fonts:
``FONT_FAMILIES`` names the ones the templates prefer (Debian's and Ubuntu's
packages fonts-noto-cjk and fonts-noto-color-emoji, installed on Read the
Docs by ``build.apt_packages`` in ``.readthedocs.yaml``); Typst takes each
character from the first family that has it, then from any font it finds.
A character no font has would print as an empty box: :func:`warn_unprintable`
names it instead. ``TYPST_FONT_PATHS`` (folders, separated by ``:``, as for
the ``typst`` command) adds fonts of the owner's.

A result is stored under a hash of the template, its inputs, the output
settings and the Typst version, so an unchanged input is never typeset twice.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

import typst
from pybtex.richtext import BaseMultipartText, String, Symbol, Tag
from sphinx.util import logging

logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent.parent / "templates"
# The text's families, in order (each template sets them from sys.inputs.fonts).
FONT_FAMILIES = ["Libertinus Serif", "Noto Serif CJK SC", "Noto Color Emoji"]
# A character of Unicode's private use plane that no font draws: how a missing
# character looks (the first family's empty box).
NO_GLYPH = "\U0010fffd"
GLYPH_PATH = re.compile(r'<path[^>]*\bd="([^"]*)"')
FONT_PACKAGES = "fonts-noto-cjk and fonts-noto-color-emoji"


def font_paths() -> list[str]:
    return [path for path in os.environ.get("TYPST_FONT_PATHS", "").split(os.pathsep) if path]


@functools.cache
def process_fonts(paths: tuple[str, ...], process: int) -> typst.Fonts:
    """The fonts Typst finds (its own, the machine's, those in *paths*), looked
    up once per *process*: without it each compile looks them up again, 90 % of
    a social card's cost, and a site of 1,000 papers has 1,000 cards. Per
    process because a parallel build (-j) forks its writers: each looks its
    own up, sharing nothing Typst made in the parent."""
    return typst.Fonts(font_paths=list(paths))


def fonts() -> typst.Fonts:
    return process_fonts(tuple(font_paths()), os.getpid())


Format = Literal["pdf", "png", "svg"]  # what the engine asks Typst for


def typeset(
    template: Path,
    inputs: dict[str, str],
    cache: Path,
    fmt: Format = "pdf",
    ppi: float | None = None,
) -> Path:
    """The file Typst makes of *template* with *inputs*; raises typst.TypstError."""
    inputs = {**inputs, "fonts": json.dumps(FONT_FAMILIES)}
    settings = [template.read_text("utf-8"), inputs, fmt, ppi, version("typst"), font_paths()]
    key = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:20]
    target = cache / f"{key}.{fmt}"
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        # One file; a PNG of several pages is a list of them (Typst's stubs say bytes).
        result: bytes | list[bytes] = typst.compile(
            template, format=fmt, ppi=ppi, sys_inputs=inputs, font_paths=fonts()
        )
        # A compile beside the build (in_background) may make the same file
        # while another reads it.
        write_whole(target, result if isinstance(result, bytes) else result[0])
    return target


def write_whole(target: Path, data: bytes) -> None:
    """Write *target* whole or not at all: another thread or process may read
    it, or write the same file, meanwhile."""
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}")
    partial.write_bytes(data)
    partial.replace(target)


def query(template: Path, inputs: dict[str, str], label: str) -> list[Any]:
    """The values of the ``metadata`` that *template* labels *label*, laid out with
    *inputs* (as :func:`typeset` would set them); raises typst.TypstError."""
    inputs = {**inputs, "fonts": json.dumps(FONT_FAMILIES)}
    try:
        found = typst.query(template, f"<{label}>", sys_inputs=inputs, font_paths=fonts())
    except RuntimeError:
        # query() says only "failed to compile document": compiling raises the
        # TypstError with the diagnostic (file, line, what is wrong).
        typst.compile(template, sys_inputs=inputs, font_paths=fonts())
        raise
    return [item["value"] for item in json.loads(found)]


# -- Typst beside the build ---------------------------------------------------------
#
# Typst lets go of Python's lock while it compiles: a lab's 1,000 social cards
# and its CV (a third of a cold build's time at 1,000 papers) are set on another
# core while this one writes the pages. Only where the build is one process:
# a parallel build (-j) forks its writers, and a fork while Typst works in a
# thread leaves the child Typst's locks held (see probe_pages).


class Background:
    """The Typst work started beside the build and not yet waited for, done
    by daemon threads (a build stopped by Ctrl-C does not wait for them) that
    end when the build has waited. The first paint forks its processes while
    they work: those never call Typst, and end without running Python's exit."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self.workers: list[threading.Thread] = []
        self.started: list[Future[Any]] = []

    def start(self, job: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.put((future, job))
        self.started.append(future)
        if len(self.workers) < max(1, usable_cores() - 1):  # the other cores: this one writes
            worker = threading.Thread(target=self.work, name="typst", daemon=True)
            worker.start()
            self.workers.append(worker)
        return future

    def work(self) -> None:
        while (item := self.jobs.get()) is not None:
            future, job = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as error:  # the build's thread raises it (wait)
                    future.set_exception(error)

    def result(self, future: Future[Any]) -> Any:
        """The result of one job, waited for (its error raised) here alone."""
        try:
            return future.result()
        finally:
            if future in self.started:
                self.started.remove(future)

    def wait(self) -> None:
        """Wait for every job; raise the first one's error (as the job would
        have raised in the build's thread)."""
        try:
            for future in self.started:
                future.result()
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Drop the jobs not started, wait for the others, whatever they give;
        end the workers."""
        started, self.started = self.started, []
        for future in started:
            future.cancel()
        for _ in self.workers:
            self.jobs.put(None)
        for worker in self.workers:
            worker.join()
        self.workers = []


BACKGROUND = Background()


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def may_run_beside(parallel_writers: bool) -> bool:
    """Whether Typst may work in a thread: with a core to spare (on one, the
    thread only took turns with the build, and cost it a few per cent), in the
    build's own process, when it does not fork writers (*parallel_writers*:
    Sphinx's ``builder.parallel_ok``)."""
    return usable_cores() > 1 and os.getpid() == MAIN_PROCESS and not parallel_writers


def in_background(job: Callable[[], Any], parallel_writers: bool) -> Future[Any]:
    """*job* started in a thread where :func:`may_run_beside`, else done now;
    :func:`wait_for_background` waits for it."""
    if may_run_beside(parallel_writers):
        return BACKGROUND.start(job)
    done: Future[Any] = Future()
    done.set_result(job())  # an error raised here, as before
    return done


def wait_for_background(exception: BaseException | None = None) -> None:
    """Wait for the Typst work beside the build; only for what has begun if
    the build failed (*exception*)."""
    if exception is None:
        BACKGROUND.wait()
    else:
        BACKGROUND.cancel()


# -- Characters no font can print ---------------------------------------------------

PRINTABLE: dict[str, bool] = {}  # by character: known in this process
PRINTABLE_FILE = "printable-characters.json"  # in the build's cache: those a font has


def needs_a_look(char: str) -> bool:
    """Whether *char* must be checked: not ASCII, not a space, a control or a
    formatting character (a joiner, a variation selector), which print nothing."""
    return ord(char) > 0x7E and unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf",
                                                                     "Mn", "Me")  # fmt: skip


def glyphs(svg: bytes) -> list[str]:
    return GLYPH_PATH.findall(svg.decode("utf-8"))[1:]  # the first path is the page's frame


def printable_key() -> list[Any]:
    return [version("typst"), FONT_FAMILIES, font_paths()]


def remember_printable(cache: Path) -> None:
    """Characters found printable by an earlier build: Typst's look at the
    machine's fonts costs a second, and a font once there stays (a character
    found missing is looked at again on every build, until it prints)."""
    try:
        saved = json.loads((cache / PRINTABLE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(saved, dict) and saved.get("key") == printable_key():
        PRINTABLE.update(dict.fromkeys(saved.get("printable", ""), True))


def save_printable(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    printable = "".join(sorted(char for char, ok in PRINTABLE.items() if ok))
    data = {"key": printable_key(), "printable": printable}
    (cache / PRINTABLE_FILE).write_text(json.dumps(data, ensure_ascii=False), "utf-8")


MAIN_PROCESS = os.getpid()  # a parallel build (-j) forks its writers from it
PROBE = """
import json, sys, typst
probe, fonts, chars, paths = json.loads(sys.stdin.read())
pages = typst.compile(probe.encode(), format="svg", font_paths=paths,
                      sys_inputs={"fonts": fonts, "chars": chars})
pages = pages if isinstance(pages, list) else [pages]
print(json.dumps([page.decode() for page in pages]))
"""


def probe_pages(chars: list[str]) -> list[bytes]:
    """Each of *chars* set alone on an SVG page. In a writer forked by a
    parallel build, in a fresh interpreter: Typst's multi-page SVG export
    there waited forever on state made in the parent (CI's -j 2 test)."""
    probe = (TEMPLATES / "glyph-probe.typ").read_text("utf-8")
    fonts_json, chars_json = json.dumps(FONT_FAMILIES), json.dumps(chars)
    if os.getpid() == MAIN_PROCESS:
        result: bytes | list[bytes] = typst.compile(probe.encode(), format="svg", font_paths=fonts(),
                                                    sys_inputs={"fonts": fonts_json, "chars": chars_json})  # fmt: skip
        return result if isinstance(result, list) else [result]
    done = subprocess.run(
        [sys.executable, "-c", PROBE], check=True, capture_output=True, text=True,
        input=json.dumps([probe, fonts_json, chars_json, font_paths()]),
    )  # fmt: skip
    return [page.encode() for page in json.loads(done.stdout)]


def unprintable(chars: Iterable[str], cache: Path | None = None) -> list[str]:
    """The characters of *chars* that Typst draws as the empty box: each is set
    alone on a page, beside one no font has; a page that looks like that one
    holds a character no font has. *cache*: a folder that keeps the answers
    between builds."""
    chars = set(chars)
    if cache is not None and not PRINTABLE:
        remember_printable(cache)
    unknown = sorted({c for c in chars if c not in PRINTABLE and needs_a_look(c)})
    if unknown:
        pages = probe_pages([NO_GLYPH, *unknown])
        box = glyphs(pages[0])
        for char, page in zip(unknown, pages[1:], strict=True):
            PRINTABLE[char] = glyphs(page) != box
        if cache is not None:
            save_printable(cache)
    return sorted({c for c in chars if needs_a_look(c) and not PRINTABLE[c]})


def texts_of(value: Any) -> list[str]:
    """Every string of a JSON-like value (the data a template sets)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_of(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts_of(item)]
    return []


def describe(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


def warn_unprintable(
    what: str, data: Any, cache: Path | None = None, location: str | None = None
) -> bool:
    """Warn, naming each character of *data* that no font here can print in
    *what* (it would be an empty box) and a text it is in; whether it warned."""
    texts = texts_of(data)
    missing = unprintable({char for text in texts for char in text}, cache)
    for char in missing:
        where = next(text for text in texts if char in text)
        where = where if len(where) <= 60 else where[:57] + "..."
        logger.warning(
            f"{what}: no font on this machine has {describe(char)}, in {where!r}: it would "
            f"print as an empty box. Install a font that has it (Debian and Ubuntu: the "
            f"packages {FONT_PACKAGES}, which .readthedocs.yaml installs on Read the Docs "
            "with build.apt_packages; or a folder of fonts named by TYPST_FONT_PATHS), or "
            "write it otherwise.",
            type="portfolio", subtype="font", location=location,
        )  # fmt: skip
    return bool(missing)


# -- Rich text as Typst's runs: the CV PDF's entries, the social cards' names --------

SYMBOLS = {"ndash": "–", "newblock": " ", "nbsp": "\u00a0"}


def segments(text, bold: bool = False, italic: bool = False) -> list[dict[str, Any]]:
    """Flatten pybtex rich text into plain runs that Typst sets without parsing."""
    if isinstance(text, String):
        return [{"text": text.value, "bold": bold, "italic": italic}]
    if isinstance(text, Symbol):
        return [{"text": SYMBOLS.get(text.name, " "), "bold": bold, "italic": italic}]
    if isinstance(text, Tag):
        bold = bold or text.name in ("strong", "b")
        italic = italic or text.name in ("em", "i")
    if isinstance(text, BaseMultipartText):
        return [run for part in text.parts for run in segments(part, bold, italic)]
    return [{"text": str(text), "bold": bold, "italic": italic}]
