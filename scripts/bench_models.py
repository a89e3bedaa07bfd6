"""Benchmark of model validation, deployment and instance migration (not a test): a markdown table.

    python scripts/bench_models.py [--instances 100] [--repeat 5]

Runs on a fresh SQLite database in a temporary directory with the fixture models of the tests
(`tests/fixtures/models/`: two processes, one decision table, forms). Times are the median of
`--repeat` runs; migration times are per instance, measured over `--instances` running tasks.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from flask_migrate import upgrade  # noqa: E402 - needs the path set above when run as a script
from sqlalchemy import select  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import ProcessInstance, ProcessModelVersion, User  # noqa: E402
from app.services import directives, instance_ops, model_workspace  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.seed import seed_organisation  # noqa: E402

MODELS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "models"


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return statistics.median(times)


def start_tasks(count: int, office: User) -> None:
    payload = {
        "number": "1",
        "symbol": "KH-UBND",
        "doc_type": "ke_hoach",
        "summary": "Đo hiệu năng",
        "issued_on": "2026-03-02",
        "signer": "Lê Văn Cường",
        "is_urgent": False,
        "tasks": [
            {"content": f"Nhiệm vụ {i}", "lead_unit": "stc", "due_on": "2026-03-31"} for i in range(count)
        ],
    }
    directive = directives.register_directive(directives.parse_directive(payload), office)
    from app.models import WorkItem
    from app.services import work_items

    item = db.session.scalars(select(WorkItem).where(WorkItem.directive_id == directive.id)).one()
    work_items.complete(office, item, {"origin_level": "province"})
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "bench",
                "DONDOC_BPMN_DIR": str(MODELS),
                "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
            }
        )
        with app.app_context():
            upgrade()
            deploy_directory()
            users = seed_organisation()
            db.session.commit()
            from datetime import datetime

            clock.freeze(datetime.fromisoformat("2026-03-02T09:00:00+07:00"))
            db.session.commit()
            dmn = model_workspace.get("rules/report_grace.dmn").content
            changed = {"rules/report_grace.dmn": dmn.replace("<text>3</text>", "<text>1</text>").encode()}
            rows = [
                (
                    "validate workspace (2 processes, 1 table, 5 forms)",
                    median_ms(lambda: model_workspace.validate(changed), args.repeat),
                ),
                (
                    "deploy a changed decision table (validate + store)",
                    median_ms(
                        lambda: model_workspace.deploy(changed, actor=users["analyst"], note="bench"),
                        args.repeat,
                    ),
                ),
            ]
            start_tasks(args.instances, users["vp.chuyenvien"])
            model_workspace.deploy(changed, actor=users["analyst"], note="bench")
            db.session.commit()
            versions = db.session.scalars(
                select(ProcessModelVersion)
                .where(ProcessModelVersion.process_id == "task_lifecycle")
                .order_by(ProcessModelVersion.version)
            ).all()
            source, target = versions[0], versions[-1]
            started = time.perf_counter()
            report = instance_ops.migration_report(source, target)
            dry = (time.perf_counter() - started) * 1000 / max(len(report), 1)
            instances = list(
                db.session.scalars(
                    select(ProcessInstance).where(
                        ProcessInstance.model_version_id == source.id, ProcessInstance.status == "running"
                    )
                )
            )
            started = time.perf_counter()
            moved = instance_ops.migrate(instances, target, actor=users["analyst"], reason="bench")
            db.session.commit()
            apply = (time.perf_counter() - started) * 1000 / max(len(moved), 1)
            rows += [
                (f"migration dry run, per instance ({len(report)} instances)", dry),
                (f"migrate and commit, per instance ({sum(r.plan.possible for r in moved)} moved)", apply),
            ]
    print(
        f"Model operations on {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, SQLite; median of {args.repeat}\n"
    )
    print("| operation | time (ms) |\n|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value:.1f} |")


if __name__ == "__main__":
    main()
