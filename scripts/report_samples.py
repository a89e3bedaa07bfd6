"""Sample report files and screenshots to look at (not a test).

    python scripts/report_samples.py [--out test-artifacts/reports] [--extra-tasks 400] [--pdf] [--screens]

Builds the known register of tests/reports/dataset.py (quarter I of 2026, quynh-nhai-2015) through the
real API and engine, adds `--extra-tasks` synthetic tasks of January-March 2026 so the charts have
something to show, then writes Appendix 01, the quarter's workbook and its Word report. `--pdf`
converts them with LibreOffice and renders the pages to PNG (pdftoppm); `--screens` takes
screenshots of the dashboard, a report period, a pre-filled agency report and the public page in
Debian's chromium.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import clock  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import ReportPeriod, Unit, User, WorkItem  # noqa: E402
from app.services import work_items  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.reports import documents, periods  # noqa: E402
from app.services.reports.scope import build_scope  # noqa: E402
from app.services.seed import demo_password, seed_organisation  # noqa: E402
from app.services.timers import run_due  # noqa: E402
from scripts import chromium  # noqa: E402
from scripts.bench_reports import build_register  # noqa: E402
from tests.conftest import make_app  # noqa: E402
from tests.reports import dataset  # noqa: E402


def build(database: Path, extra_tasks: int) -> int:
    """The known register plus synthetic tasks; returns the id of an open ad hoc period."""
    app = make_app(f"sqlite:///{database}")
    with app.app_context():
        upgrade()
        deploy_directory()
        seed_organisation()
        db.session.commit()
        dataset.build_through(app.test_client())
        if extra_tasks:
            build_register(
                extra_tasks,
                7,
                first=date(2026, 1, 2),
                last=date(2026, 3, 25),
                today=date(2026, 3, 26),
                extra_units=0,
            )
        chairman = db.session.scalar(select(User).where(User.username == "ct.ubnd"))
        agencies = list(
            db.session.scalars(select(Unit.id).where(Unit.code.in_(["stc", "skhdt", "sxd", "huyen-a"])))
        )
        request = periods.AdHocRequest(
            "Báo cáo tình hình thực hiện nhiệm vụ phục vụ phiên họp UBND tháng 3",
            date(2026, 3, 31),
            date(2026, 4, 2),
            agencies,
            "Chuẩn bị phiên họp thường kỳ",
        )
        period = periods.request_ad_hoc(chairman, request)
        db.session.commit()
        publish_one(chairman)
        return period.id


def publish_one(chairman: User) -> None:
    """A second ad hoc report taken through to approval and publication, for the public page."""
    agencies = list(
        db.session.scalars(select(Unit.id).where(Unit.code.in_(["stc", "skhdt", "sxd", "huyen-a"])))
    )
    request = periods.AdHocRequest(
        "Báo cáo kết quả thực hiện nhiệm vụ quý I năm 2026", date(2026, 3, 27), date(2026, 3, 30), agencies
    )
    period = periods.request_ad_hoc(chairman, request)
    db.session.commit()
    run_due(datetime.fromisoformat("2026-03-28T00:05:00+07:00"))  # the agencies' deadline has passed
    office = db.session.scalar(select(User).where(User.username == "vp.chanh"))
    consolidate = _open_item(period.instance_id)
    work_items.complete(
        office,
        consolidate,
        {
            "summary": "Các cơ quan cơ bản hoàn thành nhiệm vụ.",
            "obstacles": "Không có.",
            "proposals": "Không có.",
        },
    )
    work_items.complete(chairman, _open_item(period.instance_id), {"decision": "approve", "publish": True})
    db.session.commit()


def _open_item(instance_id: int | None) -> WorkItem:
    item = db.session.scalar(
        select(WorkItem).where(WorkItem.instance_id == instance_id, WorkItem.state == "open")
    )
    assert item is not None
    return item


def write_files(database: Path, out: Path) -> list[Path]:
    app = make_app(f"sqlite:///{database}")
    written = []
    with app.app_context():
        province = db.session.scalar(select(Unit).where(Unit.code == "tinh"))
        office = db.session.scalar(select(Unit).where(Unit.code == "vp"))
        period = ReportPeriod(
            period_key="sample:q1", kind="quarter", year=2026, seq=1, title="Báo cáo quý I năm 2026",
            period_start=date(2026, 1, 1), cutoff_on=date(2026, 3, 20), agency_due_on=date(2026, 3, 20),
            office_due_on=date(2026, 3, 25), office_unit_id=office.id, scope_unit_id=province.id,
            status="awaiting_approval", created_at=clock.now(), citation="000:19.1, 000:19.2",
            consolidated={
                "summary": "Các cơ quan cơ bản hoàn thành nhiệm vụ được giao; một số nhiệm vụ về đầu tư công "
                           "còn chậm so với yêu cầu.",
                "obstacles": "- Sở Kế hoạch và Đầu tư: thiếu số liệu giải ngân của các chủ đầu tư.",
                "proposals": "- Đề nghị Chủ tịch chỉ đạo các chủ đầu tư báo cáo số liệu giải ngân hằng tuần.",
            },
        )  # fmt: skip
        db.session.add(period)
        db.session.flush()
        files = [
            documents.appendix_xlsx(build_scope(province), date(2026, 3, 20)),
            documents.period_xlsx(period),
            documents.period_docx(period),
        ]
        db.session.rollback()
    out.mkdir(parents=True, exist_ok=True)
    for file in files:
        target = out / file.name
        target.write_bytes(file.content)
        written.append(target)
    return written


def to_png(files: list[Path], out: Path) -> None:
    for file in files:
        target = out / file.suffix.lstrip(".")  # an .xlsx and a .docx of one report share their name
        target.mkdir(exist_ok=True)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(target), str(file)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = target / (file.stem + ".pdf")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", str(pdf), str(target / file.stem)], check=True, timeout=120
        )
        print(f"{file.name}: {sorted(p.name for p in target.glob(file.stem + '*.png'))}")


def screenshots(database: Path, out: Path, period_id: int) -> None:
    from playwright.sync_api import sync_playwright

    port = 5098
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DONDOC_ALLOW_CLOCK_OVERRIDE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        time.sleep(4)
        with sync_playwright() as p:
            browser = chromium.launch(p)

            def session(username: str):  # noqa: ANN202
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.goto(f"{base}/login")
                page.fill("#username", username)
                page.fill("#password", demo_password())
                page.click("button[type=submit]")
                page.wait_for_load_state()
                return page

            office = session("vp.chanh")
            office.goto(f"{base}/reports/dashboard?from=01/01/2026&to=26/03/2026", wait_until="networkidle")
            office.screenshot(path=str(out / "reports-dashboard.png"), full_page=True)
            office.goto(f"{base}/reports/periods/{period_id}", wait_until="networkidle")
            office.screenshot(path=str(out / "reports-period.png"), full_page=True)
            office.goto(
                f"{base}/reports/tasks?from=01/01/2026&to=20/03/2026&category=overdue", wait_until="load"
            )
            office.screenshot(path=str(out / "reports-drilldown-overdue.png"))
            office.goto(f"{base}/reports/scorecards?year=2026", wait_until="load")
            office.screenshot(path=str(out / "reports-scorecards.png"), full_page=True)
            agency = session("skhdt.daumoi")
            agency.goto(f"{base}/inbox")
            agency.click("text=Gửi báo cáo định kỳ")
            agency.wait_for_load_state()
            agency.screenshot(path=str(out / "reports-agency-form-prefilled.png"), full_page=True)
            public = browser.new_page(viewport={"width": 1366, "height": 900})
            public.goto(f"{base}/public/")
            public.screenshot(path=str(out / "reports-public.png"), full_page=True)
            public.click("text=Báo cáo kết quả thực hiện nhiệm vụ quý I năm 2026")
            public.wait_for_load_state()
            public.screenshot(path=str(out / "reports-public-period.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="test-artifacts/reports")
    parser.add_argument("--extra-tasks", type=int, default=400)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--screens", action="store_true")
    args = parser.parse_args()
    out = Path(args.out).resolve()
    database = Path(tempfile.mkdtemp(prefix="report-samples-")) / "samples.sqlite3"
    period_id = build(database, args.extra_tasks)
    files = write_files(database, out)
    print("written:", ", ".join(f.name for f in files))
    if args.pdf:
        to_png(files, out)
    if args.screens:
        screenshots(database, out, period_id)
    print(f"database: {database}")


if __name__ == "__main__":
    main()
