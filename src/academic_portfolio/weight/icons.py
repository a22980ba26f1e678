"""The theme's icons as inline SVG, drawn inside the elements that name them.

The theme marks each icon with an empty element, ``<i class="fa-solid fa-sun">``,
for Font Awesome's font or script to draw; the site loads neither
(:mod:`academic_portfolio.weight.lean`). Drawn instead as CSS masks, one ``data:``
URL each, every icon made the browser build an SVG document of its own during
the page's first style calculation: a dozen on every page, more than half of
that calculation's main-thread time, and on Read the Docs, whose script keeps
the main thread busy too, a task long enough to count against the page.

So every page's HTML carries the drawing inside the element, as inline SVG:
part of the page, sized and coloured by ``static/icons.css``, the same in the
first paint as after it. The layout template runs the page's content through
the ``portfolio_icons`` filter. An icon the engine has no drawing for would
show nothing: the build warns and names it.

Icons: Font Awesome Free 7.3.1 by @fontawesome, https://fontawesome.com,
licensed CC BY 4.0 (https://fontawesome.com/license/free); every drawing is
512 units high.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from jinja2 import pass_context
from markupsafe import Markup
from sphinx.util import logging

from ..version import __version__

if TYPE_CHECKING:
    from jinja2.runtime import Context
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class Icon(NamedTuple):
    width: int  # of the drawing, 512 high
    path: str  # its SVG path data


ICONS = {
    "magnifying-glass": Icon(
        512,
        "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0L330.7 376C296.3 401.1 253.9 416 208 416 93.1 416 0 322.9 0 208S93.1 0 208 0 416 93.1 416 208zM208 352a144 144 0 1 0 0-288 144 144 0 1 0 0 288z",
    ),
    "sun": Icon(
        576,
        "M288-32c8.4 0 16.3 4.4 20.6 11.7L364.1 72.3 468.9 46c8.2-2 16.9 .4 22.8 6.3S500 67 498 75.1l-26.3 104.7 92.7 55.5c7.2 4.3 11.7 12.2 11.7 20.6s-4.4 16.3-11.7 20.6L471.7 332.1 498 436.8c2 8.2-.4 16.9-6.3 22.8S477 468 468.9 466l-104.7-26.3-55.5 92.7c-4.3 7.2-12.2 11.7-20.6 11.7s-16.3-4.4-20.6-11.7L211.9 439.7 107.2 466c-8.2 2-16.8-.4-22.8-6.3S76 445 78 436.8l26.2-104.7-92.6-55.5C4.4 272.2 0 264.4 0 256s4.4-16.3 11.7-20.6L104.3 179.9 78 75.1c-2-8.2 .3-16.8 6.3-22.8S99 44 107.2 46l104.7 26.2 55.5-92.6 1.8-2.6c4.5-5.7 11.4-9.1 18.8-9.1zm0 144a144 144 0 1 0 0 288 144 144 0 1 0 0-288zm0 240a96 96 0 1 1 0-192 96 96 0 1 1 0 192z",
    ),
    "moon": Icon(
        512,
        "M256 0C114.6 0 0 114.6 0 256S114.6 512 256 512c68.8 0 131.3-27.2 177.3-71.4 7.3-7 9.4-17.9 5.3-27.1s-13.7-14.9-23.8-14.1c-4.9 .4-9.8 .6-14.8 .6-101.6 0-184-82.4-184-184 0-72.1 41.5-134.6 102.1-164.8 9.1-4.5 14.3-14.3 13.1-24.4S322.6 8.5 312.7 6.3C294.4 2.2 275.4 0 256 0z",
    ),
    "circle-half-stroke": Icon(
        512,
        "M448 256c0-106-86-192-192-192l0 384c106 0 192-86 192-192zM0 256a256 256 0 1 1 512 0 256 256 0 1 1 -512 0z",
    ),
    "bars": Icon(
        448,
        "M0 96C0 78.3 14.3 64 32 64l384 0c17.7 0 32 14.3 32 32s-14.3 32-32 32L32 128C14.3 128 0 113.7 0 96zM0 256c0-17.7 14.3-32 32-32l384 0c17.7 0 32 14.3 32 32s-14.3 32-32 32L32 288c-17.7 0-32-14.3-32-32zM448 416c0 17.7-14.3 32-32 32L32 448c-17.7 0-32-14.3-32-32s14.3-32 32-32l384 0c17.7 0 32 14.3 32 32z",
    ),
    "outdent": Icon(
        448,
        "M.4 64c0-17.7 14.3-32 32-32l384 0c17.7 0 32 14.3 32 32s-14.3 32-32 32l-384 0C14.8 96 .4 81.7 .4 64zm192 128c0-17.7 14.3-32 32-32l192 0c17.7 0 32 14.3 32 32s-14.3 32-32 32l-192 0c-17.7 0-32-14.3-32-32zm32 96l192 0c17.7 0 32 14.3 32 32s-14.3 32-32 32l-192 0c-17.7 0-32-14.3-32-32s14.3-32 32-32zM.4 448c0-17.7 14.3-32 32-32l384 0c17.7 0 32 14.3 32 32s-14.3 32-32 32l-384 0c-17.7 0-32-14.3-32-32zM.7 268.6c-8.2-6.4-8.2-18.9 0-25.3l101.9-79.3c10.5-8.2 25.8-.7 25.8 12.6l0 158.6c0 13.3-15.3 20.8-25.8 12.6L.7 268.6z",
    ),
    "indent": Icon(
        448,
        "M0 64C0 46.3 14.3 32 32 32l384 0c17.7 0 32 14.3 32 32s-14.3 32-32 32L32 96C14.3 96 0 81.7 0 64zM192 192c0-17.7 14.3-32 32-32l192 0c17.7 0 32 14.3 32 32s-14.3 32-32 32l-192 0c-17.7 0-32-14.3-32-32zm32 96l192 0c17.7 0 32 14.3 32 32s-14.3 32-32 32l-192 0c-17.7 0-32-14.3-32-32s14.3-32 32-32zM0 448c0-17.7 14.3-32 32-32l384 0c17.7 0 32 14.3 32 32s-14.3 32-32 32L32 480c-17.7 0-32-14.3-32-32zM127.8 268.6L25.8 347.9C15.3 356.1 0 348.6 0 335.3L0 176.7c0-13.3 15.3-20.8 25.8-12.6l101.9 79.3c8.2 6.4 8.2 18.9 0 25.3z",
    ),
    "house": Icon(
        512,
        "M277.8 8.6c-12.3-11.4-31.3-11.4-43.5 0l-224 208c-9.6 9-12.8 22.9-8 35.1S18.8 272 32 272l16 0 0 176c0 35.3 28.7 64 64 64l288 0c35.3 0 64-28.7 64-64l0-176 16 0c13.2 0 25-8.1 29.8-20.3s1.6-26.2-8-35.1l-224-208zM240 320l32 0c26.5 0 48 21.5 48 48l0 96-128 0 0-96c0-26.5 21.5-48 48-48z",
    ),
    "list": Icon(
        512,
        "M40 48C26.7 48 16 58.7 16 72l0 48c0 13.3 10.7 24 24 24l48 0c13.3 0 24-10.7 24-24l0-48c0-13.3-10.7-24-24-24L40 48zM192 64c-17.7 0-32 14.3-32 32s14.3 32 32 32l288 0c17.7 0 32-14.3 32-32s-14.3-32-32-32L192 64zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32l288 0c17.7 0 32-14.3 32-32s-14.3-32-32-32l-288 0zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32l288 0c17.7 0 32-14.3 32-32s-14.3-32-32-32l-288 0zM16 232l0 48c0 13.3 10.7 24 24 24l48 0c13.3 0 24-10.7 24-24l0-48c0-13.3-10.7-24-24-24l-48 0c-13.3 0-24 10.7-24 24zM40 368c-13.3 0-24 10.7-24 24l0 48c0 13.3 10.7 24 24 24l48 0c13.3 0 24-10.7 24-24l0-48c0-13.3-10.7-24-24-24l-48 0z",
    ),
    "arrow-up": Icon(
        384,
        "M214.6 9.4c-12.5-12.5-32.8-12.5-45.3 0l-160 160c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 0L160 109.3 160 480c0 17.7 14.3 32 32 32s32-14.3 32-32l0-370.7 105.4 105.4c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3l-160-160z",
    ),
    "github": Icon(
        512,
        "M216.5 362.5c-66-8-112.5-55.5-112.5-117 0-25 9-52 24-70-6.5-16.5-5.5-51.5 2-66 20-2.5 47 8 63 22.5 19-6 39-9 63.5-9s44.5 3 62.5 8.5c15.5-14 43-24.5 63-22 7 13.5 8 48.5 1.5 65.5 16 19 24.5 44.5 24.5 70.5 0 61.5-46.5 108-113.5 116.5 17 11 28.5 35 28.5 62.5l0 52C323 491.5 335.5 500 350.5 494 441 459.5 512 369 512 257 512 115.5 397 0 255.5 0S0 115.5 0 257c0 111 70.5 203 165.5 237.5 13.5 5 26.5-4 26.5-17.5l0-40c-7 3-16 5-24 5-33 0-52.5-18-66.5-51.5-5.5-13.5-11.5-21.5-23-23-6-.5-8-3-8-6 0-6 10-10.5 20-10.5 14.5 0 27 9 40 27.5 10 14.5 20.5 21 33 21s20.5-4.5 32-16c8.5-8.5 15-16 21-21z",
    ),
    "google-scholar": Icon(
        512,
        "M390.9 298.5s0 .1 .1 .1c9.2 19.4 14.4 41.1 14.4 64-.1 82.5-66.9 149.4-149.4 149.4S106.7 445.1 106.7 362.7c0-22.9 5.2-44.6 14.4-64 1.7-3.6 3.6-7.2 5.6-10.7 4.4-7.6 9.4-14.7 15-21.3 27.4-32.6 68.5-53.3 114.4-53.3 33.6 0 64.6 11.1 89.6 29.9 9.1 6.9 17.4 14.7 24.8 23.5 5.6 6.6 10.6 13.8 15 21.3 2 3.4 3.8 7 5.5 10.5l-.1-.1zm26.4-18.8c-30.1-58.4-91-98.4-161.3-98.4s-131.2 40-161.3 98.4l-94.7-77 256-202.7 256 202.7-94.7 77.1 0-.1z",
    ),
}
FAMILIES = {"fa-solid", "fa-brands", "fa-regular"}
# Classes that size or move an icon, not name it (Font Awesome's fa-lg, fa-2x, ...)
MODIFIER = re.compile(
    r"(?:\d*x[sl]?|sm|lg|fw|li|ul|inverse|border|spin(?:-\w+)?|pulse|beat(?:-fade)?|fade|bounce|shake|flip(?:-\w+)?|rotate-\w+|pull-\w+|stack(?:-\w+)?|width-auto)"
)
# An empty element whose class names an icon: <i class="fa-solid fa-sun fa-lg"></i>
ICON_ELEMENT = re.compile(r"""<(i|span)(\s[^<>]*?\bclass="([^"]*)"[^<>]*)></\1>""")


def svg(icon: Icon) -> str:
    return (
        f'<svg class="portfolio-icon" viewBox="0 0 {icon.width} 512" aria-hidden="true">'
        f'<path d="{icon.path}"/></svg>'
    )


def drawn(html: str, unknown: set[str] | None = None) -> str:
    """*html* with a drawing inside every empty icon element that names one
    of :data:`ICONS`; the names of icons without a drawing go to *unknown*."""

    def draw(match: re.Match) -> str:
        classes = match.group(3).split()
        if not FAMILIES & set(classes):
            return match.group(0)
        names = [name[3:] for name in classes if name.startswith("fa-") and name not in FAMILIES]
        icon = next((ICONS[name] for name in names if name in ICONS), None)
        if icon is None:
            if unknown is not None:
                unknown.update(f"fa-{name}" for name in names if not MODIFIER.fullmatch(name))
            return match.group(0)
        tag, attributes = match.group(1), match.group(2)
        return f"<{tag}{attributes}>{svg(icon)}</{tag}>"

    return ICON_ELEMENT.sub(draw, html)


def register_filter(app: Sphinx) -> None:
    """``{% filter portfolio_icons %}`` in the layout template; it warns once
    per icon without a drawing, naming the first page that shows it."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # not an HTML builder
        return
    warned: set[str] = set()

    @pass_context
    def portfolio_icons(context: Context, html: str) -> Markup:
        unknown: set[str] = set()
        html = drawn(str(html), unknown)
        for name in sorted(unknown - warned):
            warned.add(name)
            logger.warning(
                f"the icon {name!r} has no drawing in academic_portfolio.weight.icons, so it would "
                f"show nothing; use one of {', '.join(sorted('fa-' + n for n in ICONS))}",
                location=(context.get("pagename"), None),
                type="portfolio",
                subtype="icon",
            )
        return Markup(html)

    environment.filters["portfolio_icons"] = portfolio_icons


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", register_filter)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
