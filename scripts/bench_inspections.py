"""Benchmark of the inspection module (not a test): prints a markdown table.

    python scripts/bench_inspections.py [--tasks 50000] [--units 60] [--repeat 5]

On a fresh SQLite database built by the real migrations and model deployment:
- one whole inspection through the real engine (open, proposal, decision, two unit reports, conduct,
  report, approval, publication), per step;
- the signals view over `--tasks` tasks, as many work items and urging notices, spread over `--units`
  lead units (rows bulk-inserted; the query reads projections only);
- generating the decision and the result report (.docx), and the dossier archive with 40 files of 200 KB.
Times are the median of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from flask_migrate import upgrade  # noqa: E402 - needs the path set above when run as a script
from sqlalchemy import insert, select  # noqa: E402
from werkzeug.datastructures import FileStorage  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import AuditEvent, Directive, Inspection, Task, Unit, User, WorkItem  # noqa: E402
from app.services import work_items  # noqa: E402
from app.services.authz import can_act_on  # noqa: E402
from app.services.inspections import dossier, signals  # noqa: E402
from app.services.inspections.documents import decision_docx, report_docx  # noqa: E402
from app.services.inspections.opening import OpenRequest, open_inspection  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.seed import ensure_unit, seed_organisation  # noqa: E402


def median_ms(run: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def user(name: str) -> User:
    found = db.session.scalar(select(User).where(User.username == name))
    assert found is not None
    return found


def unit_id(code: str) -> int:
    return int(db.session.scalar(select(Unit.id).where(Unit.code == code)) or 0)


def step(username: str, title: str, data: dict[str, object]) -> None:
    actor = user(username)
    candidates = db.session.scalars(select(WorkItem).where(WorkItem.title == title, WorkItem.state == "open"))
    item = next(i for i in candidates if can_act_on(actor, i))
    work_items.complete(actor, item, data)
    db.session.commit()


def whole_inspection() -> tuple[Inspection, list[float]]:
    timings = []

    def timed(run: Callable[[], object]) -> None:
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)

    holder: list[Inspection] = []
    timed(
        lambda: holder.append(
            open_inspection(
                user("vp.chuyenvien"),
                OpenRequest(
                    kind="ad_hoc",
                    title="Kiểm tra đột xuất (đo hiệu năng)",
                    decider="chairman",
                    trigger="other",
                    reason="Đo thời gian các bước của quy trình kiểm tra.",
                ),
            )
        )
    )
    db.session.commit()
    team = [
        {"full_name": "Trần Thị Bình", "role": "head", "username": "vp.chanh"},
        {"full_name": "Nguyễn Văn An", "role": "member"},
    ]
    timed(
        lambda: step(
            "vp.chuyenvien",
            "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra",
            {
                "title": "Kiểm tra đột xuất (đo hiệu năng)",
                "legal_basis": "Căn cứ Quy chế theo dõi, đôn đốc, kiểm tra.",
                "scope": "Nhiệm vụ quý I năm 2026.",
                "content": "Kết quả thực hiện, cập nhật, báo cáo.",
                "starts_on": "2026-04-22",
                "ends_on": "2026-04-28",
                "documents_due_on": "2026-04-24",
                "subject_unit_ids": [unit_id("stc"), unit_id("sxd")],
                "team": team,
            },
        )
    )
    timed(
        lambda: step(
            "ct.ubnd",
            "Ban hành quyết định kiểm tra",
            {
                "decision": "issue",
                "decision_number": "15",
                "decision_symbol": "QĐ-UBND",
                "signed_on": "2026-04-21",
                "signer_name": "Lê Văn Cường",
                "signer_title": "CHỦ TỊCH",
            },
        )
    )
    for name in ("stc.daumoi", "sxd.daumoi"):
        timed(
            lambda name=name: step(
                name,
                "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra",
                {"report_summary": "Báo cáo tình hình thực hiện nhiệm vụ."},
            )
        )
    timed(
        lambda: step(
            "vp.chanh",
            "Tiến hành kiểm tra, lập biên bản",
            {"ended_on": "2026-04-28", "minutes_summary": "Đã lập biên bản."},
        )
    )
    timed(
        lambda: step(
            "vp.chanh",
            "Báo cáo kết quả kiểm tra",
            {
                "report_number": "07",
                "report_symbol": "BC-ĐKT",
                "evaluation": "Cơ bản hoàn thành nhiệm vụ.",
                "conclusions": [
                    {"unit_id": unit_id(c), "finding": "Hoàn thành phần lớn nhiệm vụ.", "severity": "minor"}
                    for c in ("stc", "sxd")
                ],
                "recommendations": [
                    {"content": "Hoàn thành các nhiệm vụ quá hạn.", "lead_unit_id": unit_id("sxd")}
                ],
            },
        )
    )
    timed(lambda: step("ct.ubnd", "Cho ý kiến về báo cáo kết quả kiểm tra", {"decision": "approve"}))
    timed(lambda: step("vp.chuyenvien", "Đăng tải công khai kết luận kiểm tra", {}))
    return holder[0], timings


def bulk_projections(tasks: int, units: int) -> int:
    """Insert tasks, their open work items and urging notices directly: the signals query reads only these."""
    unit_ids = [ensure_unit(f"bench-{i}", f"Đơn vị đo {i}", "department", "tinh").id for i in range(units)]
    office = db.session.scalar(select(Unit).where(Unit.code == "vp"))
    now, today = clock.now(), clock.today()
    directive = Directive(
        doc_type="chi_thi",
        number="1",
        symbol="CT-UBND",
        summary="Đo hiệu năng",
        issued_on=today - timedelta(days=90),
        signer="x",
        office_unit_id=office.id,
        status="tracking",
        created_at=now,
    )
    db.session.add(directive)
    db.session.flush()
    rows = [
        {
            "directive_id": directive.id,
            "seq": i,
            "content": f"Nhiệm vụ {i}",
            "lead_unit_id": unit_ids[i % units],
            "due_on": today + timedelta(days=(i % 40) - 20),
            "status": "in_progress",
            "status_changed_at": now,
            "created_at": now,
        }
        for i in range(tasks)
    ]
    db.session.execute(insert(Task), rows)
    task_ids = list(db.session.scalars(select(Task.id).where(Task.directive_id == directive.id)))
    instance_id = db.session.scalar(select(Inspection.instance_id))
    db.session.execute(
        insert(WorkItem),
        [
            {
                "instance_id": instance_id,
                "spiff_task_id": f"bench-{t}",
                "task_spec": "Task_report",
                "title": "Báo cáo",
                "candidate_role": "focal_officer",
                "candidate_unit_id": unit_ids[n % units],
                "state": "open",
                "due_on": today + timedelta(days=(n % 30) - 15),
                "task_id": t,
                "created_at": now,
            }
            for n, t in enumerate(task_ids)
        ],
    )
    db.session.execute(
        insert(AuditEvent),
        [
            {
                "at": now,
                "action": "model:notify",
                "task_id": t,
                "directive_id": directive.id,
                "details": {},
                "hash": "0" * 64,
            }
            for t in task_ids
        ],
    )
    db.session.commit()
    return len(task_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                "SECRET_KEY": "bench",
                "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
                "DONDOC_UPLOAD_DIR": f"{tmp}/uploads",
            }
        )
        with app.app_context():
            upgrade()
            deploy_directory()
            seed_organisation()
            clock.freeze(datetime(2026, 4, 20, 2, 0, tzinfo=UTC))
            db.session.commit()
            inspection, steps = whole_inspection()
            db.session.refresh(inspection)
            files = [
                FileStorage(
                    stream=io.BytesIO(b"%PDF-1.4" + os.urandom(200_000)), filename=f"tai-lieu-{i}.pdf"
                )
                for i in range(40)
            ]
            for i, upload in enumerate(files):
                dossier.add_document(
                    user("vp.chuyenvien"), inspection, item_no=1 + i % 8, title="", upload=upload
                )
            db.session.commit()
            db.session.refresh(inspection)
            rows = [
                ("whole inspection, 9 steps through the engine (ms, total)", sum(steps)),
                ("one step, median of the 9 (ms)", statistics.median(steps)),
                ("decision .docx (ms)", median_ms(lambda: decision_docx(inspection), args.repeat)),
                ("result report .docx (ms)", median_ms(lambda: report_docx(inspection), args.repeat)),
                (
                    "dossier archive, 40 files x 200 KB + generated (ms)",
                    median_ms(lambda: dossier.build_archive(inspection), args.repeat),
                ),
            ]
            count = bulk_projections(args.tasks, args.units)
            office = user("vp.chuyenvien")
            flagged = signals.unit_signals(office, today=date(2026, 4, 20))
            rows.append(
                (
                    f"signals view, {count} tasks + {count} work items + {count} notices, "
                    f"{args.units} units (ms)",
                    median_ms(lambda: signals.unit_signals(office), args.repeat),
                )
            )
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    print(f"Machine: {machine}, SQLite, median of {args.repeat}\n")
    print("| measure | value |\n|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value:.1f} |")
    marked = sum(1 for r in flagged if r.is_flagged(signals.Thresholds()))
    print(f"\nUnits flagged in the signals view: {marked}")


if __name__ == "__main__":
    main()
