"""Mutation testing of engine modules against the fast tests: ``nox -s mutants -- MODULE...``.

mutmut (the ``mutants`` dependency group) changes one thing at a time in a
module (a ``<`` into ``<=``, a string into another, a call's argument into
``None``) and runs the fast tier (``nox -s quick``'s tests) that reach the
changed function. A change that no test notices, a surviving mutant, is
behaviour that no fast test pins down. This prints each module's kill rate and
writes each survivor's diff to ``_build/mutants/survivors.diff``.

It works in a folder of its own, ``_build/mutants/``, laid anew on every
run: mutmut keeps its verdicts between runs, and a survivor would stay one after
the test that kills it was written. The folder links the repository's files
(mutmut copies them into its ``mutants/`` folder and runs the tests there) and
holds a copy of ``pyproject.toml`` with a ``[tool.mutmut]`` table for the named
modules alone, so that nothing of this is configured in the repository itself.
Several modules in one run share its longest step: mutmut runs the whole fast
tier once to learn which tests reach which function.

Usage: python tools/mutants.py MODULE... [--tests TEST...] [mutmut run options]
MODULE: ``papers/part.py``, ``papers.part`` or ``academic_portfolio.papers.part``.
--tests: only these fast tests (files or node ids), to learn in minutes on a busy
machine what they kill: a mutant only another test kills counts as survived,
so the rate is a floor of the whole tier's. mutmut run options: --max-children N.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "academic_portfolio"
# The fast tier, as `nox -s quick` runs it.
FAST_TESTS = "not build and not browser and not slow"
# Not sources: the tools' caches, environments and outputs (mutants/ is there).
NOT_COPIED = {
    ".git", ".nox", "_build", ".venv", "venv", "node_modules", "mutants",
    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".import_linter_cache", "__pycache__",
}  # fmt: skip
# mutmut's exit codes, grouped as this report counts them (mutmut.stats has them all).
KILLED = {"killed", "timeout", "caught by type check"}


def module_path(name: str) -> Path:
    """The engine module *name* names, as a path from the repository's root."""
    dotted = name.removesuffix(".py").replace("/", ".").removeprefix("academic_portfolio.")
    path = PACKAGE.joinpath(*dotted.split(".")).with_suffix(".py")
    if not path.is_file():
        raise SystemExit(
            f"No engine module {name!r} (looked for {path.relative_to(ROOT)}). "
            "Name one as papers/part.py, papers.part or academic_portfolio.papers.part."
        )
    return path.relative_to(ROOT)


def mutmut_table(modules: list[Path], copied: list[str], tests: list[str]) -> str:
    """The ``[tool.mutmut]`` table: mutate *modules* only, run the fast tier (or *tests* of it)."""
    settings = {
        "source_paths": ["src"],
        "only_mutate": [module.as_posix() for module in modules],
        "also_copy": copied,
        "pytest_add_cli_args": ["-m", FAST_TESTS, "-p", "no:cacheprovider"],
        "pytest_add_cli_args_test_selection": tests or ["tests"],
        # The folder is new every run: there is no earlier run to compare with.
        "use_git_change_detection": False,
    }
    # JSON's strings and lists of strings are TOML's too.
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    return "\n[tool.mutmut]\n" + "\n".join(lines) + "\n"


def lay_out(work: Path, modules: list[Path], tests: list[str]) -> None:
    """*work* anew: a link to each of the repository's files, pyproject.toml with the table."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    entries = sorted(p.name for p in ROOT.iterdir() if p.name not in NOT_COPIED)
    for name in entries:
        if name != "pyproject.toml":
            (work / name).symlink_to(ROOT / name)
    copied = [name for name in entries if name != "src"]  # mutmut copies src/ itself
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    (work / "pyproject.toml").write_text(pyproject + mutmut_table(modules, copied, tests), "utf-8")
    # On PYTHONPATH from the start (mutmut()): a folder missing when Python
    # starts is remembered as missing, and the mutants would not be imported.
    (work / "mutants" / "src").mkdir(parents=True)


def mutmut(work: Path, *args: str, capture: bool = False) -> str:
    """Run mutmut in *work*; tests that start Python again import the mutated engine too."""
    mutated = str(work / "mutants" / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [mutated, os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        ["mutmut", *args], cwd=work, env=env, text=True, check=False,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"mutmut {' '.join(args)} failed (status {result.returncode}): see above.")
    return result.stdout or ""


def verdicts(results: str) -> dict[str, str]:
    """Each mutant's verdict, from ``mutmut results --all true`` ("    name: verdict")."""
    found = {}
    for line in results.splitlines():
        name, colon, verdict = line.strip().rpartition(": ")
        if colon and name:
            found[name] = verdict
    return found


def dotted(module: Path) -> str:
    """src/academic_portfolio/papers/part.py: academic_portfolio.papers.part."""
    return ".".join(module.with_suffix("").parts[1:])


def of_module(found: dict[str, str], module: Path) -> dict[str, str]:
    """The verdicts on *module*'s mutants (named module.x_function__mutmut_N)."""
    prefix = dotted(module) + "."
    return {
        name: verdict
        for name, verdict in found.items()
        if name.startswith(prefix) and "." not in name.removeprefix(prefix)
    }


def kill_rate(found: dict[str, str]) -> float:
    """Killed mutants over all of them: a mutant no fast test reaches counts as survived."""
    killed = sum(verdict in KILLED for verdict in found.values())
    return killed / len(found) if found else 0.0


def report(module: Path, found: dict[str, str]) -> str:
    counts = Counter(found.values())
    survivors = sorted(name for name, verdict in found.items() if verdict not in KILLED)
    lines = [
        f"{module}: kill rate {kill_rate(found):.1%} of {len(found)} mutants"
        f" ({', '.join(f'{verdict} {count}' for verdict, count in counts.most_common())})",
        *(f"  {name}: {found[name]}" for name in survivors),
    ]
    return "\n".join(lines)


def arguments(argv: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The module names, the tests (after --tests) and mutmut run's options."""
    names: list[str] = []
    tests: list[str] = []
    options: list[str] = []  # the first other option and all after it
    listing = names
    for arg in argv:
        if arg == "--tests":
            listing = tests
        elif arg.startswith("-") or options:
            options.append(arg)
        else:
            listing.append(arg)
    if not names:
        raise SystemExit(__doc__.split("Usage: ")[1])
    return names, tests, options


def main(argv: list[str]) -> int:
    names, tests, options = arguments(argv)
    modules = [module_path(name) for name in names]
    work = ROOT / "_build" / "mutants"
    lay_out(work, modules, tests)
    mutmut(work, "run", *options)
    found = verdicts(mutmut(work, "results", "--all", "true", capture=True))
    survivors = sorted(name for name, verdict in found.items() if verdict not in KILLED)
    diffs = [mutmut(work, "show", name, capture=True) for name in survivors]
    (work / "survivors.diff").write_text("\n".join(diffs), "utf-8")
    print(f"Not killed: each one's diff is in {(work / 'survivors.diff').relative_to(ROOT)}")
    print("\n".join(report(module, of_module(found, module)) for module in modules))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
