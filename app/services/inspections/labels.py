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

# The timeline names each recorded step and notice in words.
EVENTS = {
    "inspection_opened": "Mở đợt kiểm tra",
    "process_started": "Bắt đầu quy trình kiểm tra",
    "inspection:drafting": "Lập kế hoạch, đề xuất kiểm tra",
    "inspection:proposed": "Trình dự thảo kế hoạch, đề xuất và Đoàn kiểm tra",
    "inspection:revision_requested": "Yêu cầu chỉnh sửa kế hoạch, đề xuất",
    "inspection:cancelled": "Quyết định không kiểm tra",
    "inspection:decided": "Ban hành quyết định kiểm tra",
    "inspection:unit_reported": "Đơn vị được kiểm tra đã báo cáo, cung cấp hồ sơ",
    "inspection:documents_due_reminder": "Nhắc hạn cung cấp hồ sơ",
    "inspection:documents_overdue": "Quá hạn cung cấp hồ sơ",
    "inspection:conducted": "Kết thúc kiểm tra, lập biên bản",
    "inspection:reporting": "Lập báo cáo kết quả kiểm tra",
    "inspection:report_due_reminder": "Nhắc hạn báo cáo kết quả",
    "inspection:report_overdue": "Quá hạn báo cáo kết quả kiểm tra",
    "inspection:reported": "Gửi báo cáo kết quả kiểm tra",
    "inspection:report_sent_back": "Yêu cầu hoàn thiện báo cáo",
    "inspection:concluded": "Đồng ý kết luận, thông báo kết quả",
    "inspection:published": "Công khai kết luận kiểm tra",
    "inspection:closed": "Kết thúc, lưu hồ sơ kiểm tra",
    "inspection_document_added": "Đưa tài liệu vào hồ sơ",
    "inspection_member_invited": "Mời thêm thành viên Đoàn kiểm tra",
    "inspection_conclusions_published": "Công khai kết luận kiểm tra",
    "inspection_followup_registered": "Giao thực hiện kiến nghị",
    "work_item_claimed": "Nhận xử lý",
    "work_item_unclaimed": "Trả công việc về đơn vị",
}
NOTICES = {
    "inspection_decision_issued": "Quyết định kiểm tra đã ban hành",
    "inspection_documents_due": "Nhắc hạn báo cáo, cung cấp hồ sơ",
    "inspection_documents_overdue": "Quá hạn báo cáo, cung cấp hồ sơ",
    "inspection_report_due": "Nhắc hạn báo cáo kết quả kiểm tra",
    "inspection_report_overdue": "Quá hạn báo cáo kết quả kiểm tra",
    "inspection_result": "Thông báo kết quả kiểm tra",
}
RECIPIENTS = {
    "focal_officer": "đầu mối đơn vị",
    "leader": "Chủ tịch UBND",
    "agency_head": "Thủ trưởng cơ quan",
    "office_chief": "Chánh Văn phòng",
    "emulation_council": "Hội đồng Thi đua - Khen thưởng",
    "inspection_team_head": "Trưởng Đoàn kiểm tra",
}
