"""The engine as a package index carries it, for the distribution tests.

``python -m build`` makes the wheel and the sdist from ``src/`` (offline: the
build backend comes from the test environment). A local package index serves
the wheel, in the layout pip reads (PEP 503, a folder per project with its
``index.html``): pip is sent there first (``PIP_INDEX_URL``), and to the index
this machine is configured with for every other package
(``PIP_EXTRA_INDEX_URL``), so that the starter's own commands, written for
PyPI, run exactly as written. uv, which nox may make environments with, gets
the wheel's folder (``UV_FIND_LINKS``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from conftest import REPO

ENGINE = REPO / "src"
PROJECT = "sphinx-academic-portfolio"
STARTER = "academic_portfolio/starter/"  # the starter's folder in the wheel
# The index pip reads when the environment names none: PyPI.
DEFAULT_INDEX = "https://pypi.org/simple"


def run(command: list[str], **options) -> subprocess.CompletedProcess[str]:
    """Run *command*; a failure shows its whole output."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )
    return done


def build_distributions(out: Path) -> str:
    """Make the engine's wheel and sdist in *out*, as ``python -m build`` does; its log.

    The tests build them once (the session fixture ``distributions``, conftest.py).
    """
    done = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ENGINE)])
    return done.stdout + done.stderr


def distributions_in(out: Path) -> tuple[Path, Path]:
    """The wheel and the sdist that build_distributions made in *out*."""
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return wheel, sdist


def local_index(wheel: Path, folder: Path) -> Path:
    """A package index (PEP 503) in *folder* that holds the one wheel."""
    project = folder / "simple" / PROJECT
    project.mkdir(parents=True)
    shutil.copy2(wheel, project / wheel.name)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (project / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="{wheel.name}#sha256={digest}">{wheel.name}</a>'
        "</body></html>\n",
        "utf-8",
    )
    (folder / "simple" / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="{PROJECT}/">{PROJECT}</a></body></html>\n', "utf-8"
    )
    return folder / "simple"


def index_environment(index: Path, **more: str) -> dict[str, str]:
    """The environment that sends pip and uv to the local index first."""
    configured = os.environ.get("PIP_INDEX_URL", DEFAULT_INDEX)
    extra = " ".join(filter(None, [configured, os.environ.get("PIP_EXTRA_INDEX_URL")]))
    return {
        **os.environ,
        "PIP_INDEX_URL": index.as_uri(),
        "PIP_EXTRA_INDEX_URL": extra,
        "UV_FIND_LINKS": str(index / PROJECT),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **more,
    }


def clean_environment(folder: Path) -> Path:
    """A new virtual environment with pip and nothing else; its bin/ folder."""
    venv.create(folder, with_pip=True, clear=True)
    return folder / "bin"


def with_path(env: dict[str, str], bin_dir: Path) -> dict[str, str]:
    """*env* with *bin_dir* first on PATH: `pip`, `python` are the environment's."""
    return {
        **env,
        "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}",
        "VIRTUAL_ENV": str(bin_dir.parent),
    }


def readthedocs_install(site: Path, env: dict[str, str], bin_dir: Path) -> None:
    """Run the install commands of the site's .readthedocs.yaml, exactly as written."""
    import yaml

    config = yaml.safe_load((site / ".readthedocs.yaml").read_text("utf-8"))
    for command in config["build"]["jobs"]["install"]:
        run(["sh", "-c", command], cwd=site, env=with_path(env, bin_dir))


def install_the_starter(wheel: Path, work: Path) -> str:
    """In *work*: the starter's files as the wheel carries them (``site/``), a
    package index that holds the wheel (``index/``), and a clean environment
    (``env/``) made by the starter's .readthedocs.yaml install commands against
    that index. The tests make it once (the session fixture ``installed``)."""
    env = index_environment(local_index(wheel, work / "index"))
    site = work / "site"
    with zipfile.ZipFile(wheel) as archive:  # what `new` copies, before anything is installed
        for name in archive.namelist():
            if name.startswith(STARTER) and not name.endswith("/"):
                target = site / name.removeprefix(STARTER)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    readthedocs_install(site, env, clean_environment(work / "env"))
    return ""


STRICT_DIRHTML = ["-b", "dirhtml", "-n", "-W", "--keep-going", "-q"]


def strict_build(python: Path, src: Path, out: Path, **env: str) -> str:
    """A strict build of *src* with *python*'s Sphinx; its log."""
    done = run(
        [str(python), "-m", "sphinx", *STRICT_DIRHTML, "-d", str(out / ".doctrees"),
         str(src), str(out)],
        env={**os.environ, "READTHEDOCS": "", "READTHEDOCS_CANONICAL_URL": "", **env},
    )  # fmt: skip
    return done.stdout + done.stderr
