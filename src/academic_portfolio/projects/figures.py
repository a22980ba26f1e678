"""Figures and videos on project pages, self-hosted.

``{project-figure} path`` shows an image of the repository with its caption
(the directive's content) and its alt text (``:alt:``); both are required, and
the build stops without them. The image is served in a few widths
(``srcset``) with its width and height set, so the page does not move while
it loads; every figure but the page's first loads lazily. A click or Enter
opens it large in a dialog (``_static/zoom.js``, ours; Escape closes it);
without the script the link opens the image itself. The page's first figure
becomes its social-card image (``og:image``).

``{project-video} path`` shows a video with its poster frame (``:poster:``,
required) and caption: controls, no autoplay, nothing loaded before a click.

``{portrait} path`` (with ``:alt:``) shows the owner's photograph on the home
page, in a few widths with its size set, where the owner adds one.

Alt text and captions are text, written into the page escaped.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..data.outputs import output_file
from ..data.store import portfolio
from ..version import __version__

WIDTHS = (480, 960, 1600)  # a phone, the article column, a zoomed view on a large screen
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".webp"}
# What Pillow says a file is, by the name's suffix: the smaller copies are
# saved in the format the name says, and a server sends it by its name.
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
# Larger than any figure a page needs (a 48-megapixel phone photo passes),
# far below what exhausts memory: Pillow's own guard stops at 179 megapixels
# with a traceback, and a 20000 x 20000 image takes gigabytes to scale.
MAX_PIXELS = 64_000_000
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
OUT_DIR = "_images/figures"
SIZES = "(max-width: 960px) 100vw, 896px"


class project_figure(nodes.General, nodes.Element):
    """An image or a video, with its caption: written by the visitors below."""


class MediaDirective(SphinxDirective):
    required_arguments = 1
    has_content = True

    def media_file(self, argument: str, kinds: set[str] | dict[str, str], what: str) -> Path:
        if "://" in argument:
            raise self.error(f"{argument}: the site hosts its own media: add the file to the "
                             "repository and give its path.")  # fmt: skip
        relative, absolute = self.env.relfn2path(argument, self.env.docname)
        path = Path(absolute)
        if path.suffix.lower() not in kinds:
            raise self.error(f"{argument}: a {what} must be one of {', '.join(sorted(kinds))}.")
        if not path.is_file():
            raise self.error(f"{argument}: no such file (paths are relative to the page).")
        outside = outside_sources(path, Path(self.env.srcdir))
        if outside is not None:
            raise self.error(f"{argument}: this file is {outside}, outside the site's folder "
                             f"({self.env.srcdir}); the site publishes only its own files: copy "
                             "it into the repository (beside the page) and give that path.")  # fmt: skip
        self.env.note_dependency(relative)
        return path

    def image(self, argument: str, what: str) -> tuple[Path, int, int]:
        """An image file of the site, and its size as shown: the build stops,
        saying what to do, on a file that is not an image of its name's type or
        is too large to scale."""
        path = self.media_file(argument, IMAGE_TYPES, what)
        try:
            width, height = checked_image(path)
        except FigureProblem as problem:
            raise self.error(f"{argument}: {problem}") from None
        return path, width, height

    def caption(self) -> str:
        caption = " ".join(" ".join(self.content).split())
        if not caption:
            raise self.error("a figure needs a caption: write it as the directive's content, "
                             "below its options.")  # fmt: skip
        return caption

    def number(self) -> int:
        """The media's rank on its page: 0 is the page's first."""
        count: int = self.env.temp_data.get("portfolio_media") or 0
        self.env.temp_data["portfolio_media"] = count + 1
        return count


class ProjectFigure(MediaDirective):
    option_spec: ClassVar = {"alt": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        alt = " ".join((self.options.get("alt") or "").split())
        if not alt:
            raise self.error("a figure needs alt text: add ':alt: what the image shows' "
                             "(for readers who cannot see it).")  # fmt: skip
        path, width, height = self.image(self.arguments[0], "figure")
        caption, rank = self.caption(), self.number()
        if rank == 0:
            portfolio(self.env).note_first_figure(self.env.docname, str(path), alt)
        return [project_figure(kind="image", path=str(path), alt=alt, caption=caption,
                               rank=rank, width=width, height=height)]  # fmt: skip


class ProjectVideo(MediaDirective):
    option_spec: ClassVar = {"poster": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        path = self.media_file(self.arguments[0], VIDEO_TYPES, "video")
        if not self.options.get("poster"):
            raise self.error("a video needs a poster frame: add ':poster: an-image.png' "
                             "(shown before it plays).")  # fmt: skip
        poster, width, height = self.image(self.options["poster"], "poster")
        caption, rank = self.caption(), self.number()
        return [project_figure(kind="video", path=str(path), poster=str(poster), caption=caption,
                               rank=rank, width=width, height=height)]  # fmt: skip


class FigureProblem(Exception):
    """An image file the site cannot show; the message says what to do."""


def outside_sources(path: Path, srcdir: Path) -> Path | None:
    """Where *path* really is, if that is outside *srcdir* (by ``..`` or a
    symbolic link): a file of the disk, not of the repository."""
    real, root = path.resolve(), srcdir.resolve()
    return None if root in real.parents else real


def checked_image(path: Path) -> tuple[int, int]:
    """The image's size as shown; raises FigureProblem for a file that is not
    an image, is not of its name's type, or is larger than MAX_PIXELS."""
    from PIL import Image, UnidentifiedImageError

    with pillow_without_size_limit():  # the size is checked here, with a message
        try:
            with Image.open(path) as image:  # reads the header only
                kind, (width, height) = image.format, image.size
                if width * height <= MAX_PIXELS:  # else said below, without reading it all
                    image.verify()  # the whole file, not only its header
            if width * height <= MAX_PIXELS:
                width, height = image_size(path)  # turned as shown
        except UnidentifiedImageError:
            raise FigureProblem(
                "this file is not an image Pillow can read: export it as PNG, JPEG or WebP "
                "(a file renamed to .png is not converted)."
            ) from None
        except (OSError, SyntaxError, ValueError) as error:  # Pillow's errors of a broken file
            raise FigureProblem(f"this image is damaged ({error}): export it again.") from None
    if width * height > MAX_PIXELS:
        raise FigureProblem(
            f"this image is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"a figure may have at most {MAX_PIXELS // 1_000_000} megapixels (such as "
            "8000 × 8000): scale it down (3200 pixels wide is plenty for a page)."
        )
    kind = "JPEG" if kind == "MPO" else kind  # a camera's JPEG with a second picture
    expected = IMAGE_FORMATS[path.suffix.lower()]
    if kind != expected:
        suffixes = [suffix for suffix, name in IMAGE_FORMATS.items() if name == kind]
        rename = f"rename it {path.stem}{suffixes[0]}" if suffixes else "export it as PNG"
        raise FigureProblem(f"this file is a {kind} image, not the {expected} its name says: "
                            f"{rename}.")  # fmt: skip
    return width, height


class pillow_without_size_limit:
    """Pillow's guard against decompression bombs, off while a file's header is
    read: it raises (a traceback) where :func:`checked_image` says what to do.
    Only the header is read; no pixel is decoded before the size is checked."""

    def __enter__(self) -> None:
        from PIL import Image

        self.limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None

    def __exit__(self, *exc: object) -> None:
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = self.limit


def displayed_size(image) -> tuple[int, int]:
    """The size as shown: a photo whose EXIF orientation turns it a quarter
    (orientations 5 to 8) is shown with width and height swapped."""
    orientation = image.getexif().get(0x0112, 1)  # ExifTags.Base.Orientation
    width, height = image.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


class Portrait(MediaDirective):
    """``{portrait} path`` with ``:alt:``: the owner's photograph, on the home
    page beside the name, only where the owner puts one. Served as figures
    are: sized, in a few widths, in the page's weight; it never zooms."""

    has_content = False
    option_spec: ClassVar = {"alt": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        alt = " ".join((self.options.get("alt") or "").split())
        if not alt:
            raise self.error("a portrait needs alt text: add ':alt: Portrait of <your name>'.")
        path = self.media_file(self.arguments[0], IMAGE_TYPES, "portrait")
        width, height = image_size(path)
        return [project_figure(kind="portrait", path=str(path), alt=alt, caption="",
                               rank=0, width=width, height=height)]  # fmt: skip


def image_size(path: Path) -> tuple[int, int]:
    """The size of an image that :func:`checked_image` accepted, as shown."""
    from PIL import Image

    with Image.open(path) as image:
        return displayed_size(image)


def published(builder, source: Path, width: int | None = None) -> str:
    """Copy (or scale down to *width*) a media file into the site, once per
    content; its path relative to the site's root, named by its content."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    suffix = f"-{width}w" if width else ""
    name = f"{source.stem}-{digest}{suffix}{source.suffix.lower()}"
    target = output_file(builder, f"{OUT_DIR}/{name}", "a figure")
    if not target.exists():
        if width:
            from PIL import Image, ImageOps

            with Image.open(source) as image:
                # The copy keeps no EXIF: turn the pixels as the orientation says.
                upright = ImageOps.exif_transpose(image)
                height = round(upright.height * width / upright.width)
                upright.resize((width, height), Image.Resampling.LANCZOS).save(target)
        else:
            shutil.copyfile(source, target)
    return f"{OUT_DIR}/{name}"


def visit_figure(self, node: project_figure) -> None:
    builder, esc = self.builder, escape
    page = builder.get_target_uri(builder.current_docname)

    def url(target: str) -> str:
        return relative_uri(page, target)

    path, width, height = Path(node["path"]), node["width"], node["height"]
    size = f'width="{width}" height="{height}"'
    if node["kind"] == "portrait":
        self.body.append(portrait_html(builder, path, node, url))
        raise nodes.SkipNode
    if node["kind"] == "video":
        poster = url(published(builder, Path(node["poster"])))
        source = url(published(builder, path))
        media = (
            f'<video class="figure-media" controls preload="none" playsinline {size} '
            f'poster="{esc(poster)}"><source src="{esc(source)}" '
            f'type="{VIDEO_TYPES[path.suffix.lower()]}"></video>'
        )
    else:
        full = url(published(builder, path))
        widths = [w for w in WIDTHS if w < width]
        srcset = ", ".join(f"{esc(url(published(builder, path, w)))} {w}w" for w in widths)
        srcset = f"{srcset}, {esc(full)} {width}w" if srcset else f"{esc(full)} {width}w"
        loading = "eager" if node["rank"] == 0 else "lazy"
        # Browsers without srcset get the column's width, not the full image.
        src = url(published(builder, path, 960)) if 960 in widths else full
        media = (
            f'<a class="figure-zoom" href="{esc(full)}" aria-label="Enlarge the figure: '
            f'{esc(node["alt"])}"><img class="figure-media" src="{esc(src)}" '
            f'srcset="{srcset}" sizes="{SIZES}" {size} alt="{esc(node["alt"])}" '
            f'loading="{loading}" decoding="async"></a>'
        )
    self.body.append(
        f'<figure class="portfolio-figure">{media}<figcaption>{esc(node["caption"])}'
        "</figcaption></figure>"
    )
    raise nodes.SkipNode


# A portrait is shown 8 to 10rem wide: these widths cover two and three device pixels a point.
PORTRAIT_WIDTHS = (160, 320, 480)
PORTRAIT_SIZES = "(max-width: 575.98px) 8rem, 10rem"


def portrait_html(builder, path: Path, node: project_figure, url) -> str:
    width, height = node["width"], node["height"]
    widths = [w for w in PORTRAIT_WIDTHS if w < width]
    full = url(published(builder, path))
    sources = [f"{escape(url(published(builder, path, w)))} {w}w" for w in widths]
    srcset = ", ".join([*sources, f"{escape(full)} {width}w"])
    src = url(published(builder, path, widths[-1])) if widths else full
    return (
        f'<img class="portfolio-portrait" src="{escape(src)}" srcset="{srcset}" '
        f'sizes="{PORTRAIT_SIZES}" width="{width}" height="{height}" '
        f'alt="{escape(node["alt"])}" decoding="async">'
    )


def zoom_script(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and any(n["kind"] == "image" for n in doctree.findall(project_figure)):
        app.add_js_file("zoom.js", loading_method="defer", priority=800)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.data.store")
    app.add_node(project_figure, html=(visit_figure, None))
    app.add_directive("project-figure", ProjectFigure)
    app.add_directive("project-video", ProjectVideo)
    app.add_directive("portrait", Portrait)
    # Before academic_portfolio.weight.lean (900) sorts the page's scripts.
    app.connect("html-page-context", zoom_script)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
