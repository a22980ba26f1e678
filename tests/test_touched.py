"""The check that the fast tier ran every engine module (tools/touched.py), on made-up data."""

from __future__ import annotations

import pytest
from coverage import CoverageData
from touched import PACKAGE, engine_modules, function_body_lines, main, modules_not_run, was_run

pytestmark = pytest.mark.pure

SOURCE = '''"""A module."""
import os

LIMIT = 3


def used(value):
    """Its docstring."""
    return value + LIMIT


class Thing:
    def method(self):
        return os.sep
'''


def test_only_the_lines_inside_functions_count_as_run(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(SOURCE)
    assert function_body_lines(SOURCE) == {8, 9, 14}
    imported = {2, 4, 7, 12, 13}  # what importing the module runs: imports, constants, defs
    assert not was_run(module, imported)
    assert was_run(module, imported | {14})
    main_module = tmp_path / "__main__.py"
    main_module.write_text("import sys\n\nsys.exit(0)\n")
    assert was_run(main_module, {1, 3}) and not was_run(main_module, set())


def test_a_module_none_of_whose_functions_ran_is_named(tmp_path, capsys):
    modules = engine_modules()
    serve = PACKAGE / "serve.py"
    assert serve in modules and not any("starter" in m.parts for m in modules)
    data = CoverageData(str(tmp_path / "data"))
    ran = {str(m): sorted(function_body_lines(m.read_text("utf-8")) or {1}) for m in modules}
    data.add_lines({**ran, str(serve): [1]})  # serve.py only imported
    data.write()
    assert modules_not_run(data) == ["academic_portfolio/serve.py"]
    assert main([str(tmp_path / "data")]) == 1
    assert "  academic_portfolio/serve.py" in capsys.readouterr().out
    data.add_lines({str(serve): sorted(function_body_lines(serve.read_text("utf-8")))})
    data.write()
    assert main([str(tmp_path / "data")]) == 0
