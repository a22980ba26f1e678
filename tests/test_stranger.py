"""The whole path a stranger runs, from the engine's built wheel on a package index.

The engine guide's steps (src/docs/guide.md), one by one: ``pipx run
sphinx-academic-portfolio new`` (the wheel from a local index, as PyPI will
serve it), edit the data files, ``nox -s docs``, the Read the Docs build (the
new site's ``.readthedocs.yaml``, lock and groups are the starter's: the clean
environment their commands made for test_distribution builds it), ``nox -s
linkcheck`` with the network down, and ``nox -s lock``. Minutes long: marked
``slow``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import contract_urls
from distribution import (
    PROJECT,
    index_environment,
    local_index,
    run,
    strict_build,
)

from academic_portfolio import __version__

pytestmark = [pytest.mark.build, pytest.mark.slow, pytest.mark.distribution]

NAME = "Zoë Ñúñez-Łukasiewicz"
PREPRINT = """
@misc{nunez2025preprint,
  title = {A Made-Up Preprint for the Stranger's Test},
  author = {Ñúñez-Łukasiewicz, Zoë and Placeholder, Bob},
  year = {2025},
  eprint = {2501.00001},
  archiveprefix = {arXiv},
}
"""
# Every connection goes to a port where nothing listens: the network is down.
NETWORK_DOWN = {
    name: "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
}


def pipx() -> str:
    found = shutil.which("pipx")
    if found is None:
        message = "NOT RUN: pipx is not installed (apt install pipx)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def nox(site: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`pipx run nox ...` in the site, as the README says: a nox without the engine,
    which installs it from the noxfile's header (into .nox/_nox_script_mode)."""
    return subprocess.run(
        [pipx(), "run", "nox", *args], cwd=site, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def pipx_run_new(index: Path, env: dict[str, str], site: Path) -> None:
    """README, step 2: `pipx run sphinx-academic-portfolio new ~/my-site --name ...`."""
    run([pipx(), "run", "--index-url", index.as_uri(), PROJECT, "new", str(site), "--name", NAME],
        env=env)  # fmt: skip


def edit_data_files(site: Path) -> None:
    """README, step 4: a paper in refs.bib (and its address), the CV's headline."""
    with (site / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write(PREPRINT)
    with (site / "_data" / "public-urls.txt").open("a", encoding="utf-8") as urls:
        urls.write("/publications/nunez2025preprint/\n")
    cv = site / "_data" / "cv.yaml"
    text = cv.read_text("utf-8")
    assert "  headline: Researcher\n" in text
    cv.write_text(text.replace("  headline: Researcher\n", "  headline: Roboticist\n"), "utf-8")


@pytest.fixture(scope="module")
def stranger(distributions, tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("stranger")
    wheel, _ = distributions  # the wheel test_distribution checks
    index = local_index(wheel, work / "index")
    # A pipx of its own: the owner's cache stays as it is.
    env = index_environment(index, PIPX_HOME=str(work / "pipx"))
    site = work / "my-site"
    pipx_run_new(index, env, site)
    edit_data_files(site)
    return site, work, env


def test_new_then_nox_docs_builds_the_edited_site(stranger):
    site, _, env = stranger
    done = nox(site, env, "-s", "docs")
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 0, "\n".join(lines[-40:])
    assert lines[-2] == "nox > Built into _build/html; look at it with: nox -s serve"
    # The sessions' code came from the engine's wheel, through the noxfile's header.
    assert list(
        (site / ".nox" / "_nox_script_mode").glob(
            "lib/python*/site-packages/academic_portfolio/sessions.py"
        )
    )
    html = site / "_build" / "html"
    for url in contract_urls(site):
        assert (html / url.lstrip("/") / ("index.html" if url.endswith("/") else "")).is_file()
    assert "A Made-Up Preprint" in (html / "publications" / "index.html").read_text("utf-8")
    assert "Roboticist" in (html / "index.html").read_text("utf-8")
    assert f"<h1>{NAME}" in (html / "index.html").read_text("utf-8")


def test_the_readthedocs_commands_then_build_it_strictly(stranger, installed):
    """The new site's install commands, lock and groups are the starter's: the
    environment they made from the same wheel (test_distribution's) builds it."""
    site, work, _ = stranger
    starter, bin_dir, _ = installed
    for name in (".readthedocs.yaml", "constraints.txt"):
        assert (site / name).read_bytes() == (starter / name).read_bytes(), name
    assert dependency_groups(site) == dependency_groups(starter)
    address = "https://zoe-nunez-ukasiewicz.readthedocs.io/en/latest/"
    strict_build(bin_dir / "python", site, work / "readthedocs-html",
                 READTHEDOCS="True", READTHEDOCS_CANONICAL_URL=address)  # fmt: skip
    home = (work / "readthedocs-html" / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{address}"' in home


def dependency_groups(site: Path) -> dict[str, list[str]]:
    return tomllib.loads((site / "pyproject.toml").read_text("utf-8"))["dependency-groups"]


def test_linkcheck_with_the_network_down_says_so(stranger):
    site, _, env = stranger
    installed = nox(site, env, "-s", "linkcheck", "--install-only")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    offline = {**{k: v for k, v in env.items() if "proxy" not in k.lower()}, **NETWORK_DOWN}
    done = nox(site, offline, "-s", "linkcheck", "--no-install")
    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert "The network seems down: could not connect to any host; nothing was checked." in log
    assert "broken link(s)" not in log and "BROKEN" not in log


def test_nox_lock_pins_the_engine_again(stranger):
    site, _, env = stranger
    done = nox(site, env, "-s", "lock")
    assert done.returncode == 0, done.stdout + done.stderr
    lock = (site / "constraints.txt").read_text("utf-8").splitlines()
    assert f"{PROJECT}=={__version__}" in lock
    assert sum(1 for line in lock if line.startswith("sphinx==")) == 1
