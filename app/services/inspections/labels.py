"""Words the inspection pages and documents use, and the dossier checklist (000:15, 001:18).

The eight dossier items are the same in every regulation that has them; which of them are
mandatory follows the texts: items written "(nếu có)" (if any) are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n_marker import N_

KINDS = {"periodic": N_("Kiểm tra định kỳ (theo kế hoạch)"), "ad_hoc": N_("Kiểm tra đột xuất")}
TRIGGERS = {
    "leader_request": N_("Theo yêu cầu của lãnh đạo"),
    "signals": N_("Có dấu hiệu không thực hiện hoặc thực hiện không đúng nhiệm vụ"),
    "other": N_("Theo đề nghị của cơ quan có thẩm quyền"),
}
STATUSES = {
    "drafting": N_("Đang lập kế hoạch, đề xuất"),
    "awaiting_decision": N_("Chờ quyết định kiểm tra"),
    "revision_requested": N_("Trả lại để chỉnh sửa"),
    "in_progress": N_("Đang kiểm tra"),
    "reporting": N_("Đang lập báo cáo kết quả"),
    "awaiting_review": N_("Chờ cho ý kiến về báo cáo"),
    "concluded": N_("Đã kết luận, thông báo kết quả"),
    "closed": N_("Đã kết thúc, lưu hồ sơ"),
    "cancelled": N_("Không kiểm tra"),
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
    "none": N_("Không có vi phạm"),
    "minor": N_("Nhẹ"),
    "serious": N_("Nghiêm trọng"),
    "very_serious": N_("Rất nghiêm trọng"),
}
MEMBER_ROLES = {
    "head": N_("Trưởng đoàn"),
    "member": N_("Thành viên"),
    "invited": N_("Thành viên được mời bổ sung"),
}
PLAN_STATUSES = {"draft": N_("Dự thảo"), "approved": N_("Đã phê duyệt")}
# Who may issue the decision (000:12.1, 001:15.1-2): the user role holding that power, per owner unit.
DECIDERS = {
    "chairman": N_("Chủ tịch UBND"),
    "office_chief": N_("Chánh Văn phòng (trong phạm vi của Văn phòng)"),
    "agency_head": N_("Thủ trưởng cơ quan (trong phạm vi cơ quan)"),
}


@dataclass(frozen=True)
class DossierItem:
    no: int
    title: str
    is_mandatory: bool


DOSSIER_ITEMS = (
    DossierItem(1, N_("Quyết định kiểm tra, thành lập Đoàn kiểm tra"), True),
    DossierItem(2, N_("Văn bản giao nhiệm vụ và các văn bản liên quan"), True),
    DossierItem(3, N_("Văn bản theo dõi, đôn đốc (nếu có)"), False),
    DossierItem(4, N_("Báo cáo, tài liệu phản ánh tình hình thực hiện nhiệm vụ"), True),
    DossierItem(
        5, N_("Kế hoạch kiểm tra hoặc quyết định, văn bản chỉ đạo liên quan đến việc kiểm tra"), True
    ),
    DossierItem(6, N_("Biên bản, tài liệu liên quan đến nội dung kiểm tra"), True),
    DossierItem(7, N_("Báo cáo kết quả kiểm tra"), True),
    DossierItem(8, N_("Tài liệu khác có liên quan"), False),
)
DOSSIER_BY_NO = {item.no: item for item in DOSSIER_ITEMS}

# The timeline names each recorded step and notice in words.
EVENTS = {
    "inspection_opened": N_("Mở đợt kiểm tra"),
    "process_started": N_("Bắt đầu quy trình kiểm tra"),
    "inspection:drafting": N_("Lập kế hoạch, đề xuất kiểm tra"),
    "inspection:proposed": N_("Trình dự thảo kế hoạch, đề xuất và Đoàn kiểm tra"),
    "inspection:revision_requested": N_("Yêu cầu chỉnh sửa kế hoạch, đề xuất"),
    "inspection:cancelled": N_("Quyết định không kiểm tra"),
    "inspection:decided": N_("Ban hành quyết định kiểm tra"),
    "inspection:unit_reported": N_("Đơn vị được kiểm tra đã báo cáo, cung cấp hồ sơ"),
    "inspection:documents_due_reminder": N_("Nhắc hạn cung cấp hồ sơ"),
    "inspection:documents_overdue": N_("Quá hạn cung cấp hồ sơ"),
    "inspection:conducted": N_("Kết thúc kiểm tra, lập biên bản"),
    "inspection:reporting": N_("Lập báo cáo kết quả kiểm tra"),
    "inspection:report_due_reminder": N_("Nhắc hạn báo cáo kết quả"),
    "inspection:report_overdue": N_("Quá hạn báo cáo kết quả kiểm tra"),
    "inspection:reported": N_("Gửi báo cáo kết quả kiểm tra"),
    "inspection:report_sent_back": N_("Yêu cầu hoàn thiện báo cáo"),
    "inspection:concluded": N_("Đồng ý kết luận, thông báo kết quả"),
    "inspection:published": N_("Công khai kết luận kiểm tra"),
    "inspection:closed": N_("Kết thúc, lưu hồ sơ kiểm tra"),
    "inspection_document_added": N_("Đưa tài liệu vào hồ sơ"),
    "inspection_member_invited": N_("Mời thêm thành viên Đoàn kiểm tra"),
    "inspection_conclusions_published": N_("Công khai kết luận kiểm tra"),
    "inspection_followup_registered": N_("Giao thực hiện kiến nghị"),
    "work_item_claimed": N_("Nhận xử lý"),
    "work_item_unclaimed": N_("Trả công việc về đơn vị"),
}
NOTICES = {
    "inspection_decision_issued": N_("Quyết định kiểm tra đã ban hành"),
    "inspection_documents_due": N_("Nhắc hạn báo cáo, cung cấp hồ sơ"),
    "inspection_documents_overdue": N_("Quá hạn báo cáo, cung cấp hồ sơ"),
    "inspection_report_due": N_("Nhắc hạn báo cáo kết quả kiểm tra"),
    "inspection_report_overdue": N_("Quá hạn báo cáo kết quả kiểm tra"),
    "inspection_result": N_("Thông báo kết quả kiểm tra"),
}
RECIPIENTS = {
    "focal_officer": N_("đầu mối đơn vị"),
    "leader": N_("Chủ tịch UBND"),
    "agency_head": N_("Thủ trưởng cơ quan"),
    "office_chief": N_("Chánh Văn phòng"),
    "emulation_council": N_("Hội đồng Thi đua - Khen thưởng"),
    "inspection_team_head": N_("Trưởng Đoàn kiểm tra"),
}
