"""Did the fast tier run every module of the engine? (``nox -s quick -- --coverage``)

Reads the coverage data of a test run (``coverage run``: the test process)
and names each module of ``academic_portfolio`` in which no line inside a
function body ran. Importing a module runs its top level: its
imports, constants and ``def`` lines, so those lines prove nothing. A module
without a function (a ``__main__`` that only calls another module, a package's
``__init__``) counts when any of its lines ran. The starter is a template a new
site copies, not a module of the engine: it is left out.

Usage: ``python tools/touched.py DATA_FILE``; exit 1 when a module was not run.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from coverage import CoverageData

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "academic_portfolio"
NOT_MODULES = ("starter",)  # folders of the package that hold templates, not modules


def function_body_lines(source: str) -> set[int]:
    """The lines of every statement inside a function or method (nested ones too)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for statement in node.body:
                lines.update(range(statement.lineno, (statement.end_lineno or 0) + 1))
    return lines


def engine_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not set(path.relative_to(PACKAGE).parts[:-1]) & set(NOT_MODULES)
    )


def was_run(module: Path, ran: set[int]) -> bool:
    """Whether a line of *module* that import alone does not run was run."""
    bodies = function_body_lines(module.read_text("utf-8"))
    return bool(ran & bodies) if bodies else bool(ran)


def modules_not_run(data: CoverageData) -> list[str]:
    measured = {Path(name).resolve(): set(data.lines(name) or ()) for name in data.measured_files()}
    return [
        module.relative_to(PACKAGE.parent).as_posix()
        for module in engine_modules()
        if not was_run(module, measured.get(module.resolve(), set()))
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print("Usage: python tools/touched.py DATA_FILE (coverage run's data file)")
        return 2
    data = CoverageData(argv[0])
    data.read()
    missed = modules_not_run(data)
    if missed:
        print("No function of these modules ran in the fast tier: add a fast test that runs it.")
        print("\n".join(f"  {name}" for name in missed))
        return 1
    print(f"Every module of the engine ran in the fast tier ({len(engine_modules())} modules).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
