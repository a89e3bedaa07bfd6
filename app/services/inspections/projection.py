"""The `update_inspection(step, ...)` effect: the inspection process writes its projection here.

Each BPMN step of `bpmn/inspection.bpmn` names what happened (`proposed`, `decided`, `reported`...)
and passes the form data; this module checks it against the domain (units exist, one team head
with an account, conclusions about inspected units, the dossier complete before closing), writes
the rows, audits the step and requests the notices. It runs after the engine step, in the same
transaction: a refusal here (`FormInvalid`) rolls the whole step back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import (
    Inspection,
    InspectionConclusion,
    InspectionMember,
    InspectionRecommendation,
    InspectionSubject,
    Unit,
    User,
    WorkItem,
)
from app.services import audit
from app.workflow import StepContext, WorkflowError

TEAM_HEAD_ROLE = "inspection_team_head"


def update_inspection(args: dict[str, Any], context: StepContext) -> None:
    args = dict(args)
    positional = args.pop("_args", [])
    step = str(positional[0] if positional else args.pop("step", ""))
    handler = STEPS.get(step)
    if handler is None:
        raise WorkflowError(f"Bước kiểm tra '{step}' không được hỗ trợ.")
    inspection = _inspection_of(context)
    handler(inspection, args, context)
    audit.record_step(f"inspection:{step}", context, {"inspection_id": inspection.id, **_loggable(args)})
    _give_team_head_their_steps(inspection, context)


def _inspection_of(context: StepContext) -> Inspection:
    found: Inspection | None = db.session.scalar(
        select(Inspection).where(Inspection.instance_id == context.instance.id)
    )
    if found is None and isinstance(context.data.get("inspection_id"), int):
        found = db.session.get(Inspection, context.data["inspection_id"])
        if found is not None:
            found.instance_id = context.instance.id
    if found is None:
        raise WorkflowError("Quy trình này không gắn với đợt kiểm tra nào.")
    return found


def _loggable(args: dict[str, Any]) -> dict[str, Any]:
    """Keep the audit row readable: long lists are summarised, the rows themselves hold them."""
    return {k: (f"{len(v)} mục" if isinstance(v, list) else v) for k, v in args.items()}


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _give_team_head_their_steps(inspection: Inspection, context: StepContext) -> None:
    """Steps in the team head's lane are named to one person: pre-assign them to the head."""
    head = inspection.team_head
    if head is None or head.user_id is None:
        return
    items = db.session.scalars(
        select(WorkItem).where(
            WorkItem.instance_id == context.instance.id,
            WorkItem.state == "open",
            WorkItem.candidate_role == TEAM_HEAD_ROLE,
            WorkItem.assignee_id.is_(None),
        )
    )
    for item in items:
        item.assignee_id, item.claimed_at = head.user_id, context.now


def _set_status(inspection: Inspection, status: str, args: dict[str, Any]) -> None:
    inspection.status = status
    if args.get("note"):
        inspection.last_note = str(args["note"])


def _drafting(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    inspection.status = "drafting"


def _proposed(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    errors: dict[str, str] = {}
    units = _known_units(args.get("subject_unit_ids") or [], "subject_unit_ids", errors)
    members = _team_members(args.get("team") or [], errors)
    starts_on, ends_on = _day(args.get("starts_on")), _day(args.get("ends_on"))
    documents_due_on = _day(args.get("documents_due_on"))
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "Ngày kết thúc kiểm tra không được trước ngày bắt đầu."
    if documents_due_on and ends_on and documents_due_on > ends_on:
        errors["documents_due_on"] = "Hạn cung cấp hồ sơ phải trong thời hạn kiểm tra."
    if errors:
        raise FormInvalid(errors)
    for key in ("title", "legal_basis", "scope", "content"):
        setattr(inspection, key, str(args[key]).strip())
    inspection.starts_on, inspection.ends_on = starts_on, ends_on
    inspection.documents_due_on = documents_due_on
    existing = {s.unit_id: s for s in inspection.subjects}  # a revision keeps what units already sent
    inspection.subjects = [existing.get(u.id) or InspectionSubject(unit_id=u.id) for u in units]
    invited = [m for m in inspection.members if m.role == "invited"]
    inspection.members = [_member(m, context) for m in members] + invited
    _set_status(inspection, "awaiting_decision", args)


def _known_units(ids: list[Any], field: str, errors: dict[str, str]) -> list[Unit]:
    wanted = [int(i) for i in ids]
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        errors[field] = f"Không có đơn vị mã số {', '.join(map(str, missing))}."
    return [found[i] for i in wanted if i in found]


def _team_members(
    rows: list[dict[str, Any]], errors: dict[str, str]
) -> list[tuple[dict[str, Any], User | None]]:
    heads = [r for r in rows if r.get("role") == "head"]
    if len(heads) != 1:
        errors["team"] = "Đoàn kiểm tra phải có đúng một Trưởng đoàn."
    members = []
    for row in rows:
        account = _account(str(row.get("username") or "").strip())
        if row.get("username") and account is None:
            errors["team"] = f"Không có tài khoản '{row['username']}'."
        if row.get("role") == "head" and account is None and "team" not in errors:
            errors["team"] = "Trưởng đoàn phải có tài khoản trong hệ thống để nhận việc."
        members.append((row, account))
    return members


def _account(username: str) -> User | None:
    if not username:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    return user if user is not None and user.is_active else None


def _member(entry: tuple[dict[str, Any], User | None], context: StepContext) -> InspectionMember:
    row, account = entry
    return InspectionMember(
        user_id=account.id if account else None,
        full_name=str(row["full_name"]).strip(),
        position=str(row.get("position") or "").strip() or None,
        role=str(row["role"]),
        added_at=context.now,
    )


def _decided(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    inspection.decision_number = str(args["decision_number"]).strip()
    inspection.decision_symbol = str(args["decision_symbol"]).strip()
    inspection.decision_signed_on = _day(args["signed_on"])
    inspection.decision_signer = str(args["signer_name"]).strip()
    inspection.decision_signer_title = str(args["signer_title"]).strip()
    inspection.report_days = int(args["report_days"])
    inspection.is_publish_required = bool(args["publish_required"])
    inspection.status = "in_progress"


def _unit_reported(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    subject = next((s for s in inspection.subjects if s.unit_id == args.get("unit_id")), None)
    if subject is None:
        raise WorkflowError("Đơn vị này không thuộc đối tượng kiểm tra.")
    subject.reported_at = context.now
    subject.report_summary = str(args.get("report_summary") or "")
    subject.documents = str(args.get("documents") or "") or None


def _late_subjects(inspection: Inspection) -> list[InspectionSubject]:
    return [s for s in inspection.subjects if s.reported_at is None]


def _documents_due_reminder(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    for subject in _late_subjects(inspection):
        _notify(
            context,
            "inspection_documents_due",
            to_role="focal_officer",
            unit_id=subject.unit_id,
            due_on=_iso(inspection.documents_due_on),
        )


def _documents_overdue(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    late = _late_subjects(inspection)
    for subject in late:
        _notify(
            context,
            "inspection_documents_overdue",
            to_role="focal_officer",
            unit_id=subject.unit_id,
            due_on=_iso(inspection.documents_due_on),
        )
    _notify_head(inspection, context, "inspection_documents_overdue", late_unit_ids=[s.unit_id for s in late])


def _conducted(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    ended_on = _day(args["ended_on"])
    if ended_on and inspection.starts_on and ended_on < inspection.starts_on:
        raise FormInvalid({"ended_on": "Ngày kết thúc kiểm tra không được trước ngày bắt đầu."})
    inspection.ended_on = ended_on
    inspection.minutes_summary = str(args["minutes_summary"])
    inspection.report_due_on = _day(args["report_due_on"])


def _reporting(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    inspection.status = "reporting"


def _report_due_reminder(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    _notify_head(inspection, context, "inspection_report_due", due_on=_iso(inspection.report_due_on))


def _report_overdue(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    inspection.is_report_overdue = True
    _notify_head(inspection, context, "inspection_report_overdue", due_on=_iso(inspection.report_due_on))


def _reported(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    errors: dict[str, str] = {}
    subject_ids = {s.unit_id for s in inspection.subjects}
    conclusions = args.get("conclusions") or []
    if any(int(c["unit_id"]) not in subject_ids for c in conclusions):
        errors["conclusions"] = "Kết luận chỉ nêu các đơn vị được kiểm tra."
    recommendations = args.get("recommendations") or []
    _known_units([r["lead_unit_id"] for r in recommendations], "recommendations", errors)
    if errors:
        raise FormInvalid(errors)
    inspection.report_number = str(args["report_number"]).strip()
    inspection.report_symbol = str(args["report_symbol"]).strip()
    inspection.evaluation = str(args["evaluation"])
    inspection.reported_on = context.now.astimezone(clock.VIETNAM).date()
    inspection.conclusions = [_conclusion(c) for c in conclusions]
    inspection.recommendations = [_recommendation(i, r) for i, r in enumerate(recommendations, start=1)]
    inspection.status = "awaiting_review"


def _conclusion(row: dict[str, Any]) -> InspectionConclusion:
    return InspectionConclusion(
        unit_id=int(row["unit_id"]),
        finding=str(row["finding"]),
        nature=row.get("nature") or None,
        severity=str(row["severity"]),
        cause=row.get("cause") or None,
        responsibility=row.get("responsibility") or None,
    )


def _recommendation(seq: int, row: dict[str, Any]) -> InspectionRecommendation:
    return InspectionRecommendation(
        seq=seq,
        content=str(row["content"]),
        lead_unit_id=int(row["lead_unit_id"]),
        due_on=_day(row.get("due_on")),
    )


def _report_sent_back(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    _set_status(inspection, "reporting", args)


def _concluded(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    _set_status(inspection, "concluded", args)
    inspection.concluded_on = context.now.astimezone(clock.VIETNAM).date()


def _published(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    from app.services.inspections.publication import mark_published

    mark_published(inspection, actor_id=context.actor_id, at=context.now)


def _closed(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    from app.services.inspections.dossier import missing_mandatory_items

    missing = missing_mandatory_items(inspection)
    if missing:
        listed = "; ".join(f"mục {item.no} – {item.title}" for item in missing)
        raise FormInvalid({"_form": f"Hồ sơ kiểm tra còn thiếu: {listed}."})
    _set_status(inspection, "closed", args)
    inspection.closed_at = context.now


def _cancelled(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    _set_status(inspection, "cancelled", args)


def _revision_requested(inspection: Inspection, args: dict[str, Any], context: StepContext) -> None:
    _set_status(inspection, "revision_requested", args)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _notify(context: StepContext, kind: str, **details: Any) -> None:
    """Through the shared `notify` effect, so that notices sent from here are delivered like the model's."""
    from app.services.effects import notify

    notify({"_args": [kind], **details}, context)


def _notify_head(inspection: Inspection, context: StepContext, kind: str, **details: Any) -> None:
    head = inspection.team_head
    if head is not None and head.user_id is not None:
        _notify(context, kind, to_role=TEAM_HEAD_ROLE, user_id=head.user_id, **details)


Step = Callable[[Inspection, dict[str, Any], StepContext], None]
STEPS: dict[str, Step] = {
    "drafting": _drafting,
    "proposed": _proposed,
    "revision_requested": _revision_requested,
    "cancelled": _cancelled,
    "decided": _decided,
    "unit_reported": _unit_reported,
    "documents_due_reminder": _documents_due_reminder,
    "documents_overdue": _documents_overdue,
    "conducted": _conducted,
    "reporting": _reporting,
    "report_due_reminder": _report_due_reminder,
    "report_overdue": _report_overdue,
    "reported": _reported,
    "report_sent_back": _report_sent_back,
    "concluded": _concluded,
    "published": _published,
    "closed": _closed,
}
