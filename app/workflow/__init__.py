"""The engine adapter: the only package that imports SpiffWorkflow.

Everything else talks to the engine through these functions and named errors, so an engine
upgrade or a change of storage format touches this package alone.
"""

from app.workflow.compiler import ModelFiles
from app.workflow.deploy import DeployOutcome, deploy_models
from app.workflow.errors import (
    Effect,
    InvalidModel,
    ModelProblem,
    ScriptFailed,
    StaleInstance,
    UnsafeXml,
    WorkflowError,
    WorkItemNotReady,
)
from app.workflow.instances import (
    Hooks,
    StepContext,
    active_version,
    complete_work_item,
    configure,
    deliver_message,
    fire_timers,
    load_workflow_data,
    start_instance,
)
from app.workflow.scripting import register_effect, register_function

__all__ = [
    "DeployOutcome",
    "Effect",
    "Hooks",
    "InvalidModel",
    "ModelFiles",
    "ModelProblem",
    "ScriptFailed",
    "StaleInstance",
    "StepContext",
    "UnsafeXml",
    "WorkItemNotReady",
    "WorkflowError",
    "active_version",
    "complete_work_item",
    "configure",
    "deliver_message",
    "deploy_models",
    "fire_timers",
    "load_workflow_data",
    "register_effect",
    "register_function",
    "start_instance",
]
