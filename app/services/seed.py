"""Demo data: a province with its Office, three departments and a district, users, directives.

Idempotent: units and users are matched by code and username, and the demo directives are only
created when none of them exists yet, so a second `flask init --demo` changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Directive, Role, Unit, User, UserRole, WorkItem
from app.services import directives, work_items
from app.services.calendar_admin import seed_shipped

DEFAULT_DEMO_PASSWORD = "DonDoc@2026"

UNITS = [
    ("tinh", "UBND tỉnh", "province", None),
    ("vp", "Văn phòng UBND tỉnh", "office", "tinh"),
    ("stc", "Sở Tài chính", "department", "tinh"),
    ("skhdt", "Sở Kế hoạch và Đầu tư", "department", "tinh"),
    ("sxd", "Sở Xây dựng", "department", "tinh"),
    ("huyen-a", "UBND huyện A", "district", "tinh"),
    ("huyen-b", "UBND huyện B", "district", "tinh"),
    ("stc-qlns", "Phòng Quản lý ngân sách (Sở Tài chính)", "section", "stc"),
]
# R7: an agency that still reports on paper; the Office enters its results.
NOT_CONNECTED = {"huyen-b"}

USERS = [
    ("admin", "Quản trị hệ thống", [("tinh", Role.ADMIN)]),
    ("analyst", "Ngô Thị Lan (phân tích quy trình)", [("tinh", Role.ANALYST)]),
    ("vp.chuyenvien", "Nguyễn Văn An (chuyên viên VP)", [("vp", Role.OFFICE_OFFICER)]),
    ("vp.chanh", "Trần Thị Bình (Chánh VP)", [("vp", Role.OFFICE_CHIEF), ("vp", Role.OFFICE_OFFICER)]),
    ("ct.ubnd", "Lê Văn Cường (Chủ tịch UBND)", [("tinh", Role.LEADER)]),
    ("stc.daumoi", "Phạm Thị Dung (đầu mối Sở Tài chính)", [("stc", Role.FOCAL_OFFICER)]),
    ("stc.giamdoc", "Ngô Văn Khoa (Giám đốc Sở Tài chính)", [("stc", Role.AGENCY_HEAD)]),
    ("skhdt.daumoi", "Hoàng Văn Em (đầu mối Sở KH&ĐT)", [("skhdt", Role.FOCAL_OFFICER)]),
    ("sxd.daumoi", "Vũ Thị Giang (đầu mối Sở Xây dựng)", [("sxd", Role.FOCAL_OFFICER)]),
    ("huyen-a.daumoi", "Đỗ Văn Hùng (đầu mối UBND huyện A)", [("huyen-a", Role.FOCAL_OFFICER)]),
    (
        "stc.qlns.truongphong",
        "Lý Thị Lan (Trưởng phòng Quản lý ngân sách)",
        [("stc-qlns", Role.SECTION_HEAD)],
    ),
    (
        "stc.qlns.chuyenvien",
        "Mai Văn Minh (chuyên viên Phòng Quản lý ngân sách)",
        [("stc-qlns", Role.OFFICER)],
    ),
]
# R14: who may read a separate register of confidential directives, and up to which level.
CLEARANCES = {"vp.chanh": "top_secret", "ct.ubnd": "top_secret"}


def demo_password() -> str:
    return os.environ.get("DONDOC_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


def ensure_unit(code: str, name: str, kind: str, parent_code: str | None) -> Unit:
    existing: Unit | None = db.session.scalar(select(Unit).where(Unit.code == code))
    if existing is not None:
        return existing
    parent = db.session.scalar(select(Unit).where(Unit.code == parent_code)) if parent_code else None
    unit = Unit(
        code=code, name=name, kind=kind, parent=parent, path="/", is_connected=code not in NOT_CONNECTED
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def ensure_user(username: str, full_name: str, roles: Sequence[tuple[str, str]], password: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username,
            full_name=full_name,
            created_at=clock.now(),
            clearance=CLEARANCES.get(username, "normal"),
        )
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    existing = {(r.unit.code, r.role) for r in user.roles}
    for unit_code, role in roles:
        if (unit_code, role) not in existing:
            unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
            assert unit is not None
            db.session.add(UserRole(user_id=user.id, unit_id=unit.id, role=str(role)))
    db.session.flush()
    db.session.refresh(user)
    return user


def seed_organisation() -> dict[str, User]:
    for code, name, kind, parent in UNITS:
        ensure_unit(code, name, kind, parent)
    password = demo_password()
    return {name: ensure_user(name, full, roles, password) for name, full, roles in USERS}


def seed_demo() -> bool:
    """Create the demo organisation, calendar swaps and directives; False when they existed already."""
    users = seed_organisation()
    seed_shipped()
    if db.session.scalar(select(Directive.id).where(Directive.symbol.like("%-UBND"))) is not None:
        return False
    today = clock.today()
    officer = users["vp.chuyenvien"]
    _register(
        officer,
        "125",
        "QĐ-UBND",
        "quyet_dinh",
        "Ban hành Kế hoạch cải cách hành chính năm 2027",
        today,
        [
            (
                "Xây dựng dự thảo kế hoạch cải cách hành chính của Sở",
                "stc",
                ["skhdt"],
                today + timedelta(days=30),
            )
        ],
    )
    classified = _register(
        officer,
        "48",
        "CT-UBND",
        "chi_thi",
        "Tăng cường giải ngân vốn đầu tư công",
        today - timedelta(days=7),
        [
            (
                "Rà soát, báo cáo tiến độ giải ngân vốn đầu tư công",
                "skhdt",
                ["stc"],
                today + timedelta(days=14),
            ),
            ("Đôn đốc các chủ đầu tư hoàn thiện hồ sơ thanh toán", "sxd", [], today + timedelta(days=21)),
            ("Bố trí đủ vốn đối ứng cho các dự án trọng điểm", "stc", ["skhdt"], today + timedelta(days=10)),
        ],
    )
    _classify(officer, classified)
    progressed = _register(
        officer,
        "310",
        "TB-UBND",
        "thong_bao_ket_luan",
        "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 10",
        today - timedelta(days=20),
        [
            ("Báo cáo tình hình thu ngân sách 10 tháng", "stc", [], today - timedelta(days=2)),
            ("Hoàn thiện quy hoạch chung đô thị huyện A", "huyen-a", ["sxd"], None),
        ],
    )
    _classify(officer, progressed)
    _walk_first_task_to_completion(progressed, users)
    return True


def _register(
    actor: User,
    number: str,
    symbol: str,
    doc_type: str,
    summary: str,
    issued_on: date,
    tasks: list[tuple[str, str, list[str], date | None]],
) -> Directive:
    payload = {
        "number": number,
        "symbol": symbol,
        "doc_type": doc_type,
        "summary": summary,
        "issued_on": issued_on.isoformat(),
        "signer": "Lê Văn Cường",
        "is_urgent": False,
        "tasks": [
            {
                "content": c,
                "lead_unit": lead,
                "coordinating_units": coord,
                "due_on": due.isoformat() if due else None,
            }
            for c, lead, coord, due in tasks
        ],
    }
    directive = directives.register_directive(directives.parse_directive(payload), actor)
    db.session.flush()
    return directive


def _open_item(directive: Directive, title: str) -> WorkItem:
    item: WorkItem | None = db.session.scalar(
        select(WorkItem)
        .where(WorkItem.directive_id == directive.id, WorkItem.state == "open", WorkItem.title == title)
        .order_by(WorkItem.id)
    )
    assert item is not None, title
    return item


def _classify(officer: User, directive: Directive) -> None:
    work_items.complete(
        officer, _open_item(directive, "Phân loại, giao nhiệm vụ"), {"origin_level": "province"}
    )
    db.session.flush()


def _walk_first_task_to_completion(directive: Directive, users: dict[str, User]) -> None:
    focal = users["stc.daumoi"]
    work_items.complete(focal, _open_item(directive, "Tiếp nhận nhiệm vụ"), {"decision": "accept"})
    work_items.complete(
        focal,
        _open_item(directive, "Báo cáo kết quả thực hiện"),
        {
            "result_summary": "Đã tổng hợp, báo cáo số thu ngân sách 10 tháng đạt 86% dự toán.",
            "completed_on": (clock.today() - timedelta(days=3)).isoformat(),
            "result_document": "412/BC-STC",
        },
    )
    work_items.complete(
        users["vp.chuyenvien"],
        _open_item(directive, "Xác nhận hoàn thành"),
        {"decision": "confirm", "quality": "good"},
    )
    db.session.flush()
