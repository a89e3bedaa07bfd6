"""Benchmark of the working-day calendar (not a test): prints a markdown table.

    python scripts/bench_calendar.py [--calls 200000] [--repeat 5]

Calls per second are measured on warm tables (years 2020-2036 already built) over random dates in
2020-2035 and random n in 1..30, best of `--repeat` runs. The build cost is the one-off price of the
first query in a year: "cold" includes asking the holidays package, "warm" reuses its cached answer.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from app.calendar import (  # noqa: E402 - needs the path set above when run as a script
    PackageHolidays,
    WorkingCalendar,
    add_working_days,
    shipped_overrides,
)

FIRST, LAST = date(2020, 1, 1).toordinal(), date(2035, 12, 31).toordinal()


def best_rate(run: Callable[[], None], calls: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return calls / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=147)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    calls: int = args.calls

    # One-off build cost per year.
    years = list(range(2020, 2036))
    source = PackageHolidays()
    cold_cal = WorkingCalendar(shipped_overrides(), source=source)
    started = time.perf_counter()
    cold_cal.build_years(years[0], years[-1])
    cold_ms = (time.perf_counter() - started) * 1000 / len(years)
    warm_cal = WorkingCalendar(shipped_overrides(), source=source)
    started = time.perf_counter()
    warm_cal.build_years(years[0], years[-1])
    warm_ms = (time.perf_counter() - started) * 1000 / len(years)

    cal = warm_cal
    cal.build_years(2036, 2036)  # n <= 30 from late 2035 reaches into 2036
    days = [date.fromordinal(rng.randint(FIRST, LAST)) for _ in range(calls)]
    others = [date.fromordinal(rng.randint(FIRST, LAST)) for _ in range(calls)]
    ns = [rng.randint(1, 30) for _ in range(calls)]
    pairs = list(zip(days, ns, strict=True))
    spans = list(zip(days, others, strict=True))

    add = cal.add_working_days
    between = cal.working_days_between
    is_working = cal.is_working_day

    def run_add() -> None:
        for d, n in pairs:
            add(d, n)

    def run_add_module() -> None:
        for d, n in pairs:
            add_working_days(cal, d, n)

    def run_between() -> None:
        for a, b in spans:
            between(a, b)

    def run_is_working() -> None:
        for d in days:
            is_working(d)

    rows = [
        ("`cal.add_working_days(d, n)`", best_rate(run_add, calls, args.repeat)),
        ("`add_working_days(cal, d, n)` (module function)", best_rate(run_add_module, calls, args.repeat)),
        (
            "`cal.working_days_between(a, b)` (random pairs, up to 16 years apart)",
            best_rate(run_between, calls, args.repeat),
        ),
        ("`cal.is_working_day(d)`", best_rate(run_is_working, calls, args.repeat)),
    ]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{calls:,} calls per run, best of {args.repeat}.\n"
    )
    print("| operation | calls/s |")
    print("|---|---:|")
    for label, rate in rows:
        print(f"| {label} | {rate:,.0f} |")
    print(f"| build one year, cold (holidays package queried) | {cold_ms:.2f} ms/year |")
    print(f"| build one year, warm (holidays answer cached) | {warm_ms:.2f} ms/year |")


if __name__ == "__main__":
    main()
