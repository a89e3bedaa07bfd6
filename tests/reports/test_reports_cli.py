"""`flask reports ...`: the daily job, the schedule variant, the summary printout."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AppSetting


def test_start_due_opens_the_quarter_once_and_variant_switches_lao_cai_to_article_17(app, freeze):
    db.session.add(AppSetting(key="rules.profile", value="lao-cai-stc-2017"))
    db.session.commit()
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["reports", "variant"])
    assert "(mặc định của bảng quyết định)" in shown.output
    chosen = runner.invoke(args=["reports", "variant", "dieu_17"])
    assert chosen.exit_code == 0 and "dieu_17" in chosen.output
    freeze("2026-03-02T08:00:00+07:00")  # 10 working days before 16/03 (15/03 is a Sunday)
    opened = runner.invoke(args=["reports", "start-due"])
    assert opened.exit_code == 0, opened.output
    assert "Đã mở 1 kỳ báo cáo." in opened.output
    assert (
        "Báo cáo quý I năm 2026: cơ quan gửi trước 16/03/2026, Văn phòng tổng hợp trước 25/03/2026"
        in opened.output
    )
    assert "Đã mở 0 kỳ báo cáo." in runner.invoke(args=["reports", "start-due"]).output
    runner.invoke(args=["reports", "variant", "default"])
    assert db.session.get(AppSetting, "reports.schedule_variant").value == ""


@pytest.mark.slow
def test_summary_prints_the_categories_per_unit(register, app):
    result = app.test_cli_runner().invoke(
        args=["reports", "summary", "--from", "2026-01-01", "--to", "2026-03-20"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("unit\treceived")
    assert "skhdt\t3\t0\t0\t1\t2\t0,0%" in lines
    assert lines[-1] == "TOTAL\t9\t1\t2\t3\t3\t16,7%"
