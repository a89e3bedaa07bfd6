"""All tables, importable from one place (Alembic autogenerate and the services use this)."""

from app.models.audit import AppSetting, AuditEvent
from app.models.directives import Directive, Task, TaskCoordinator
from app.models.notices import MailOutbox, Notification, NotificationPreference, Reminder
from app.models.org import ApiToken, Role, Unit, UnitKind, User, UserRole
from app.models.process import ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.models.scheduling import JobRun, SchedulerLease
from app.models.urging import OverdueReport, OverdueReportRow, Urging, UrgingTask

__all__ = [
    "ApiToken",
    "AppSetting",
    "AuditEvent",
    "Directive",
    "JobRun",
    "MailOutbox",
    "Notification",
    "NotificationPreference",
    "OverdueReport",
    "OverdueReportRow",
    "ProcessInstance",
    "ProcessModelVersion",
    "Reminder",
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
