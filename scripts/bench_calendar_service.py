"""Benchmark of the calendar in force and of deadline recomputation (not a test): prints a markdown table.

    python scripts/bench_calendar_service.py [--directives 300] [--calls 50000]

Runs on a throw-away SQLite database (real migrations, real models, real engine):

* the model-script helper `add_working_days(iso, n)` through `current_calendar()`: many calls in one
  database transaction (the calendar is cached for the transaction), and the first call of each new
  transaction (one read of the revision stamp, as at the start of every request or sweep step);
* `deadline_moves.preview()` and `deadline_moves.apply()` after a day off is added under every open
  classification deadline of `--directives` registered directives (two records each: the step and
  the directive; `apply` also moves each process's variable and reminder).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from flask_migrate import upgrade  # noqa: E402 - needs the path set above when run as a script
from sqlalchemy import select  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.calendar import Override  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.services import calendar_admin, deadline_moves, directives  # noqa: E402
from app.services.calendar_service import add_working_days  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.seed import seed_organisation  # noqa: E402


def rate(calls: int, run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return calls / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--directives", type=int, default=300)
    parser.add_argument("--calls", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(148)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
            }
        )
        with app.app_context():
            upgrade()
            deploy_directory()
            seed_organisation()
            calendar_admin.seed_shipped()
            clock.freeze(datetime.fromisoformat("2026-04-29T09:00:00+07:00"))
            db.session.commit()
            rows = run_benchmarks(args.directives, args.calls, rng)
    print("| measure | value |\n|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(f"\nPython {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, SQLite.")


def run_benchmarks(count: int, calls: int, rng: random.Random) -> list[tuple[str, str]]:
    first = date(2020, 1, 1).toordinal()
    starts = [date.fromordinal(first + rng.randint(0, 5800)).isoformat() for _ in range(calls)]
    ns = [rng.randint(1, 30) for _ in range(calls)]
    pairs = list(zip(starts, ns, strict=True))

    def helper_calls() -> None:
        for start, n in pairs:
            add_working_days(start, n)

    def first_calls() -> None:
        for start, n in pairs[:2000]:
            db.session.rollback()  # a new transaction: the stamp is read again
            add_working_days(start, n)

    add_working_days("2026-01-01", 1)
    in_transaction = rate(calls, helper_calls)
    first_of_transaction = rate(2000, first_calls)

    officer = db.session.scalar(select(User).where(User.username == "vp.chuyenvien"))
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    started = time.perf_counter()
    for i in range(count):
        payload = {
            "number": str(1000 + i),
            "symbol": "QĐ-UBND",
            "doc_type": "quyet_dinh",
            "summary": f"Văn bản thử {i}",
            "issued_on": "2026-04-29",
            "signer": "Lê Văn Cường",
            "tasks": [{"content": f"Nhiệm vụ {i}", "lead_unit": "stc", "due_on": "2026-06-30"}],
        }
        directives.register_directive(directives.parse_directive(payload), officer)
    db.session.commit()
    register_ms = (time.perf_counter() - started) * 1000 / count

    calendar_admin.set_override(admin, Override(date(2026, 5, 4), "off", "Nghỉ thêm", "TB thử"))
    db.session.commit()
    started = time.perf_counter()
    preview = deadline_moves.preview()
    preview_s = time.perf_counter() - started
    started = time.perf_counter()
    applied = deadline_moves.apply(admin, preview.revision)
    db.session.commit()
    apply_s = time.perf_counter() - started
    assert len(applied.moves) == 2 * count, len(applied.moves)
    return [
        ("`add_working_days(iso, n)` helper, calls in one transaction (calls/s)", f"{in_transaction:,.0f}"),
        ("first helper call of a transaction, stamp read included (calls/s)", f"{first_of_transaction:,.0f}"),
        (
            "register a directive with one task, engine step and deadline records (ms each)",
            f"{register_ms:.1f}",
        ),
        (f"`deadline_moves.preview()` over {2 * count} open deadlines that move (s)", f"{preview_s:.2f}"),
        (f"`deadline_moves.apply()` of {2 * count} moves, {count} processes moved (s)", f"{apply_s:.2f}"),
    ]


if __name__ == "__main__":
    main()
