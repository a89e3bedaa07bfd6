"""Connect the engine adapter to the services: assignment, domain effects, audit, calendar."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app import workflow
from app.services import assignment, audit, effects, search_index
from app.services.calendar_service import SCRIPT_FUNCTIONS


def _audit(action: str, context: workflow.StepContext, details: dict[str, Any]) -> None:
    audit.record(
        action,
        actor_id=context.actor_id,
        directive_id=context.instance.directive_id,
        task_id=context.instance.task_id,
        instance_id=context.instance.id,
        details=details,
        at=context.now,
    )


def wire_engine(app: Flask) -> None:
    search_index.install()
    workflow.configure(
        workflow.Hooks(assign=assignment.assign, apply_effect=effects.apply_effect, audit=_audit)
    )
    for name, function in SCRIPT_FUNCTIONS.items():
        workflow.register_function(name, function)
