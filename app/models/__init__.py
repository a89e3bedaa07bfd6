"""All tables, importable from one place (Alembic autogenerate and the services use this)."""

from app.models.audit import AppSetting, AuditEvent
from app.models.collab import Attachment, Comment, FormDraft
from app.models.directives import Directive, Task, TaskCoordinator
from app.models.org import ApiToken, Role, Unit, UnitKind, User, UserRole
from app.models.process import ProcessInstance, ProcessModelVersion, Timer, WorkItem

__all__ = [
    "ApiToken",
    "AppSetting",
    "Attachment",
    "AuditEvent",
    "Comment",
    "Directive",
    "FormDraft",
    "ProcessInstance",
    "ProcessModelVersion",
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
