"""The command line: read refs.bib, ask, report; write or apply the patch on request."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..data.datafiles import DataFileError, read_text
from ..data.refsbib import entry_line, load_bib
from ..data.sources import load_cv
from ..version import __version__
from . import arxiv, crossref, dblp
from .accepted import PATH as ACCEPTED_PATH
from .accepted import Accepted, load_accepted
from .check import SERVICES, Checker, duplicates
from .compare import Change, Finding
from .http import Cache, Client
from .patch import apply_changes, unified_diff

AGREE, DIFFERENCES, UNREADABLE, SEVERAL_DOWN, NOT_CACHED = 0, 1, 2, 3, 7
EXIT_CODES = {crossref.NAME: 4, arxiv.NAME: 5, dblp.NAME: 6}
BASES = {crossref.NAME: crossref.BASE, arxiv.NAME: arxiv.BASE, dblp.NAME: dblp.BASE}
PACES = {crossref.NAME: crossref.PACE, arxiv.NAME: arxiv.PACE, dblp.NAME: dblp.PACE}
LINK_PACE = 1.0  # per host: a few links a paper, asked one a second
CACHE = Path("_build") / "refs-cache"
PATCH = Path("_build") / "refs.patch"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="nox -s refs --",
        description="Check refs.bib against Crossref, arXiv and DBLP; change nothing by itself.",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the site's folder")
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--write",
        nargs="*",
        metavar="KEY",
        help=f"write the changes to {PATCH} (of these entries only, if keys are given)",
    )
    what.add_argument("--apply", nargs="*", metavar="KEY",
                      help="apply them (backup: refs.bib.bak), of these entries only if given")  # fmt: skip
    parser.add_argument("--offline", action="store_true", help="answer from the cache only")
    parser.add_argument("--no-links", action="store_true", help="do not ask the links")
    parser.add_argument("--max-age", type=float, default=7.0, metavar="DAYS",
                        help="how long a cached answer is used (default: 7 days)")  # fmt: skip
    for name, option in ((crossref.NAME, "--crossref"), (arxiv.NAME, "--arxiv"),
                         (dblp.NAME, "--dblp")):  # fmt: skip
        parser.add_argument(option, default=BASES[name], metavar="URL",
                            help=f"{name}'s address (a mirror, or a test server)")  # fmt: skip
    return parser.parse_args(argv)


def main(
    argv: list[str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run the check; the exit status is the module docstring's. *sleep* and
    *clock* pace the requests (the tests pass ones that only record)."""
    args = parse_args(argv)
    root: Path = args.root
    bib_path = root / "refs.bib"
    try:
        bib = load_bib(bib_path)
        text = read_text(bib_path)
        email = load_cv(root / "_data" / "cv.yaml")["person"].get("email")
        accepted = load_accepted(root)
    except DataFileError as error:
        print(error, file=sys.stderr)
        print(
            "Fix the file as said (`nox -s docs` says the same), then run again.", file=sys.stderr
        )
        return UNREADABLE
    problem = unknown_keys(bib.entries, accepted, args)
    if problem:
        print(problem, file=sys.stderr)
        return UNREADABLE
    writing = args.write is not None or args.apply is not None
    cache = Cache(root / CACHE, args.max_age * 86400)
    cache.prune()  # expired answers go, and the oldest beyond the cache's size
    client = Client(
        user_agent(email),
        cache,
        offline=args.offline,
        sleep=sleep,
        clock=clock,
        intervals=dict(PACES),
        default_interval=LINK_PACE,
    )
    bases = {crossref.NAME: args.crossref, arxiv.NAME: args.arxiv, dblp.NAME: args.dblp}
    checker = Checker(client, {k: v.rstrip("/") for k, v in bases.items()}, email)
    checker.links = not args.no_links
    findings, hidden = check_entries(checker, bib.entries, accepted)
    if findings:
        print(report(text, findings))
    changes = proposed_changes(findings, args.write or args.apply)
    status = None
    if writing:
        status = write_or_apply(root, text, changes, apply=args.apply is not None)
    complete = not checker.down and not checker.not_cached
    checked = len(bib.entries) - len(accepted.skip & set(bib.entries))
    print(summary(findings, checked, complete=complete, checked_only=not writing))
    if hidden or accepted.skip:
        print(f"Left alone as {ACCEPTED_PATH} says: {len(accepted.skip)} entr"
              f"{'y' if len(accepted.skip) == 1 else 'ies'} skipped, {hidden} accepted "
              "difference(s) not shown.")  # fmt: skip
    return exit_status(checker, findings) if status is None else status


def check_entries(
    checker: Checker, entries, accepted: Accepted
) -> tuple[dict[str, list[Finding]], int]:
    """Each entry's findings (those it has), without what the owner decided;
    and how many findings the owner's file left out."""
    twice = duplicates(entries)
    findings, hidden = {}, 0
    for key, entry in entries.items():
        if key in accepted.skip:
            continue  # the owner's decision: not asked about at all
        found = ([twice[key]] if key in twice else []) + checker.check(key, entry)
        kept = [f for f in found if not accepted.covers(key, f)]
        hidden += len(found) - len(kept)
        if kept:
            findings[key] = kept
    return findings, hidden


def proposed_changes(findings: dict[str, list[Finding]], keys: list[str] | None) -> list[Change]:
    """The changes of the entries named after --write/--apply (all when none
    is), one per field: two records may propose the same DOI."""
    chosen = {(f.change.key, f.change.field): f.change for found in findings.values()
              for f in found if f.change and (not keys or f.change.key in keys)}  # fmt: skip
    return list(chosen.values())


def unknown_keys(entries, accepted: Accepted, args: argparse.Namespace) -> str | None:
    """A sentence naming keys that refs.bib does not have, or None."""
    keys = set(entries)
    named = sorted(set(args.write or args.apply or []) - keys)
    if named:
        return (f"refs.bib has no entry {', '.join(map(repr, named))}: give keys of refs.bib "
                "after --write or --apply (or none, for every entry).")  # fmt: skip
    stale = accepted.unknown_keys(keys)
    if stale:
        return (f"{ACCEPTED_PATH}: refs.bib has no entry {', '.join(map(repr, stale))}: "
                "correct the key or remove it from the file.")  # fmt: skip
    return None


def user_agent(email: str | None) -> str:
    """Who asks, as Crossref and arXiv ask to be told: the tool and a contact."""
    contact = f"; mailto:{email}" if email else ""
    return f"sphinx-academic-portfolio/{__version__} refscheck (`nox -s refs`{contact})"


def report(text: str, findings: dict[str, list[Finding]]) -> str:
    """Each entry's findings (differences and notes), under its line and key."""
    lines = []
    for key, found in findings.items():
        lines.append(f"refs.bib:{entry_line(text, key) or '?'} {key}")
        lines += [line for finding in found for line in describe(finding)]
        lines.append(f"  verdict: {verdict(found)}")
        lines.append("")
    return printable("\n".join(lines))


# Control characters and bidirectional overrides a service could send: they
# would drive the owner's terminal (colours, cursor) or reorder what it shows.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return CONTROL.sub("\ufffd", text)


def verdict(found: list[Finding]) -> str:
    """The entry in one line: agrees; differs (fields); points to another
    work; published version exists; retracted / corrected (notice); duplicate
    of KEY; could not check (why). Several may hold at once."""
    labels = [f"{f.what} ({f.theirs})" for f in found if f.kind == "notice"]
    labels += [f"the {f.what.upper() if f.what == 'doi' else f.what} points to another work"
               for f in found if f.kind == "other-work"]  # fmt: skip
    labels += [f"duplicate of {f.ours}" for f in found if f.kind == "duplicate"]
    if any(f.kind in ("published", "advice") for f in found):
        labels.append("published version exists")
    fields = [f.what for f in found if f.kind in ("differs", "missing", "unknown", "moved")]
    if fields:
        labels.append(f"differs ({', '.join(dict.fromkeys(fields))})")
    labels += [f"could not check ({f.theirs})" for f in found if f.kind == "unchecked"]
    if any(f.kind == "version" for f in found):
        labels.append("another version exists (not compared)")
    return "; ".join(labels) or "agrees"


def summary(
    findings: dict[str, list[Finding]], total: int, *, complete: bool, checked_only: bool
) -> str:
    """The count of differences, printed last (after what --write or --apply did)."""
    differences = [f for found in findings.values() for f in found if f.counts]
    unchecked = sum(1 for found in findings.values() if any(f.kind == "unchecked" for f in found))
    if not differences:
        if not complete:
            return "No difference in the answers received; the check is incomplete (below)."
        if unchecked:
            return (f"No difference found; {unchecked} of {total} entries could not be checked "
                    "(each one's verdict says why).")  # fmt: skip
        return f"All {total} entries agree with the records."
    entries = sum(1 for found in findings.values() if any(f.counts for f in found))
    lines = [f"{len(differences)} difference(s) in {entries} of {total} entries."]
    if checked_only:
        lines[0] += (" refs.bib is unchanged: `nox -s refs -- --write` writes the proposed "
                     "changes as a patch, `nox -s refs -- --apply` applies them (keeping "
                     "refs.bib.bak).")  # fmt: skip
    by_hand = sum(1 for f in differences if f.change is None)
    if by_hand:
        lines.append(f"{by_hand} of them come with no proposed change: decide them by hand.")
    lines.append(tally(findings, total))
    return "\n".join(lines)


# The verdicts' names in the tally, in the order the brief of the report gives them.
VERDICTS = {"other-work": "point to another work", "published": "published version exists",
            "advice": "published version exists", "notice": "retracted or corrected",
            "duplicate": "duplicates", "version": "another version exists",
            "unchecked": "could not be checked"}  # fmt: skip


def tally(findings: dict[str, list[Finding]], total: int) -> str:
    """Entries per verdict: "Verdicts: 1 agrees, 2 differ, 1 published version exists"."""
    counts: dict[str, int] = {}
    for found in findings.values():
        names = {VERDICTS[f.kind] for f in found if f.kind in VERDICTS}
        if any(f.kind in ("differs", "missing", "unknown", "moved") for f in found):
            names.add("differ")
        for name in names or {"agree"}:
            counts[name] = counts.get(name, 0) + 1
    counts["agree"] = total - len(findings) + counts.get("agree", 0)
    order = ["agree", "differ", *dict.fromkeys(VERDICTS.values())]  # a fixed order, not a set's
    return "Verdicts: " + ", ".join(f"{counts[n]} {n}" for n in order if counts.get(n)) + "."


def describe(finding: Finding) -> list[str]:
    """A finding as the owner reads it: what, where from, and what to do."""
    what, source = finding.what, finding.source
    if finding.kind == "published":
        return [f"  published: refs.bib lists it as a preprint; {source}: {finding.theirs}"]
    if finding.kind == "advice":
        return [f"  published ({source}: {finding.theirs}); refs.bib has its DOI. To list it as "
                "published, change its type (@inproceedings, @article) and add its venue "
                "(booktitle, journal): your decision, not counted as a difference."]  # fmt: skip
    if finding.kind == "elsewhere":
        return [f"  note: the DOI {finding.ours} is registered with {finding.theirs}, not "
                "Crossref: not compared (not a difference)."]  # fmt: skip
    if finding.kind == "notice":
        return [f"  {what}: {source} records a {finding.theirs}"]
    if finding.kind == "other-work":
        return [f"  {what}: {finding.ours} is, for {source}, another work: {finding.theirs}; "
                "nothing of it is compared or proposed: check the identifier"]  # fmt: skip
    if finding.kind == "duplicate":
        return [f"  duplicate: {finding.theirs}: keep one entry"]
    if finding.kind == "version":
        return [f"  another version of this work exists ({source}: {finding.theirs}); the "
                "entry's own version is not changed: your decision, not a difference"]  # fmt: skip
    if finding.kind == "unchecked":
        return []  # said by the verdict
    if finding.kind == "missing":
        return [f"  {what}: missing; {source} gives {finding.theirs}"]
    if finding.kind == "unknown":
        return [f"  {what}: {source} does not know {finding.ours}: check it"]
    if finding.change is None and finding.kind == "differs":
        return [
            f"  {what} differs from {source} (no change proposed: decide by hand):",
            f"      refs.bib: {finding.ours}",
            f"      {source + ':':9} {finding.theirs}",
        ]
    if finding.kind == "moved":
        private = finding.change is None and "not proposed" not in finding.theirs
        note = " (a private field: change it yourself if you agree)" if private else ""
        return [f"  {what}: {finding.ours} {finding.theirs}{note}"]
    return [
        f"  {what} differs from {source}:",
        f"      refs.bib: {finding.ours}",
        f"      {source + ':':9} {finding.theirs}",
    ]


def exit_status(checker: Checker, findings: dict[str, list[Finding]]) -> int:
    for service in SERVICES:
        if service in checker.down:
            skipped = checker.unchecked.get(service, 0)
            print(f"{service} could not be asked. {checker.down[service]} {skipped} "
                  f"entr{'y was' if skipped == 1 else 'ies were'} not checked against it.",
                  file=sys.stderr)  # fmt: skip
        if service in checker.not_cached:
            missed = checker.not_cached[service]
            print(f"{service}: {missed} entr{'y was' if missed == 1 else 'ies were'} not "
                  "checked against it: not in the cache (asked offline). Run without "
                  "--offline to ask.", file=sys.stderr)  # fmt: skip
    if len(checker.down) == len(SERVICES) and all(e.unreachable for e in checker.down.values()):
        print("No service could be reached: this machine seems to be offline, so nothing "
              "was checked. Run `nox -s refs` again when online; answers already fetched "
              f"stay in {CACHE} (`nox -s refs -- --offline` uses only them).",
              file=sys.stderr)  # fmt: skip
    if len(checker.down) > 1:
        return SEVERAL_DOWN
    if checker.down:
        return EXIT_CODES[next(iter(checker.down))]
    if checker.not_cached:
        return NOT_CACHED
    return DIFFERENCES if any(f.counts for found in findings.values() for f in found) else AGREE


def write_or_apply(root: Path, text: str, changes: list[Change], *, apply: bool) -> int | None:
    """Write the patch (and with *apply* change refs.bib, keeping a backup);
    an exit status when that failed, else None."""
    patch_path = root / PATCH
    if not changes:
        patch_path.unlink(missing_ok=True)  # an old patch would propose stale changes
        print("No change to propose: no patch written, refs.bib untouched.")
        return None
    new, skipped, made = apply_changes(text, changes)
    for reason in skipped.values():
        print(f"refs.bib: {reason}.", file=sys.stderr)
    if new == text:
        patch_path.unlink(missing_ok=True)
        print("No change could be written: no patch written, refs.bib untouched.")
        return None
    patch_path.parent.mkdir(parents=True, exist_ok=True)
    patch_path.write_text(unified_diff(text, new, "refs.bib"), "utf-8")
    if not apply:
        print(f"Wrote the proposed changes to {patch_path}. Read it, then apply it from "
              f"{root}: git apply {PATCH} (or: patch -p1 < {PATCH}).")  # fmt: skip
        return None
    return apply_to_file(root / "refs.bib", text, new, made)


def apply_to_file(path: Path, old: str, new: str, count: int) -> int | None:
    backup = path.with_name(path.name + ".bak")
    shutil.copyfile(path, backup)
    path.write_bytes(new.encode("utf-8"))  # bytes: line endings stay the file's own
    try:
        load_bib(path)
    except DataFileError as error:  # never leave the owner a refs.bib the build refuses
        path.write_bytes(old.encode("utf-8"))
        print(f"The changed refs.bib would not build ({error}); it was left as it was.",
              file=sys.stderr)  # fmt: skip
        return UNREADABLE
    print(f"Applied {count} change(s) to {path}; the previous file is {backup}. "
          "See them with: git diff refs.bib")  # fmt: skip
    return None
