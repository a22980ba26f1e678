"""Check every external link of the site, print the broken ones, exit 1 if any.

Usage: ``python tools/linkcheck.py SOURCE_DIR OUTPUT_DIR [SPHINX_ARGS...]``
(what ``nox -s linkcheck`` runs). It runs Sphinx's linkcheck builder, which
follows the ``linkcheck_*`` settings of conf.py, then summarises its
``output.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

FAILING = {"broken", "timeout"}


def read_results(path: Path) -> list[dict]:
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.strip()]


def report(results: list[dict]) -> str:
    counts = Counter(r["status"] for r in results)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    lines = [f"Checked {len(results)} external links: {summary or 'none found'}."]
    for result in results:
        if result["status"] in FAILING or result["status"] == "redirected":
            where = f"{result['filename']}:{result['lineno']}"
            info = f" ({result['info']})" if result.get("info") else ""
            lines.append(f"  {result['status'].upper():10} {result['uri']}{info}\n"
                         f"             in {where}")  # fmt: skip
    return "\n".join(lines)


def run_linkcheck(source: Path, output: Path, extra: list[str]) -> Path:
    command = [sys.executable, "-m", "sphinx", "-b", "linkcheck", "-q",
               "-d", str(output / ".doctrees"), *extra, str(source), str(output)]  # fmt: skip
    subprocess.run(command, check=False)  # exit 1 on a broken link: reported below
    return output / "output.json"


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    results = read_results(run_linkcheck(Path(argv[1]), Path(argv[2]), argv[3:]))
    print(report(results))
    failing = [r for r in results if r["status"] in FAILING]
    if failing:
        print(f"{len(failing)} broken link(s): fix them before sending an application.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
