"""Summarise Sphinx's linkcheck output; exit 1 when a link is broken.

Usage: ``python _ext/portfolio/linkreport.py _build/linkcheck/output.json``
(``nox -s linkcheck`` runs it after the linkcheck builder).
"""

from __future__ import annotations

import json
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


def main(argv: list[str]) -> int:
    results = read_results(Path(argv[1]))
    print(report(results))
    failing = [r for r in results if r["status"] in FAILING]
    if failing:
        print(f"{len(failing)} broken link(s): fix them before sending an application.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
