"""The cheaper step path writes what the full one wrote: state, work items, timers, audit chain.

The adapter no longer converts the spec when it saves a state, reads `work_item` and `timer`
rows only when the stored state says there may be some, and writes the timer rows from what the
step changed. These tests hold it to the results of the plain ways.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import ProcessInstance, Timer, User, WorkItem
from app.services import audit, directives, work_items
from app.services.timers import run_due
from app.workflow import instances, runtime
from app.workflow.compiler import SERIALIZER
from tests.conftest import directive_payload


def _officer() -> User:
    found = db.session.scalar(select(User).where(User.username == "vp.chuyenvien"))
    assert found is not None
    return found


def _register_and_classify(freeze: Any) -> int:
    freeze("2026-03-02T09:00:00+07:00")
    officer = _officer()
    directive = directives.register_directive(directives.parse_directive(directive_payload()), officer)
    db.session.commit()
    item = db.session.scalar(select(WorkItem).where(WorkItem.directive_id == directive.id))
    assert item is not None
    work_items.complete(officer, item, {"origin_level": "province"})
    db.session.commit()
    return directive.id


def _projection_matches_state(instance: ProcessInstance) -> None:
    version = instance.model_version
    workflow = runtime.load(f"{version.id}:{version.sha256}", version.spec, instance.state)
    ready = {str(t.id) for t in workflow.get_tasks(state=runtime.TaskState.READY, manual=True)}
    open_items = set(
        db.session.scalars(
            select(WorkItem.spiff_task_id).where(
                WorkItem.instance_id == instance.id, WorkItem.state == "open"
            )
        )
    )
    assert open_items == ready
    timers = {t.spiff_task_id: t.due_at for t in runtime._waiting_timers(workflow)}
    rows = {
        row.spiff_task_id: row.due_at
        for row in db.session.scalars(
            select(Timer).where(Timer.instance_id == instance.id, Timer.state == "waiting")
        )
    }
    assert rows == timers


def test_state_is_what_the_serializer_gives_without_the_specs(app, freeze):
    with app.app_context():
        _register_and_classify(freeze)
        checked = 0
        for instance in db.session.scalars(select(ProcessInstance)):
            version = instance.model_version
            workflow = runtime.load(f"{version.id}:{version.sha256}", version.spec, instance.state)
            full = SERIALIZER.to_dict(workflow)
            full.pop("spec")
            full.pop("subprocess_specs")
            assert json.dumps(runtime.state_dict(workflow)) == json.dumps(full)
            checked += 1
        assert checked >= 2


def test_projections_follow_the_state_through_steps_and_timers(app, freeze):
    with app.app_context():
        directive_id = _register_and_classify(freeze)
        lifecycle = db.session.scalars(
            select(ProcessInstance).where(
                ProcessInstance.directive_id == directive_id, ProcessInstance.process_id == "task_lifecycle"
            )
        ).all()
        assert lifecycle
        for instance in lifecycle:
            _projection_matches_state(instance)
        finance = db.session.scalar(select(User).where(User.username == "stc.daumoi"))
        accept = db.session.scalar(
            select(WorkItem).where(
                WorkItem.instance_id == lifecycle[0].id,
                WorkItem.state == "open",
                WorkItem.task_spec == "Task_accept",
            )
        )
        assert accept is not None and finance is not None
        work_items.complete(finance, accept, {"decision": "accept"})
        db.session.commit()
        _projection_matches_state(db.session.get(ProcessInstance, lifecycle[0].id))
        # Weeks later every deadline has passed: the sweep fires what is due, rows follow the state.
        freeze("2026-09-30T09:00:00+07:00")
        fired = run_due()
        assert fired.fired >= 1 and not fired.failed
        for instance in db.session.scalars(select(ProcessInstance)):
            _projection_matches_state(instance)
        assert run_due().fired == 0
        assert audit.verify_chain() == []


def test_a_timer_row_out_of_step_with_the_state_is_rewritten_by_the_full_pass(app, freeze):
    with app.app_context():
        _register_and_classify(freeze)
        row = db.session.scalars(select(Timer).where(Timer.state == "waiting")).first()
        assert row is not None
        row.state = "cancelled"  # the projection no longer matches the state
        db.session.commit()
        instance = db.session.get(ProcessInstance, row.instance_id)
        assert instance is not None
        # Long after: the timer fires, its row is not waiting as the state said: the full pass runs.
        fired = instances.fire_timers(instance, now=freeze("2026-09-30T09:00:00+07:00"))
        db.session.commit()
        assert row.spiff_task_id in fired
        _projection_matches_state(db.session.get(ProcessInstance, row.instance_id))
        assert db.session.get(Timer, row.id).state == "cancelled"  # left as it was, as before


def test_the_stored_state_is_the_json_the_json_module_writes_big_numbers_and_vietnamese_included(app, freeze):
    """orjson writes the states (faster): byte for byte what the json module wrote before, so a
    state reads the same whichever wrote it; an integer too large for orjson takes the fallback."""
    with app.app_context():
        _register_and_classify(freeze)
        checked = 0
        for instance in db.session.scalars(select(ProcessInstance)):
            version = instance.model_version
            key = f"{version.id}:{version.sha256}"
            workflow = runtime.load(key, version.spec, instance.state)
            for extra in ({}, {"ghi_chu": "Sở Tài chính đôn đốc", "ty_le": 0.1}, {"so_lon": 2**70}):
                workflow.task_tree.data.update(extra)
                stored = runtime.encode_state(workflow)
                expected = runtime.state_dict(workflow)
                expected[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
                written = zlib.decompress(stored[len(runtime.STATE_FORMAT_ZLIB) :])
                assert written == json.dumps(expected, separators=(",", ":"), ensure_ascii=False).encode()
                assert runtime.decode_state(stored) == json.loads(written)
                again = runtime.load(key, version.spec, stored).task_tree.data
                assert {name: again[name] for name in extra} == extra
            checked += 1
        assert checked >= 2
