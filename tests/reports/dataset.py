"""A known register, built through the real API and engine with a frozen clock.

Quarter I of 2026 under the quynh-nhai-2015 profile (000:19): tasks assigned from 01/01/2026,
figures at the end of 20/03/2026 (the agencies' deadline). What each task must count as:

| task | unit | directive (issued) | deadline | what happens | at 20/03/2026 |
|---|---|---|---|---|---|
| a1 | stc | A 05/01 | 30/01 | done 28/01, quality good | completed on time |
| a2 | stc | A 05/01 | 10/02 | done 13/02, quality fair | completed late |
| a3 | skhdt | A 05/01 | 27/02 | accepted, not reported; urged 05/03 | overdue 21 days, late update |
| a4 | skhdt | A 05/01 | 30/04 | accepted | in progress on time |
| b5 | sxd | B 02/02 (confidential) | 10/03 | never accepted | overdue 10 days, late update |
| b6 | stc | B 02/02 (confidential) | none | not received (separate register) | in progress on time |
| c7 | huyen-a | C 02/03 (department) | 16/03 | done 18/03, quality poor | completed late |
| c8 | huyen-a | C 02/03 (department) | 31/03 | returned, cancelled 05/03 | not counted |
| c9 | sxd | C 02/03 (department) | 20/03 | accepted | in progress on time (deadline day not over) |
| c12 | skhdt | C 02/03 (department) | 13/03 | done 24/03 (after the cut-off) | overdue 7 days, late update |
| d10 | stc | D 25/03 | 10/04 | registered after the cut-off | not in Q1 |
| e11 | stc | E 15/12/2025 | 15/01 | accepted | not in Q1 (assigned in 2025) |
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AppSetting, User, WorkItem
from app.services.tokens import issue_token
from tests.conftest import Api

OFFICE = "vp.chuyenvien"
FOCAL = {"stc": "stc.daumoi", "skhdt": "skhdt.daumoi", "sxd": "sxd.daumoi", "huyen-a": "huyen-a.daumoi"}


class Register:
    """Drives the API as the Office and the agencies; remembers task ids by their label."""

    def __init__(self, api: Any, freeze: Any) -> None:
        self.api, self.freeze = api, freeze
        self.clients: dict[str, Any] = {}
        self.tasks: dict[str, int] = {}
        self.directives: dict[str, int] = {}

    def client(self, username: str) -> Any:
        if username not in self.clients:
            self.clients[username] = self.api(username)
        return self.clients[username]

    def at(self, day: str) -> None:
        self.freeze(f"{day}T09:00:00+07:00")

    def open_item(self, title: str, **where: int) -> WorkItem:
        query = select(WorkItem).where(WorkItem.state == "open", WorkItem.title == title)
        for key, value in where.items():
            query = query.where(getattr(WorkItem, key) == value)
        item = db.session.scalar(query.order_by(WorkItem.id))
        assert item is not None, where
        return item

    def complete(self, username: str, item: WorkItem, data: dict[str, Any]) -> None:
        response = self.client(username).post(f"/work-items/{item.id}/complete", {"data": data})
        assert response.status_code == 200, response.get_json()

    def register(
        self, key: str, number: str, symbol: str, issued: str, tasks: list[tuple[str, ...]], **extra: Any
    ) -> None:
        payload = {
            "number": number,
            "symbol": symbol,
            "doc_type": "quyet_dinh",
            "summary": extra.pop("summary", f"Văn bản {key} giao nhiệm vụ"),
            "issued_on": issued,
            "signer": "Lê Văn Cường",
            "tasks": [
                {"content": content, "lead_unit": unit, "due_on": due or None, **task_extra}
                for (label, unit, content, due), task_extra in tasks
            ],
            **extra,
        }
        created = self.client(OFFICE).post("/directives", payload)
        assert created.status_code == 201, created.get_json()
        body = created.get_json()
        self.directives[key] = body["id"]
        for ((label, *_), _extra), task in zip(tasks, body["tasks"], strict=True):
            self.tasks[label] = task["id"]

    def classify(self, key: str, origin_level: str = "province", *, by: str = OFFICE) -> None:
        item = self.open_item("Phân loại, giao nhiệm vụ", directive_id=self.directives[key])
        self.complete(by, item, {"origin_level": origin_level})

    def accept(self, label: str, unit: str) -> None:
        item = self.open_item("Tiếp nhận nhiệm vụ", task_id=self.tasks[label])
        self.complete(FOCAL[unit], item, {"decision": "accept"})

    def done(self, label: str, unit: str, completed_on: str, quality: str) -> None:
        self.complete(
            FOCAL[unit],
            self.open_item("Báo cáo kết quả thực hiện", task_id=self.tasks[label]),
            {
                "action": "complete",
                "result_summary": f"Đã hoàn thành nhiệm vụ {label}.",
                "completed_on": completed_on,
                "result_document": f"{label.upper()}/BC-KQ",
            },
        )
        self.complete(
            OFFICE,
            self.open_item("Xác nhận hoàn thành", task_id=self.tasks[label]),
            {"decision": "confirm", "quality": quality, "effectiveness": "high"},
        )


def build_through(client: Any) -> Register:
    """Build the register through the JSON API of `client`'s app (inside its app context), with
    each user's real bearer token and the business clock frozen at each step's instant."""

    def api(username: str) -> Api:
        token = issue_token(db.session.scalar(select(User).where(User.username == username)))
        db.session.commit()
        return Api(client, token)

    def freeze(instant: str) -> None:
        clock.freeze(datetime.fromisoformat(instant))
        db.session.commit()

    return build(api, freeze)


def build(api: Any, freeze: Any) -> Register:
    db.session.add(AppSetting(key="rules.profile", value="quynh-nhai-2015"))
    db.session.commit()
    r = Register(api, freeze)
    finance = {"field": "Tài chính - ngân sách", "leader": "ct.ubnd"}
    r.at("2025-12-15")
    r.register(
        "E",
        "201",
        "QĐ-UBND",
        "2025-12-15",
        [(("e11", "stc", "Quyết toán ngân sách năm 2025", "2026-01-15"), {})],
    )
    r.classify("E")
    r.accept("e11", "stc")

    r.at("2026-01-05")
    r.register(
        "A",
        "15",
        "QĐ-UBND",
        "2026-01-05",
        [
            (
                ("a1", "stc", "Lập dự toán thu chi ngân sách quý I", "2026-01-30"),
                {**finance, "is_public": True},
            ),
            (("a2", "stc", "Rà soát các khoản nợ đọng xây dựng cơ bản", "2026-02-10"), finance),
            (("a3", "skhdt", "Báo cáo tiến độ giải ngân vốn đầu tư công", "2026-02-27"), {}),
            (("a4", "skhdt", "Xây dựng kế hoạch đầu tư công trung hạn", "2026-04-30"), {}),
        ],
        summary="Giao nhiệm vụ phát triển kinh tế - xã hội quý I năm 2026",
    )
    r.classify("A")
    for label, unit in (("a1", "stc"), ("a2", "stc"), ("a3", "skhdt"), ("a4", "skhdt")):
        r.accept(label, unit)

    r.at("2026-01-28")
    r.done("a1", "stc", "2026-01-28", "good")

    r.at("2026-02-02")
    r.register(
        "B",
        "22",
        "CT-UBND",
        "2026-02-02",
        [
            (
                ("b5", "sxd", "Kiểm tra bí mật hồ sơ công trình trọng điểm K9", "2026-03-10"),
                {"is_public": True},
            ),
            (("b6", "stc", "Thẩm định bí mật kinh phí dự án K9", ""), {}),
        ],
        summary="Chỉ thị mật về công trình K9",
        confidentiality="confidential",
    )
    # Quỳnh Nhai keeps confidential directives in a separate register (R14, 000:5.2): only cleared
    # staff (the Office chief) see them, so b6 stays "not received" (the same category, no deadline).
    r.classify("B", by="vp.chanh")

    r.at("2026-02-13")
    r.done("a2", "stc", "2026-02-13", "fair")

    r.at("2026-03-02")
    r.register(
        "C",
        "30",
        "TB-VP",
        "2026-03-02",
        [
            (
                ("c7", "huyen-a", "Hoàn thiện hồ sơ quy hoạch chung đô thị", "2026-03-16"),
                {"field": "Xây dựng"},
            ),
            (("c8", "huyen-a", "Di dời chợ tạm khu trung tâm", "2026-03-31"), {"field": "Xây dựng"}),
            (("c9", "sxd", "Ban hành đơn giá xây dựng mới", "2026-03-20"), {"field": "Xây dựng"}),
            (("c12", "skhdt", "Tổng hợp nhu cầu vốn năm 2027", "2026-03-13"), {}),
        ],
        summary="Thông báo kết luận giao ban Sở",
    )
    r.classify("C", origin_level="department")
    r.accept("c7", "huyen-a")
    r.complete(
        FOCAL["huyen-a"],
        r.open_item("Tiếp nhận nhiệm vụ", task_id=r.tasks["c8"]),
        {"decision": "return", "reason": "Nhiệm vụ thuộc thẩm quyền của Sở Công Thương."},
    )
    r.accept("c9", "sxd")
    r.accept("c12", "skhdt")

    r.at("2026-03-05")
    r.complete(
        OFFICE,
        r.open_item("Xử lý nhiệm vụ bị trả lại", task_id=r.tasks["c8"]),
        {"decision": "cancel", "reason": "Dừng thực hiện theo chỉ đạo."},
    )
    urged = r.client(OFFICE).post(
        "/urgings",
        {
            "task_ids": [r.tasks["a3"]],
            "message": "Đề nghị Sở Kế hoạch và Đầu tư khẩn trương báo cáo kết quả.",
            "doc_reference": "45/VP-TH",
            "doc_date": "2026-03-05",
            "doc_signer": "Nguyễn Văn Chánh",
        },
    )
    assert urged.status_code == 201, urged.get_json()

    r.at("2026-03-18")
    r.done("c7", "huyen-a", "2026-03-18", "poor")

    r.at("2026-03-24")
    r.done("c12", "skhdt", "2026-03-24", "good")

    r.at("2026-03-25")
    r.register(
        "D",
        "40",
        "QĐ-UBND",
        "2026-03-25",
        [(("d10", "stc", "Chuẩn bị hội nghị sơ kết quý I", "2026-04-10"), {})],
    )
    r.classify("D")
    r.at("2026-03-26")
    return r


def concluded_inspection(
    unit_code: str, severity: str, *, title: str, finding: str, published: bool = True
) -> None:
    """An ad hoc inspection concluded on 20/03/2026 with one conclusion about `unit_code`, as the
    inspection process leaves it (tests of the public page and the scorecards read these rows)."""
    from datetime import date, datetime

    from app.models import Inspection, InspectionConclusion, Unit

    units = {u.code: u for u in db.session.scalars(select(Unit))}
    at = datetime.fromisoformat("2026-03-20T10:00:00+07:00")
    inspection = Inspection(
        kind="ad_hoc",
        trigger="signals",
        status="concluded",
        title=title,
        owner_unit_id=units["vp"].id,
        leader_unit_id=units["tinh"].id,
        leader_role="leader",
        office_unit_id=units["vp"].id,
        decision_number="12",
        decision_symbol="QĐ-UBND",
        decision_signed_on=date(2026, 3, 2),
        concluded_on=date(2026, 3, 20),
        created_at=at,
    )
    inspection.conclusions = [
        InspectionConclusion(
            unit_id=units[unit_code].id,
            finding=finding,
            nature="Vi phạm quy chế báo cáo",
            severity=severity,
            cause="Thiếu cán bộ theo dõi",
            responsibility="Người đứng đầu đơn vị",
            published_at=at if published else None,
        )
    ]
    db.session.add(inspection)
    db.session.commit()
