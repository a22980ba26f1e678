"""Figures and videos, self-hosted, on a fixture page with generated images
added to the made-up portfolio (tests/fixtures/other-portfolio: the figures
are the engine's, not the owner's): caption and alt text required, sizes
set, lazy below the first, click-to-zoom with the keyboard, the first figure
as the social card, a video with a poster and no autoplay."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, OTHER_URL, Site, build, copy_portfolio

pytestmark = pytest.mark.build

PAGE = """---
orphan: true
description: A page of generated figures, made by the tests only.
---

# Figures

A paragraph before the figures.

```{project-figure} media/wide.png
:alt: A generated gradient, wide
The first generated figure & its caption.
```

Text between the figures.

```{project-figure} media/small.png
:alt: A generated gradient, small
The second generated figure.
```

```{project-video} media/clip.webm
:poster: media/poster.png
A generated video's caption.
```

```{project-figure} media/upright.jpg
:alt: A photo taken with the camera on its side
A photo whose EXIF orientation says to turn it.
```
"""


def draw(path: Path, size: tuple[int, int]) -> None:
    from PIL import Image

    image = Image.linear_gradient("L").resize(size).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def draw_sideways(path: Path) -> None:
    """A JPEG as a camera held on its side writes it: the pixels 1200 wide and
    800 high, lying on their side, and EXIF orientation 6 ("turn 90° clockwise
    to show"); a red corner at the top left of the pixels, which is the top
    right of the photo as shown."""
    from PIL import Image

    image = Image.new("RGB", (1200, 800), (240, 240, 240))
    image.paste((220, 0, 0), (0, 0, 300, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", exif=exif, quality=95)


def fixture_sources(src: Path, page: str = PAGE) -> Path:
    """A copy of the made-up portfolio in *src*, with *page* and its media added."""
    copy_portfolio(src)
    draw(src / "media" / "wide.png", (2000, 1000))
    draw_sideways(src / "media" / "upright.jpg")
    draw(src / "media" / "small.png", (1200, 900))
    draw(src / "media" / "poster.png", (640, 360))
    (src / "media" / "clip.webm").write_bytes(b"\x1aE\xdf\xa3 not a real video, never played")
    (src / "figures.md").write_text(page, "utf-8")
    return src


@pytest.fixture(scope="module")
def figure_site(tmp_path_factory) -> Site:
    work = tmp_path_factory.mktemp("figures")
    src = fixture_sources(work / "src")
    result = build(src, work / "html", **NOT_ON_READ_THE_DOCS)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return Site(work / "html", log, OTHER_URL)


def test_figures_have_sizes_srcset_alt_caption_and_lazy_loading(figure_site):
    page = figure_site.page("/figures/")
    figures = page.select("figure.portfolio-figure")
    assert len(figures) == 4
    first, second = (f.find("img") for f in figures[:2])
    assert (first["width"], first["height"]) == ("2000", "1000")
    assert first["alt"] == "A generated gradient, wide"
    assert first["loading"] == "eager" and second["loading"] == "lazy"
    widths = re.findall(r" (\d+)w", first["srcset"])
    assert widths == ["480", "960", "1600", "2000"]
    for candidate in first["srcset"].split(", "):
        assert figure_site.file("/figures/" + candidate.split()[0]).is_file(), candidate
    assert second["srcset"].endswith(" 1200w") and second["width"] == "1200"
    assert figures[0].figcaption.get_text() == "The first generated figure & its caption."
    zoom = figures[0].find("a", class_="figure-zoom")
    full = first["srcset"].split(", ")[-1].split()[0]
    assert first["src"].endswith("-960w.png") and zoom["href"] == full
    assert "A generated gradient, wide" in zoom["aria-label"]


def test_the_video_has_a_poster_controls_and_no_autoplay(figure_site):
    video = figure_site.page("/figures/").find("video")
    assert video.has_attr("controls") and video["preload"] == "none"
    assert not video.has_attr("autoplay")
    assert (video["width"], video["height"]) == ("640", "360")
    assert figure_site.file("/figures/" + video["poster"]).is_file()
    assert figure_site.file("/figures/" + video.source["src"]).is_file()


def test_the_first_figure_is_the_social_card(figure_site):
    head = figure_site.page("/figures/").head
    image = head.find("meta", property="og:image")["content"]
    assert re.search(r"/_images/figures/wide-[0-9a-f]{12}\.png$", image), image
    assert head.find("meta", property="og:image:width")["content"] == "2000"
    assert head.find("meta", property="og:image:alt")["content"] == "A generated gradient, wide"
    other = figure_site.page("/research/hall-acoustics/").head.find("meta", property="og:image")
    assert "/_images/social/" in other["content"]  # pages without figures keep their card


def test_only_pages_with_figures_load_the_zoom_script(figure_site):
    def scripts(url: str) -> list[str]:
        return [s.get("src", "") for s in figure_site.page(url).find_all("script")]

    assert any("zoom.js" in s for s in scripts("/figures/"))
    assert not any("zoom.js" in s for s in scripts("/research/hall-acoustics/"))


def test_a_photo_turned_by_its_exif_orientation_is_upright_in_every_copy(figure_site):
    """Before, the smaller copies (saved without EXIF) were served on their side."""
    from PIL import Image

    image = figure_site.page("/figures/").select("figure.portfolio-figure")[3].find("img")
    assert (image["width"], image["height"]) == ("800", "1200")  # as shown: portrait
    copies = [candidate.split()[0] for candidate in image["srcset"].split(", ")[:-1]]
    assert [c.rsplit("-", 1)[1] for c in copies] == ["480w.jpg"]
    with Image.open(figure_site.file("/figures/" + copies[0])) as copy:
        assert copy.size == (480, 720)
        red, green, _ = copy.convert("RGB").getpixel((470, 10))  # top right, as shown
        assert red > 150 and green < 80, "the copy is not turned as its EXIF orientation says"
        assert copy.convert("RGB").getpixel((10, 10))[1] > 150  # top left: the grey


BAD_FIGURES = """---
orphan: true
description: Figures a careless or hostile owner could give.
---

# Bad figures

```{project-figure} media/text.png
:alt: A text file named .png
A caption.
```

```{project-figure} media/huge.png
:alt: An image of 20000 by 20000 pixels
A caption.
```

```{project-figure} media/rgba.jpg
:alt: A transparent PNG named .jpg
A caption.
```

```{project-figure} ../outside.png
:alt: An image outside the repository, by ..
A caption.
```

```{project-figure} media/linked.png
:alt: An image outside the repository, by a symbolic link
A caption.
```
"""


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header says *width* × *height*: what a decompression
    bomb looks like to a reader, without the memory to make a real one."""
    import io
    import struct
    import zlib

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    start = data.index(b"IHDR")
    data[start + 4 : start + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[start : start + 17]))
    data[start + 17 : start + 21] = struct.pack(">I", crc)
    return bytes(data)


def test_bad_images_stop_the_build_saying_what_to_do(tmp_path):
    """A text file named .png, a 20000 × 20000 image (Pillow's DecompressionBombError),
    an RGBA PNG named .jpg (which failed when saved as JPEG) were tracebacks; an
    image outside the repository was published without a word."""
    from PIL import Image

    src = fixture_sources(tmp_path / "src", BAD_FIGURES)
    (src / "media" / "text.png").write_text("This is a text file, not an image.\n", "utf-8")
    (src / "media" / "huge.png").write_bytes(png_claiming(20000, 20000))
    Image.new("RGBA", (1600, 900), (30, 60, 90, 128)).save(src / "media" / "rgba.jpg", "PNG")
    draw(tmp_path / "outside.png", (640, 360))
    (src / "media" / "linked.png").symlink_to(tmp_path / "outside.png")
    result = build(src, tmp_path / "html", **NOT_ON_READ_THE_DOCS)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log, log
    expected = [
        r"media/text\.png: this file is not an image Pillow can read: export it as PNG",
        r"media/huge\.png: this image is 20000 × 20000 pixels \(400 megapixels\); a figure "
        r"may have at most 64 megapixels",
        r"media/rgba\.jpg: this file is a PNG image, not the JPEG its name says: rename it rgba\.png",
        r"\.\./outside\.png: this file is \S+/outside\.png, outside the site's folder",
        r"media/linked\.png: this file is \S+/outside\.png, outside the site's folder",
    ]
    for message in expected:
        assert re.search(r"figures\.md:\d+: ERROR: " + message, log), (message, log)
    assert not list((tmp_path / "html").rglob("outside-*.png")), "published anyway"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (":alt: A generated gradient, wide\n", "a figure needs alt text"),
        ("The first generated figure & its caption.\n", "a figure needs a caption"),
        (":poster: media/poster.png\n", "a video needs a poster frame"),
        ("media/wide.png", "media/missing.png: no such file"),
    ],
)
def test_a_figure_without_caption_or_alt_stops_the_build(tmp_path, change, message):
    missing = "media/missing.png" if change == "media/wide.png" else ""
    src = fixture_sources(tmp_path / "src", PAGE.replace(change, missing, 1))
    result = build(src, tmp_path / "html", **NOT_ON_READ_THE_DOCS)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "figures.md" in log and message in log, log
    assert "Traceback" not in log


@pytest.fixture(scope="module")
def figure_server(figure_site):
    from conftest import serve

    httpd, base = serve(figure_site.root)
    yield base
    httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_a_figure_zooms_with_enter_and_escape_without_layout_shift(browser, figure_server, width):
    from test_hosting import LAYOUT_SHIFT

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(figure_server.split("/en/")[0]) else None
        ),
    )
    page.goto(figure_server + "figures/")  # returns on "load"; the lazy figure, below
    page.mouse.wheel(0, 3000)  # load the lazy figure too
    page.wait_for_timeout(300)
    # No style sheet blocks the first paint, so a browser may paint the page
    # before it has read all of it; what then moves is a few millionths of the
    # screen, a hundred times below the CLS target of 0.01 (src/docs/performance.md).
    assert page.evaluate(LAYOUT_SHIFT) < 0.0001
    from axe_playwright_python.sync_playwright import Axe

    assert not Axe().run(page).response["violations"]
    page.focus("a.figure-zoom")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.figure-dialog")
    dialog.wait_for(state="visible")
    assert not Axe().run(page).response["violations"]  # the open dialog too
    assert page.evaluate("document.querySelector('dialog.figure-dialog').open")
    big = dialog.locator("img")
    assert big.get_attribute("alt") == "A generated gradient, wide"
    assert big.bounding_box()["width"] > 300
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.classList.contains('figure-zoom')")
    assert not outside, outside
    context.close()


@pytest.fixture(scope="module")
def portrait_site(tmp_path_factory):
    """The made-up portfolio with a portrait on its home page (drawn here: no binary is kept)."""
    from PIL import Image

    work = tmp_path_factory.mktemp("portrait")
    src = work / "src"
    shutil.copytree(OTHER_SOURCES, src)
    Image.new("RGB", (900, 1200), (90, 120, 150)).save(src / "_static" / "portrait.png")
    home = src / "index.md"
    home.write_text(
        home.read_text("utf-8").replace(
            "# Zoë Ñúñez-Łukasiewicz\n",
            "# Zoë Ñúñez-Łukasiewicz\n\n```{portrait} _static/portrait.png\n"
            ":alt: Portrait of Zoë Ñúñez-Łukasiewicz\n```\n",
        ),
        "utf-8",
    )
    result = build(src, work / "html", **NOT_ON_READ_THE_DOCS)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(work / "html", result.stdout + result.stderr, OTHER_URL)


def test_a_portrait_is_sized_and_served_in_a_few_widths(portrait_site, other_site):
    img = portrait_site.page("/").select_one(".bd-article img.portfolio-portrait")
    assert img["alt"] == "Portrait of Zoë Ñúñez-Łukasiewicz"
    assert (img["width"], img["height"]) == ("900", "1200")
    widths = [int(part.split()[-1].rstrip("w")) for part in img["srcset"].split(", ")]
    assert widths == [160, 320, 480, 900]
    assert (portrait_site.root / img["src"]).is_file()
    assert not other_site.page("/").select(".portfolio-portrait")  # none unless the owner adds one
