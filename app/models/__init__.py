"""All tables, importable from one place (Alembic autogenerate and the services use this)."""

from app.models.audit import AppSetting, AuditEvent
from app.models.directives import Directive, Task, TaskCoordinator
from app.models.org import ApiToken, Role, Unit, UnitKind, User, UserRole
from app.models.process import ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.models.reports import AgencyReport, ReportPeriod

__all__ = [
    "AgencyReport",
    "ApiToken",
    "AppSetting",
    "AuditEvent",
    "Directive",
    "ProcessInstance",
    "ProcessModelVersion",
    "ReportPeriod",
    "Role",
    "Task",
    "TaskCoordinator",
    "Timer",
    "Unit",
    "UnitKind",
    "User",
    "UserRole",
    "WorkItem",
]
