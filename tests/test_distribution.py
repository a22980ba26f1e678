"""The engine as PyPI will carry it: a wheel and an sdist that pass ``twine check``,
and the wheel, served by a local package index, installed by the starter's own
``.readthedocs.yaml`` commands into a clean environment (not ``src/``), which
then builds the starter and the second portfolio strictly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from conftest import OTHER_SOURCES, REPO
from distribution import (
    PROJECT,
    STARTER,
    run,
    strict_build,
)

from academic_portfolio import __version__

pytestmark = [pytest.mark.build, pytest.mark.distribution]


def test_build_makes_a_wheel_and_an_sdist_that_twine_passes(distributions):
    wheel, sdist = distributions
    assert wheel.name == f"sphinx_academic_portfolio-{__version__}-py3-none-any.whl"
    assert sdist.name == f"sphinx_academic_portfolio-{__version__}.tar.gz"
    done = run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)])
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_the_wheel_declares_its_licence_notices_and_command(distributions):
    wheel, sdist = distributions
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"sphinx_academic_portfolio-{__version__}.dist-info"
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert metadata["License-Expression"] == "MIT"
    assert sorted(metadata.get_all("License-File")) == ["LICENSE", "NOTICE.md"]
    assert {f"{info}/licenses/LICENSE", f"{info}/licenses/NOTICE.md"} <= names
    assert "sphinx-academic-portfolio = academic_portfolio.__main__:main" in entry_points
    assert "academic_portfolio/README.md" in names  # the documentation notices name (about.py)
    for starter_file in (".readthedocs.yaml", ".gitignore", "constraints.txt", "noxfile.py"):
        assert STARTER + starter_file in names
    with tarfile.open(sdist) as archive:
        members = {Path(name).name for name in archive.getnames()}
    assert {"LICENSE", "NOTICE.md", "pyproject.toml", "CHANGELOG.md"} <= members


def test_readthedocs_commands_install_the_wheel_from_the_index_not_src(installed):
    site, bin_dir, _ = installed
    where = run(
        [str(bin_dir / "python"), "-c", "import academic_portfolio as a; print(a.__file__)"]
    )
    module = Path(where.stdout.strip())
    assert module.is_relative_to(bin_dir.parent), module
    assert not module.is_relative_to(REPO)
    frozen = run([str(bin_dir / "python"), "-m", "pip", "freeze"]).stdout.splitlines()
    assert f"{PROJECT}=={__version__}" in frozen
    # Every package installed is one of the lock, at the lock's version.
    lock = {
        normalised(line.split(" ;")[0])
        for line in (site / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert [line for line in frozen if normalised(line) not in lock] == []


def normalised(pin: str) -> str:
    name, _, version = pin.partition("==")
    return re.sub(r"[-_.]+", "-", name).lower() + "==" + version


def test_the_installed_engine_starts_a_site_that_builds_strictly(installed, tmp_path):
    _, bin_dir, _ = installed
    site = tmp_path / "my-site"
    outside = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the wheel, not src/
    made = run(
        [str(bin_dir / "python"), "-m", "academic_portfolio", "new", str(site),
         "--name", "Zoë Ñúñez-Łukasiewicz"],
        cwd=tmp_path, env=outside,
    )  # fmt: skip
    assert f"A new portfolio is in {site}" in made.stdout
    strict_build(bin_dir / "python", site, tmp_path / "html")
    home = (tmp_path / "html" / "index.html").read_text("utf-8")
    assert "<h1>Zoë Ñúñez-Łukasiewicz" in home


def test_the_installed_command_is_the_same_command(installed, tmp_path):
    """`pipx run sphinx-academic-portfolio new ...` runs the console entry point."""
    _, bin_dir, _ = installed
    done = run([str(bin_dir / PROJECT), "new", "--help"])
    assert done.stdout.startswith("usage: sphinx-academic-portfolio new [-h]")
    assert "--engine ENGINE" in done.stdout


def test_the_installed_wheel_builds_the_second_portfolio_strictly(installed, tmp_path):
    _, bin_dir, _ = installed
    src = tmp_path / "src"
    subprocess.run(["cp", "-r", str(OTHER_SOURCES), str(src)], check=True)
    strict_build(bin_dir / "python", src, tmp_path / "html")
    assert (tmp_path / "html" / "cv.pdf").is_file()


def test_the_release_workflow_publishes_a_tag_with_trusted_publishing():
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text())
    assert workflow[True]["push"]["tags"] == ["v*"]  # YAML reads the key `on` as True
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert any(
        step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"]
    )
    assert "password" not in str(workflow)  # no token anywhere: trusted publishing
