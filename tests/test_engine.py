"""The engine as a package: nothing in it is the owner's; conf.py gets clear words.

The engine (``src/``) is what another researcher installs. Every fact of this
site (the owner's name, papers, addresses, projects) must come from the site's
own files, never from the package; and a setting conf.py writes that the
engine does not use must stop the build, not be ignored.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO, replace_in

from academic_portfolio import __version__
from academic_portfolio.data.refsbib import load_bib

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


ENGINE = REPO / "src"


def owner_facts() -> set[str]:
    """What only this site says: from its data files, so the list keeps up with them."""
    cv = yaml.safe_load((REPO / "_data" / "cv.yaml").read_text("utf-8"))
    person = cv["person"]
    facts = {*person["name"].split(), person["email"]}
    facts |= {profile["url"] for profile in person.get("profiles", ())}
    facts |= {profile["url"].rstrip("/").rsplit("=", 1)[-1].rsplit("/", 1)[-1]
              for profile in person.get("profiles", ())}  # the user names and ids  # fmt: skip
    bib = load_bib(REPO / "refs.bib")
    for key, entry in bib.entries.items():
        facts.add(key)
        facts |= {v for f, v in entry.fields.items()
                  if f in {"url", "doi", "eprint", "code", "openreview", "title"}}  # fmt: skip
    for page in (REPO / "research").glob("*.md"):
        if page.stem != "index":
            facts |= {page.stem, yaml.safe_load(page.read_text("utf-8").split("---")[1])["title"]}
    facts.add(re.search(r'SITE_URL = "https://([^/"]+)', (REPO / "conf.py").read_text())[1])
    return facts


def engine_files() -> list[Path]:
    skipped = {"__pycache__", ".pytest_cache"}
    return [
        path
        for path in sorted(ENGINE.rglob("*"))
        if path.is_file() and not skipped & set(path.parts) and path.suffix != ".pyc"
    ]


def test_the_engine_names_nothing_of_the_owner():
    facts = owner_facts()
    expected = {"Ziqi", "liu2022robust", "grafics", "RobertFlame", "cLDqm1AAAAAJ"}
    assert expected <= facts, f"the scan looks for too little: {expected - facts}"
    found = []
    for path in engine_files():
        text = path.read_bytes().decode("utf-8", "replace").lower()
        found += [f"{path.relative_to(REPO)}: {fact}" for fact in facts if fact.lower() in text]
    assert not found, "the engine names the owner's facts:\n" + "\n".join(found)


def test_the_scan_finds_a_fact_written_into_the_engine(tmp_path):
    """The test above can fail: the same scan over a file that names a paper."""
    leaked = tmp_path / "leak.py"
    leaked.write_text('EXAMPLE = "see liu2022robust"\n')
    assert any(fact.lower() in leaked.read_text().lower() for fact in owner_facts())


def test_the_package_carries_its_version_changelog_and_files():
    meta = tomllib.loads((ENGINE / "pyproject.toml").read_text())["project"]
    assert meta["name"] == "sphinx-academic-portfolio"
    assert f"## {__version__}" in (ENGINE / "CHANGELOG.md").read_text()
    shipped = {path.relative_to(ENGINE / "academic_portfolio").as_posix() for path in engine_files()
               if "academic_portfolio" in path.parts}  # fmt: skip
    for needed in ("theme/layout.html", "static/portfolio.css", "static/print.css",
                   "schemas/cv.schema.json", "templates/cv.typ", "py.typed"):  # fmt: skip
        assert needed in shipped


@pytest.mark.build
def test_the_wheel_says_the_package_is_typed(tmp_path):
    """py.typed in the wheel: a site's own code is type-checked against the engine."""
    # As test_distribution builds it: offline, with the test group's hatchling.
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                    "--outdir", str(tmp_path), str(ENGINE)],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = tmp_path.glob("*.whl")
    assert "academic_portfolio/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_the_site_enables_the_engine_with_one_entry_and_installs_it_from_src():
    conf = (REPO / "conf.py").read_text()
    assert re.search(r'^extensions = \["academic_portfolio"\]$', conf, re.M)
    groups = tomllib.loads((REPO / "pyproject.toml").read_text())["dependency-groups"]
    assert groups["docs"] == ["sphinx-academic-portfolio"]
    assert (
        "pip install -c constraints.txt --group docs ./src"
        in (REPO / ".readthedocs.yaml").read_text()
    )


def test_a_misspelled_or_retired_setting_stops_the_build_with_what_to_do(broken_site):
    def edit(src: Path) -> None:
        replace_in(src / "conf.py", 'portfolio_owner = "Ñúñez-Łukasiewicz, Zoë"\n',
                   'portfolio_owner = "Ñúñez-Łukasiewicz, Zoë"\nportfolio_ownr = "Roe, Max"\nfavicons = []\n')  # fmt: skip

    code, log, src = broken_site(edit)
    lines = (src / "conf.py").read_text().splitlines()
    misspelled, retired = lines.index('portfolio_ownr = "Roe, Max"'), lines.index("favicons = []")
    assert code != 0
    assert "Traceback" not in log
    assert (
        f"conf.py:{misspelled + 1}: ERROR: 'portfolio_ownr' is not a setting of "
        f"sphinx-academic-portfolio {__version__}: did you mean 'portfolio_owner'?"
    ) in log
    assert f"conf.py:{retired + 1}: ERROR: 'favicons': the icon is _static/favicon.svg" in log


def test_a_setting_the_site_writes_wins_over_the_default(broken_site):
    """The engine's default permalink sign is "#"; conf.py's own value is kept."""

    def edit(src: Path) -> None:
        replace_in(
            src / "conf.py",
            'extensions = ["academic_portfolio"]\n',
            'extensions = ["academic_portfolio"]\nhtml_permalinks_icon = "¶"\n',
        )

    code, log, src = broken_site(edit)
    assert code == 0, log
    page = (src.parent / "html" / "research" / "glacier-runoff" / "index.html").read_text("utf-8")
    signs = set(re.findall(r'class="headerlink"[^>]*>([^<]*)<', page))
    assert signs == {"¶"}, signs


def test_every_notice_points_to_the_engines_documentation_not_this_readme():
    """A notice sent the owner to 'README, "Add a paper"': this repository's README,
    which a site made from the starter does not have. Notices name a section of
    the engine's own documentation (academic_portfolio.about), which exists."""
    from academic_portfolio.about import documentation, see

    headings = re.findall(r"^## (.+)$", (ENGINE / "README.md").read_text(), re.M)
    sections = []
    for path in (ENGINE / "academic_portfolio").rglob("*.py"):
        text = path.read_text("utf-8")
        assert not re.search(r'\(README\b|README, \\?"|the README\b', text), path
        sections += re.findall(r"see\(['\"]([^'\"]+)['\"]\)", text)
    assert sections and set(sections) <= set(headings), (sections, headings)
    # The README named is the one beside the package, which a clone has (the
    # wheel carries its copy in the package: test_distribution.py).
    assert documentation() == ENGINE / "README.md" and documentation().is_file()
    assert see("Add a paper").endswith(f"README, {ENGINE / 'README.md'}")


def test_the_architecture_page_draws_the_layers_the_import_contract_enforces():
    """The drawing is written by hand; the contract is what `nox -s lint` checks.
    Each layer of the contract is one line of the drawing, top to bottom, its
    subpackages in the order the contract names them."""
    contract = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    layers = [
        [name.strip() for name in layer.split("|")] for layer in contract["contracts"][0]["layers"]
    ]
    page = (REPO / "src" / "docs" / "architecture.md").read_text("utf-8")
    drawing = page.split("```text\n", 1)[1].split("```", 1)[0]
    drawn = [
        [name.rstrip("/") for name in re.split(r" · ", line.strip().split("  ")[0])]
        for line in drawing.splitlines()
        if line.strip()
        and not line.strip().startswith("│")
        and line.startswith("  ")
        and not line.startswith("   ")
    ]
    assert drawn == layers


# -- The private APIs the engine uses, each on the documentation's list --------------

PRIVATE_APIS_PAGE = ENGINE / "docs" / "private-apis.md"
# Where the engine reaches into a private or undocumented part of Sphinx or of a
# package it builds on (a pattern of its source), and the name the private-APIs
# page gives it. A use added to the code belongs on the page, with its test.
PRIVATE_USES = {
    r"\._raw_config\b|\bconfig\.overrides\b": "Config._raw_config",
    r"\b_JavaScript\b": "_JavaScript",
    r"\bapp\.project = ": "Sphinx.project",
    r"\.theme_options = ": "StandaloneHTMLBuilder.theme_options",
    r'templates\.environment\b|"templates", None\), "environment"': (
        "BuiltinTemplateLoader.environment"
    ),
    r"\.temp_data\b": "BuildEnvironment.temp_data",
    r'get_domain\("cite"\)\.data\b': "BibData",
    r"\bgit_last_updated\b": "git_last_updated",
    r"\bempty_glob\b": "empty_glob",
    r"\bparse_citation_targets\b": "parse_citation_targets",
    r'\bSTATIC_DIR\b|/ "components"': "STATIC_DIR",
}


def engine_sources() -> dict[str, str]:
    """Each module of the engine (a new site's files aside), by its dotted name."""
    package = ENGINE / "academic_portfolio"
    return {
        ".".join(path.relative_to(ENGINE).with_suffix("").parts): path.read_text("utf-8")
        for path in sorted(package.rglob("*.py"))
        if "starter" not in path.parts
    }


def private_api_rows() -> list[list[str]]:
    """The page's table: private API, where, why, the test that catches its change."""
    lines = PRIVATE_APIS_PAGE.read_text("utf-8").splitlines()
    rows = [[cell.strip() for cell in line.strip().strip("|").split(" | ")]
            for line in lines if line.startswith("| ") and not line.startswith("| ---")]  # fmt: skip
    return rows[1:]  # the header aside


def underscore_uses(source: str) -> list[tuple[int, str]]:
    """Names with a leading underscore the module takes from other objects and modules."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if owner not in {"self", "cls"} and not node.attr.startswith("__"):
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            private = [part for part in (node.module or "").split(".") if part.startswith("_")]
            private += [alias.name for alias in node.names if alias.name.startswith("_")]
            found += [(node.lineno, name) for name in private if not name.startswith("__")]
    return found


def test_every_private_api_the_engine_uses_is_listed_with_the_modules_that_use_it():
    """The list named one module of three that reach the Jinja environment, and
    not the time each page's git history gives, the toctree's logger, the
    citation parser or the theme's and sphinx-design's folders."""
    sources, rows = engine_sources(), private_api_rows()
    for pattern, name in PRIVATE_USES.items():
        users = [module for module, text in sources.items() if re.search(pattern, text)]
        assert users, f"no module uses {name} any more: take it off the page and out of here"
        row = next((row for row in rows if name in row[0]), None)
        assert row is not None, f"{name} is not on {PRIVATE_APIS_PAGE.name}"
        assert [user for user in users if user not in row[1]] == [], name
    # A name with a leading underscore, taken from another package: one of the above.
    underscored = [(module, number, name, text.splitlines()[number - 1])
                   for module, text in sources.items() for number, name in underscore_uses(text)]  # fmt: skip
    assert underscored, "the scan finds Config._raw_config"
    for module, number, name, line in underscored:
        assert any(re.search(p, line) for p in PRIVATE_USES), f"{module}:{number}: {name}"


def test_each_test_the_private_apis_page_names_exists():
    """`tests/test_x.py::name`, or `::name` after it in the same cell: each is a test."""
    named = []
    for row in private_api_rows():
        file = None
        for written_file, test in re.findall(r"`(tests/test_\w+\.py)?(?:::(\w+))?`", row[-1]):
            file = written_file or file
            named.append((file, test))
    assert len(named) >= len(PRIVATE_USES)
    for file, test in named:
        assert file is not None and (REPO / file).is_file(), (file, test)
        assert not test or f"def {test}(" in (REPO / file).read_text("utf-8"), f"{file}::{test}"
