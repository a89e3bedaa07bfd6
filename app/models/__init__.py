"""All tables, importable from one place (Alembic autogenerate and the services use this)."""

from app.models.audit import AppSetting, AuditEvent
from app.models.calendar import CalendarOverride, CalendarRevision, Deadline
from app.models.collab import Attachment, Comment, FormDraft
from app.models.directives import Directive, Task, TaskCoordinator
from app.models.inspection import (
    Inspection,
    InspectionConclusion,
    InspectionDocument,
    InspectionMember,
    InspectionPlan,
    InspectionRecommendation,
    InspectionSubject,
)
from app.models.notices import MailOutbox, Notification, NotificationPreference, Reminder
from app.models.org import ApiToken, Role, Unit, UnitKind, User, UserRole
from app.models.process import ModelFile, ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.models.reports import AgencyReport, ReportPeriod
from app.models.scheduling import JobRun, SchedulerLease
from app.models.tracking import (
    CoordinationRequest,
    ExtensionRequest,
    InternalAssignment,
    ObstacleReport,
)
from app.models.urging import OverdueReport, OverdueReportRow, Urging, UrgingTask

__all__ = [
    "AgencyReport",
    "ApiToken",
    "AppSetting",
    "Attachment",
    "AuditEvent",
    "CalendarOverride",
    "CalendarRevision",
    "Comment",
    "CoordinationRequest",
    "Deadline",
    "Directive",
    "ExtensionRequest",
    "FormDraft",
    "Inspection",
    "InspectionConclusion",
    "InspectionDocument",
    "InspectionMember",
    "InspectionPlan",
    "InspectionRecommendation",
    "InspectionSubject",
    "InternalAssignment",
    "JobRun",
    "MailOutbox",
    "ModelFile",
    "Notification",
    "NotificationPreference",
    "ObstacleReport",
    "OverdueReport",
    "OverdueReportRow",
    "ProcessInstance",
    "ProcessModelVersion",
    "Reminder",
    "ReportPeriod",
    "Role",
    "SchedulerLease",
    "Task",
    "TaskCoordinator",
    "Timer",
    "Unit",
    "UnitKind",
    "Urging",
    "UrgingTask",
    "User",
    "UserRole",
    "WorkItem",
]
