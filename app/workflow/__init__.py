"""The engine adapter: the only package that imports SpiffWorkflow.

Everything else talks to the engine through these functions and named errors, so an engine
upgrade or a change of storage format touches this package alone.
"""

from app.workflow.compiler import ModelFiles
from app.workflow.decisions import evaluate_decision
from app.workflow.deploy import DeployOutcome, DeployReport, deploy_files, deploy_models, validate_files
from app.workflow.errors import (
    DueTrace,
    Effect,
    FunctionCall,
    InstanceNotRunning,
    InvalidModel,
    MigrationRefused,
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
    batch_memo,
    complete_work_item,
    configure,
    deliver_message,
    fire_timers,
    instance_of,
    instance_steps,
    load_workflow_data,
    locked_batch,
    migrate_instance,
    move_due_date,
    plan_migration,
    preload_version,
    start_instance,
    terminate_instance,
    version_bundle,
    with_model_version,
)
from app.workflow.migration import MigrationPlan, StepStates
from app.workflow.scripting import register_effect, register_function

__all__ = [
    "DeployOutcome",
    "DeployReport",
    "DueTrace",
    "Effect",
    "FunctionCall",
    "Hooks",
    "InstanceNotRunning",
    "InvalidModel",
    "MigrationPlan",
    "MigrationRefused",
    "ModelFiles",
    "ModelProblem",
    "ScriptFailed",
    "StaleInstance",
    "StepContext",
    "StepStates",
    "UnsafeXml",
    "WorkItemNotReady",
    "WorkflowError",
    "active_version",
    "batch_memo",
    "complete_work_item",
    "configure",
    "deliver_message",
    "deploy_files",
    "deploy_models",
    "evaluate_decision",
    "fire_timers",
    "instance_of",
    "instance_steps",
    "load_workflow_data",
    "locked_batch",
    "migrate_instance",
    "move_due_date",
    "plan_migration",
    "preload_version",
    "register_effect",
    "register_function",
    "start_instance",
    "terminate_instance",
    "validate_files",
    "version_bundle",
    "with_model_version",
]
