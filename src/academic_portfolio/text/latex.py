"""BibTeX field text (LaTeX) as rich text: the one converter of the site.

Every LaTeX value of refs.bib (titles, venues, names, notes) is read here into
pybtex rich text (``pybtex.richtext``). The publication lists, the paper pages,
the meta tags and JSON-LD (``plain``), the social cards and the CV PDF all
render that one tree, so a title reads the same everywhere.

pylatexenc parses the LaTeX and converts accents, symbols and simple inline
math to Unicode; text commands become tags: ``\\emph``/``\\textit`` italic,
``\\textbf`` bold, ``\\texttt`` code, ``\\url``/``\\href`` links (only
https, http and mailto). ``\\textsc`` keeps its text. A command pylatexenc
does not know stops the build (:class:`UnknownCommand`): dropping it silently
could change a title. A ``%`` no backslash escapes is a percent sign, not a
comment: BibTeX has none inside a value (:data:`BARE_PERCENT`).
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import pybtex.plugin
from pybtex.richtext import BaseText, HRef, Protected, String, Tag, Text
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as text_context_db
from pylatexenc.macrospec import MacroSpec

TAGS = {
    "emph": "em", "textit": "em", "textsl": "em", "mathit": "em", "mkbibemph": "em",
    "mkbibitalic": "em", "mkbibbold": "strong",
    "textbf": "strong", "mathbf": "strong",
    "texttt": "tt",
    "textsuperscript": "sup", "textsubscript": "sub",
}  # fmt: skip
# Old-style switches, {\\it text}: the rest of the group takes the tag.
SWITCHES = {"em": "em", "it": "em", "sl": "em", "bf": "strong", "tt": "tt",
            "sc": None, "rm": None, "sf": None, "normalfont": None, "upshape": None}  # fmt: skip
# biblatex's text commands that BibTeX exports carry, read as what they show.
QUOTES = {"enquote", "mkbibquote"}
KEEP_TEXT = {"autocap", "textsc", "textrm", "textsf", "textnormal", "textup", "textmd", "mbox", "text", "NoCaseChange"}  # fmt: skip
LOGOS = {"LaTeX": "LaTeX", "TeX": "TeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
         "slash": "/", "hyphen": "-", "textslash": "/", "-": "", "relax": "", "protect": ""}  # fmt: skip
# Commands read with one argument (pylatexenc's defaults do not know these
# take one, and would leave the argument behind the command).
ONE_ARGUMENT = {*QUOTES, "autocap", "mkbibemph", "mkbibitalic", "mkbibbold", "NoCaseChange",
                "textsuperscript", "textsubscript", "textnormal"}  # fmt: skip
LINK_SCHEMES = {"https", "http", "mailto"}
# Characters no URL may hold unescaped (RFC 3986), and none a link should:
# they are how data would break out of an attribute or a Markdown link.
URL_FORBIDDEN = re.compile(r"[\s<>\"'`{}|\\^\x00-\x1f\x7f]")
# A "%" no backslash escapes (an even run of backslashes before it is line
# breaks, "\\\\"). In a BibTeX value it is a percent sign: BibTeX has no
# comments inside an entry, and pybtex has already joined the value's lines,
# so to LaTeX's reading it would cut the rest of the value.
BARE_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")
# LaTeX escapes of characters a URL holds: DBLP and others write "\_" in url
# fields (the url package would print the backslash; a researcher means "_").
URL_ESCAPES = re.compile(r"\\([_%#&$~])")


class UnknownCommand(ValueError):
    """A LaTeX command the converter does not know (its name, without backslash)."""


def link_text(value: str) -> str:
    """A link field's value as the address meant: "\\_" read as "_" (and
    "\\%", "\\#", "\\&", "\\$", "\\~" as their characters)."""
    return URL_ESCAPES.sub(r"\1", value)


def is_safe_link(url: object) -> bool:
    """A link the site may show: https, http (with a host) or mailto, nothing
    that could leave an attribute. The one test of every link from data."""
    if not isinstance(url, str) or not url or URL_FORBIDDEN.search(url):
        return False
    parts = urlsplit(url)
    if parts.scheme not in LINK_SCHEMES:
        return False
    return bool(parts.netloc) if parts.scheme != "mailto" else bool(parts.path)


@functools.cache
def _parsing_context():
    db = latexwalker.get_default_latex_context_db()
    db.add_context_category("portfolio-links", prepend=True,
                            macros=[MacroSpec("href", "{{"), MacroSpec("url", "{"),
                                    *(MacroSpec(name, "{") for name in ONE_ARGUMENT),
                                    *(MacroSpec(name, "{{") for name in FRACTIONS)])  # fmt: skip
    return db


# Roots with an index: pylatexenc's "\\sqrt[3]{x}" read "√(x)", a square root.
ROOTS = {"2": "√", "3": "∛", "4": "∜"}
# One token needs no parentheses around it in "a/b"; "a+1" does.
ATOM = re.compile(r"[\w.]+")
FRACTIONS = ("frac", "dfrac", "tfrac")


def _is_atom(text: str) -> bool:
    """A word or number, or one group in parentheses: "(a+b)", not "(a)+(b)"."""
    if ATOM.fullmatch(text):
        return True
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return text.startswith("(") and depth == 0


def _root_text(node, l2tobj: LatexNodes2Text) -> str:
    index, radicand = (l2tobj.nodelist_to_text([a]) if a else "" for a in node.nodeargd.argnlist)
    sign = ROOTS.get(index.strip(), f"{index.strip()}√" if index.strip() else "√")
    return f"{sign}({radicand.strip()})"


def _fraction_text(node, l2tobj: LatexNodes2Text) -> str:
    """ "\\frac{a+1}{b}" as "(a+1)/b": pylatexenc's "a+1/b" is another number."""
    parts = [l2tobj.nodelist_to_text([a]).strip() for a in node.nodeargd.argnlist if a]
    return "/".join(part if _is_atom(part) else f"({part})" for part in parts)


@functools.cache
def _to_text() -> LatexNodes2Text:
    db = text_context_db()
    db.add_context_category("portfolio-logos", prepend=True,
                            macros=[*(MacroTextSpec(name, text) for name, text in LOGOS.items()),
                                    MacroTextSpec("sqrt", simplify_repl=_root_text),
                                    *(MacroTextSpec(name, simplify_repl=_fraction_text)
                                      for name in FRACTIONS)])  # fmt: skip
    # LaTeX's rule (a space after a command word is not text) everywhere but in
    # math, where it set "$O(n \\log n)$" as "O(n logn)": an operator keeps its spaces.
    return LatexNodes2Text(
        latex_context=db, math_mode="text", strict_latex_spaces="except-in-equations"
    )


@functools.lru_cache(maxsize=8192)
def to_rich(latex: str) -> Text:
    """LaTeX field text as pybtex rich text; raises UnknownCommand or ValueError.

    Read once per text (a paper's fields are set on its page, in the list, the
    CV, its card and its tags): pybtex's rich text is never changed in place,
    its operations make new text, so one result serves every use."""
    walker = latexwalker.LatexWalker(
        BARE_PERCENT.sub(r"\1\\%", latex), latex_context=_parsing_context(), tolerant_parsing=False
    )
    try:
        nodes, _, _ = walker.get_latex_nodes()
    except latexwalker.LatexWalkerError as error:
        raise ValueError(
            f"this LaTeX cannot be read ({error.msg}): check its braces and $ signs "
            "(write \\$, \\%, \\#, \\_ for the characters themselves)"
        ) from None
    return Text(*_convert(nodes))


@functools.cache
def text_backend():
    """pybtex's plain-text backend, looked up once: ``render_as("text")`` looks
    it up on every call, a few milliseconds each, once per paper."""
    return pybtex.plugin.find_plugin("pybtex.backends", "text")()


def plain(latex: str) -> str:
    """LaTeX field text as plain Unicode (meta tags, JSON-LD, file names)."""
    return to_rich(latex).render(text_backend())


def _convert(nodes) -> list[BaseText | str]:
    out: list[BaseText | str] = []
    nodes = list(nodes or [])
    for index, node in enumerate(nodes):
        if node is None or node.isNodeType(latexwalker.LatexCommentNode):
            continue
        if node.isNodeType(latexwalker.LatexMacroNode) and node.macroname in SWITCHES:
            rest = _convert(nodes[index + 1 :])
            tag = SWITCHES[node.macroname]
            out.append(Tag(tag, *rest) if tag else Text(*rest))
            break
        if node.isNodeType(latexwalker.LatexCharsNode):
            out.append(String(node.chars))
        elif node.isNodeType(latexwalker.LatexGroupNode):
            out.append(Protected(*_convert(node.nodelist)))
        elif node.isNodeType(latexwalker.LatexMacroNode):
            out.append(_macro(node))
        elif node.isNodeType(latexwalker.LatexSpecialsNode) and node.specials_chars == "&":
            out.append(String("&"))  # a bare "Q&A" means the character, as in \\&
        else:  # math, specials (-- ``), environments: pylatexenc's Unicode text
            out.append(String(_to_text().node_to_text(node)))
    return out


def _arguments(node) -> list:
    return [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]


def _inner(argument) -> list:
    nodes = argument.nodelist if argument.isNodeType(latexwalker.LatexGroupNode) else [argument]
    return _convert(nodes)


def _macro(node) -> BaseText:
    name, arguments = node.macroname, _arguments(node)
    if name in TAGS and arguments:
        return Tag(TAGS[name], *_inner(arguments[-1]))
    if name in KEEP_TEXT and arguments:
        return Text(*_inner(arguments[-1]))
    if name in QUOTES and arguments:
        return Text("“", *_inner(arguments[-1]), "”")
    if name in ("url", "href") and arguments:
        url = _to_text().nodelist_to_text([arguments[0]]).strip()
        label = _inner(arguments[-1]) if name == "href" else [String(url)]
        return HRef(url, *label) if is_safe_link(url) else Text(*label)
    if _to_text().latex_context.get_macro_spec(name) is None or name in ("href", "url"):
        raise UnknownCommand(name)
    return String(_to_text().node_to_text(node))
