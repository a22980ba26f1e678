"""The bench's arithmetic and rules (tools/bench.py), without Lighthouse or timing.

What decides whether ``nox -s bench`` fails on a hosted page: medians and
spreads of repeated runs, the interleaving order, the "too noisy to judge"
rule and the verdict against the host's floor.
"""

from __future__ import annotations

import argparse

import pytest
from bench import (
    BARE,
    FLOOR,
    HOSTED,
    Machine,
    arguments,
    collapse,
    lighthouse_report,
    parse_pages,
    scale_table,
    schedule,
    spread,
    verdict,
)

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


QUIET = Machine(cores=2, loads=(0.4, 1.1, 0.9), speed_start=0.5, speed_end=0.5)


def runs_of(*values: float):
    """A Spread of these performance scores."""
    return spread(values)


def test_spread_median_and_quartiles_ignore_one_outlying_run_that_min_max_shows():
    s = spread([0.93, 0.75, 0.94, 0.93, 0.94])
    assert (s.median, s.q1, s.q3) == (0.93, 0.93, 0.94)
    assert (s.low, s.high, s.runs) == (0.75, 0.94, 5)
    assert s.iqr == pytest.approx(0.01)


def test_spread_of_one_run_and_of_none():
    one = spread([0.9])
    assert (one.median, one.low, one.high, one.iqr) == (0.9, 0.9, 0.9, 0.0)
    with pytest.raises(ValueError):
        spread([])


def test_schedule_interleaves_floor_hosted_and_bare_round_after_round():
    assert schedule(["/", "/cv/"], 2) == [
        (FLOOR, "/"), (HOSTED, "/"), (BARE, "/"),
        (FLOOR, "/"), (HOSTED, "/cv/"), (BARE, "/cv/"),
        (FLOOR, "/"), (HOSTED, "/"), (BARE, "/"),
        (FLOOR, "/"), (HOSTED, "/cv/"), (BARE, "/cv/"),
    ]  # fmt: skip


def test_schedule_puts_every_hosted_run_after_a_floor_run_and_its_bare_twin_after_it():
    order = schedule(["/", "/research/", "/cv/"], 5)
    for i, (site, page) in enumerate(order):
        if site == HOSTED:
            assert order[i - 1] == (FLOOR, "/")
        if site == BARE:
            assert order[i - 1] == (HOSTED, page)
    for page in ("/", "/research/", "/cv/"):
        assert order.count((HOSTED, page)) == order.count((BARE, page)) == 5
    assert order.count((FLOOR, "/")) == 15


def test_a_page_exactly_002_below_the_floor_meets_the_target():
    # 0.86 - 0.88 is -0.020000000000000018 in floating point: not a miss.
    v = verdict(runs_of(*[0.86] * 5), runs_of(*[0.88] * 5), 1.0, 2)
    assert v.judged and not v.below
    assert v.difference == -0.02
    assert v.text == "at or above the floor − 0.02"


def test_a_page_003_below_a_steady_floor_is_judged_below():
    v = verdict(runs_of(0.85, 0.85, 0.86, 0.84, 0.85), runs_of(*[0.88] * 5), 1.0, 2)
    assert v.judged and v.below
    assert v.difference == pytest.approx(-0.03)


def test_a_page_whose_runs_spread_too_wide_is_too_noisy_to_judge_even_far_below():
    page = runs_of(0.57, 0.66, 0.75, 0.85, 0.86)  # IQR 0.19
    v = verdict(page, runs_of(*[0.88] * 5), 1.0, 2)
    assert not v.judged and not v.below
    assert v.text.startswith("too noisy to judge")
    assert "its IQR 0.19" in v.text


def test_a_floor_whose_runs_spread_too_wide_leaves_the_page_unjudged():
    v = verdict(runs_of(*[0.70] * 5), runs_of(0.80, 0.82, 0.88, 0.89, 0.90), 1.0, 2)
    assert not v.judged and not v.below
    assert "the floor's IQR 0.07" in v.text


def test_an_iqr_of_exactly_005_is_still_judged():
    # 0.93 - 0.88 is 0.05000000000000004 in floating point.
    v = verdict(runs_of(0.80, 0.88, 0.90, 0.93, 0.99), runs_of(*[0.88] * 5), 1.0, 2)
    assert v.judged


def test_load_above_one_and_a_half_per_core_leaves_every_page_unjudged():
    page, floor = runs_of(*[0.70] * 5), runs_of(*[0.88] * 5)
    assert verdict(page, floor, 3.0, 2).below  # the bench's own load and a little more: judged
    loaded = verdict(page, floor, 3.1, 2)
    assert not loaded.judged and not loaded.below
    assert "load 3.1 > 3 (2 cores)" in loaded.text


def test_fewer_runs_than_five_give_no_verdict():
    v = verdict(runs_of(0.70, 0.70), runs_of(0.88, 0.88), 0.5, 2)
    assert not v.judged and not v.below
    assert v.text.startswith("not judged: 2 runs")


def fake_run(performance: float | None, lcp: float = 1.0, tbt: float = 0.0) -> dict:
    """One run's summary as summarise() gives it, for a 5 KB page."""
    scores = {"performance": performance, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
    return {
        "scores": scores,
        "metrics": {"performance": performance, "lcp": lcp, "tbt": tbt, "cls": 0.0},
        "by_type": {"Document": 5120},
        "total": 5120,
        "largest": [(5120, "/")],
        "blocking_scripts": [],
    }


def test_collapse_takes_medians_and_leaves_out_runs_without_a_score():
    page = collapse([fake_run(0.9, lcp=1.0), fake_run(None, lcp=9.0), fake_run(1.0, lcp=2.0)])
    assert page["scores"]["performance"] == pytest.approx(0.95)
    assert page["spreads"]["performance"].runs == 2
    assert page["spreads"]["lcp"].median == 2.0  # the failed run's metrics still count
    assert page["runs"] == 3


def runs_for(bare: float, hosted: list[float], floor: list[float]) -> dict:
    return {
        BARE: {"/": [fake_run(bare)] * len(hosted)},
        HOSTED: {"/": [fake_run(h) for h in hosted]},
        FLOOR: {"/": [fake_run(f) for f in floor]},
    }


def test_report_fails_a_hosted_page_judged_below_the_floor():
    text, missed, below = lighthouse_report(runs_for(1.0, [0.80] * 5, [0.88] * 5), QUIET)
    assert missed == []
    assert below == ["/: -0.08 against the floor"]
    assert "| -0.08 |" in text and "below the floor − 0.02" in text


def test_report_gives_no_figure_and_no_failure_for_a_noisy_page():
    hosted = [0.57, 0.66, 0.75, 0.85, 0.86]
    text, _, below = lighthouse_report(runs_for(1.0, hosted, [0.88] * 5), QUIET)
    assert below == []
    assert "| too noisy to judge |" in text
    assert "-0.13" not in text  # the median's distance, 0.75 - 0.88, is not printed


def test_report_fails_a_missed_bare_target_whatever_the_hosted_verdict():
    _, missed, below = lighthouse_report(runs_for(0.97, [0.88] * 5, [0.88] * 5), QUIET)
    assert missed == ["/: performance 0.97 < 0.98"]
    assert below == []


def test_parse_pages_keeps_the_order_given_and_refuses_unknown_pages():
    known = ["/", "/research/", "/cv/"]
    assert parse_pages("/cv/, /", known) == ["/cv/", "/"]
    with pytest.raises(argparse.ArgumentTypeError, match="/nope/"):
        parse_pages("/,/nope/", known)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_pages(",", known)


def test_arguments_default_to_five_runs_on_every_page_and_refuse_zero_runs():
    args = arguments([])
    assert args.runs == 5
    assert "/" in args.pages and "/cv/" in args.pages
    assert not args.skip_build_times
    short = arguments(["--runs", "2", "--pages", "/,/cv/", "--skip-build-times"])
    assert (short.runs, short.pages, short.skip_build_times) == (2, ["/", "/cv/"], True)
    with pytest.raises(SystemExit):
        arguments(["--runs", "0"])


def test_the_scale_section_runs_the_sizes_asked_for():
    assert arguments(["--scale"]).sizes == (10, 300, 1000)
    assert arguments(["--scale", "--sizes", "1000"]).sizes == (1000,)
    for bad in ("0", "a,10", ","):
        with pytest.raises(SystemExit):
            arguments(["--scale", "--sizes", bad])


def test_the_scale_table_gives_cpu_seconds_beside_wall_seconds():
    row = {"entries": 1000, "pages": 1013, "cold": 50.0, "cold_cpu": 45.5, "rebuild": 2.5,
           "rebuild_cpu": 2.25, "edit_pages": 3, "paper_pages": 4}  # fmt: skip
    assert "| 1000 | 1013 | 50.0 (45.5) | 2.50 (2.25) | 3 | 4 |" in scale_table([row])
