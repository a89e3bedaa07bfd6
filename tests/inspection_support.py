"""Helpers for the inspection tests: open an inspection, find and complete work items over the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import AppSetting, AuditEvent, Inspection, Role, Unit
from app.services.inspections.opening import OpenRequest, open_inspection
from app.services.seed import demo_password, ensure_unit, ensure_user


def unit_id(code: str) -> int:
    found = db.session.scalar(select(Unit.id).where(Unit.code == code))
    assert found is not None, code
    return int(found)


def set_profile(profile: str | None) -> None:
    setting = db.session.get(AppSetting, "rules.profile")
    if setting is None:
        db.session.add(AppSetting(key="rules.profile", value=profile))
    else:
        setting.value = profile
    db.session.commit()


def open_as(user, **fields: Any) -> Inspection:  # type: ignore[no-untyped-def]
    inspection = open_inspection(user, OpenRequest(**fields))
    db.session.commit()
    return inspection


def item(client, title: str, scope: str = "all") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.get("/work-items", scope=scope, state="open")
    assert response.status_code == 200, response.json
    matching = [i for i in response.json if i["title"] == title]
    assert len(matching) == 1, (title, [i["title"] for i in response.json])
    return matching[0]


def complete(client, work_item: dict[str, Any], data: dict[str, Any], status: int = 200) -> Any:  # type: ignore[no-untyped-def]
    response = client.post(f"/work-items/{work_item['id']}/complete", {"data": data})
    assert response.status_code == status, response.json
    return response


def notices(inspection: Inspection, kind: str) -> list[dict[str, Any]]:
    """The notices (`model:notify` audit rows) of this inspection's process, of one kind."""
    rows = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.instance_id == inspection.instance_id, AuditEvent.action == "model:notify"
        )
    )
    return [r.details for r in rows if r.details.get("kind") == kind]


def proposal(subjects: list[str], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Kiểm tra việc thực hiện nhiệm vụ giải ngân vốn đầu tư công",
        "legal_basis": "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n"
        "Căn cứ Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ do UBND tỉnh giao.",
        "scope": "Các nhiệm vụ UBND tỉnh giao từ ngày 01/01/2026 đến ngày 31/03/2026.",
        "content": "Việc tổ chức triển khai, kết quả thực hiện; việc cập nhật thông tin và chế độ báo cáo.",
        "starts_on": "2026-04-22",
        "ends_on": "2026-04-28",
        "documents_due_on": "2026-04-24",
        "subject_unit_ids": [unit_id(code) for code in subjects],
        "team": [
            {
                "full_name": "Trần Thị Bình",
                "position": "Chánh Văn phòng UBND tỉnh",
                "role": "head",
                "username": "vp.chanh",
            },
            {
                "full_name": "Nguyễn Văn An",
                "position": "Chuyên viên Văn phòng",
                "role": "member",
                "username": "vp.chuyenvien",
            },
        ],
    }
    body.update(overrides)
    return body


def decision(number: str = "15", symbol: str = "QĐ-UBND", **overrides: Any) -> dict[str, Any]:
    body = {
        "decision": "issue",
        "decision_number": number,
        "decision_symbol": symbol,
        "signed_on": "2026-04-21",
        "signer_name": "Lê Văn Cường",
        "signer_title": "CHỦ TỊCH",
    }
    body.update(overrides)
    return body


def report(
    conclusion_units: list[str], recommendation_unit: str | None = None, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "report_number": "07",
        "report_symbol": "BC-ĐKT",
        "evaluation": "Các đơn vị cơ bản triển khai kịp thời; việc cập nhật kết quả trên hệ thống còn chậm.",
        "conclusions": [
            {
                "unit_id": unit_id(code),
                "finding": "Hoàn thành 8/10 nhiệm vụ đúng hạn; 2 nhiệm vụ quá hạn chưa hoàn thành.",
                "nature": "Chậm tiến độ, không báo cáo khó khăn kịp thời",
                "severity": "minor",
                "cause": "Chưa phân công cán bộ theo dõi",
                "responsibility": "Thủ trưởng đơn vị",
            }
            for code in conclusion_units
        ],
    }
    if recommendation_unit:
        body["recommendations"] = [
            {
                "content": "Khẩn trương hoàn thành 2 nhiệm vụ quá hạn, báo cáo kết quả về UBND tỉnh.",
                "lead_unit_id": unit_id(recommendation_unit),
                "due_on": "2026-06-30",
            }
        ]
    body.update(overrides)
    return body


def agency_people() -> None:
    """A department head, a section inside the Finance department and its focal officer."""
    password = demo_password()
    ensure_unit("stc-qlns", "Phòng Quản lý ngân sách", "section", "stc")
    ensure_user("stc.giamdoc", "Ngô Văn Khánh (Giám đốc Sở Tài chính)", [("stc", Role.AGENCY_HEAD)], password)
    ensure_user("stc.thanhtra", "Lý Thị Lan (Chánh Thanh tra Sở)", [("stc", Role.OFFICER)], password)
    ensure_user("stc-qlns.daumoi", "Mai Văn Minh (Phòng QLNS)", [("stc-qlns", Role.FOCAL_OFFICER)], password)
    ensure_user("hdtdkt", "Hội đồng Thi đua - Khen thưởng tỉnh", [("tinh", Role.EMULATION_COUNCIL)], password)
    db.session.commit()
