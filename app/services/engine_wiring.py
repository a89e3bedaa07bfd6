"""Connect the engine adapter to the services: assignment, domain effects, audit, deadlines, calendar."""

from __future__ import annotations

from flask import Flask

from app import workflow
from app.services import assignment, audit, deadlines, effects, search_index
from app.services.calendar_service import SCRIPT_FUNCTIONS
from app.services.reports.rules import SCRIPT_FUNCTIONS as REPORT_FUNCTIONS


def wire_engine(app: Flask) -> None:
    search_index.install()
    workflow.configure(
        workflow.Hooks(
            assign=assignment.assign,
            apply_effect=effects.apply_effect,
            audit=audit.record_step,
            record_due=deadlines.record_work_item_due,
        )
    )
    for name, function in {**SCRIPT_FUNCTIONS, **REPORT_FUNCTIONS}.items():
        workflow.register_function(name, function)
    for name in effects.HANDLERS:
        workflow.register_effect(name)
