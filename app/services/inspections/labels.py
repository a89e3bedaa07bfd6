"""Words the inspection pages and documents use, and the dossier checklist (000:15, 001:18).

The eight dossier items are the same in every regulation that has them; which of them are
mandatory follows the texts: items written "(nếu có)" (if any) are not.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {"periodic": "Kiểm tra định kỳ (theo kế hoạch)", "ad_hoc": "Kiểm tra đột xuất"}
TRIGGERS = {
    "leader_request": "Theo yêu cầu của lãnh đạo",
    "signals": "Có dấu hiệu không thực hiện hoặc thực hiện không đúng nhiệm vụ",
    "other": "Theo đề nghị của cơ quan có thẩm quyền",
}
STATUSES = {
    "drafting": "Đang lập kế hoạch, đề xuất",
    "awaiting_decision": "Chờ quyết định kiểm tra",
    "revision_requested": "Trả lại để chỉnh sửa",
    "in_progress": "Đang kiểm tra",
    "reporting": "Đang lập báo cáo kết quả",
    "awaiting_review": "Chờ cho ý kiến về báo cáo",
    "concluded": "Đã kết luận, thông báo kết quả",
    "closed": "Đã kết thúc, lưu hồ sơ",
    "cancelled": "Không kiểm tra",
}
OPEN_STATUSES = (
    "drafting",
    "awaiting_decision",
    "revision_requested",
    "in_progress",
    "reporting",
    "awaiting_review",
)
SEVERITIES = {
    "none": "Không có vi phạm",
    "minor": "Nhẹ",
    "serious": "Nghiêm trọng",
    "very_serious": "Rất nghiêm trọng",
}
MEMBER_ROLES = {"head": "Trưởng đoàn", "member": "Thành viên", "invited": "Thành viên được mời bổ sung"}
PLAN_STATUSES = {"draft": "Dự thảo", "approved": "Đã phê duyệt"}
# Who may issue the decision (000:12.1, 001:15.1-2): the user role holding that power, per owner unit.
DECIDERS = {
    "chairman": "Chủ tịch UBND",
    "office_chief": "Chánh Văn phòng (trong phạm vi của Văn phòng)",
    "agency_head": "Thủ trưởng cơ quan (trong phạm vi cơ quan)",
}


@dataclass(frozen=True)
class DossierItem:
    no: int
    title: str
    is_mandatory: bool


DOSSIER_ITEMS = (
    DossierItem(1, "Quyết định kiểm tra, thành lập Đoàn kiểm tra", True),
    DossierItem(2, "Văn bản giao nhiệm vụ và các văn bản liên quan", True),
    DossierItem(3, "Văn bản theo dõi, đôn đốc (nếu có)", False),
    DossierItem(4, "Báo cáo, tài liệu phản ánh tình hình thực hiện nhiệm vụ", True),
    DossierItem(5, "Kế hoạch kiểm tra hoặc quyết định, văn bản chỉ đạo liên quan đến việc kiểm tra", True),
    DossierItem(6, "Biên bản, tài liệu liên quan đến nội dung kiểm tra", True),
    DossierItem(7, "Báo cáo kết quả kiểm tra", True),
    DossierItem(8, "Tài liệu khác có liên quan", False),
)
DOSSIER_BY_NO = {item.no: item for item in DOSSIER_ITEMS}
