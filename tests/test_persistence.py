"""Nothing is lost across a restart; a concurrent duplicate completion loses cleanly; lists stay flat."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ProcessInstance, Task, WorkItem
from app.services import work_items
from app.workflow import instances, runtime
from tests.conftest import directive_payload, make_app

FIRST_PROCESS = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime
    from sqlalchemy import select
    from app import clock
    from app.extensions import db
    from app.models import User, WorkItem
    from app.services import directives, work_items
    from tests.conftest import directive_payload, make_app

    app = make_app(sys.argv[1])
    with app.app_context():
        clock.freeze(datetime.fromisoformat("2026-03-02T09:00:00+07:00"))
        officer = db.session.scalar(select(User).where(User.username == "vp.chuyenvien"))
        directive = directives.register_directive(directives.parse_directive(directive_payload()), officer)
        db.session.commit()
        item = db.session.scalar(select(WorkItem).where(WorkItem.directive_id == directive.id))
        work_items.complete(officer, item, {"origin_level": "province"})
        db.session.commit()
        print(json.dumps({"directive": directive.id, "tasks": [t.id for t in directive.tasks]}))
    """
)


def test_a_second_app_process_continues_what_the_first_started(database_url: str):
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PROCESS, database_url],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    started = json.loads(done.stdout.strip().splitlines()[-1])

    runtime._restored_spec.cache_clear()  # nothing cached from a previous app in this process either
    second = make_app(database_url)
    with second.app_context():
        from app.models import User

        focal = db.session.scalar(select(User).where(User.username == "stc.daumoi"))
        accept = db.session.scalars(
            select(WorkItem).where(WorkItem.task_id == started["tasks"][0], WorkItem.state == "open")
        ).one()
        assert accept.title == "Tiếp nhận nhiệm vụ"
        work_items.complete(focal, accept, {"decision": "accept"})
        db.session.commit()
        task = db.session.get(Task, started["tasks"][0])
        assert task.status == "in_progress"
        following = db.session.scalars(
            select(WorkItem.title).where(WorkItem.task_id == task.id, WorkItem.state == "open")
        ).all()
        assert following == ["Báo cáo kết quả thực hiện"]
        db.session.remove()
        db.engine.dispose()


def test_two_simultaneous_completions_one_wins_the_other_gets_409(
    app, api, freeze, database_url, monkeypatch
):
    freeze("2026-03-02T09:00:00+07:00")
    office = api("vp.chuyenvien")
    directive = office.post("/directives", directive_payload()).json
    classify = office.get("/work-items", scope="unit").json[0]
    office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})
    task_id = directive["tasks"][0]["id"]
    item_id = db.session.scalar(
        select(WorkItem.id).where(WorkItem.task_id == task_id, WorkItem.state == "open")
    )
    instance_id = db.session.scalar(select(WorkItem.instance_id).where(WorkItem.id == item_id))
    version_before = db.session.get(ProcessInstance, instance_id).version
    db.session.remove()

    both_loaded = threading.Barrier(2, timeout=30)
    real_complete = runtime.complete

    def complete_after_both_loaded(*args, **kwargs):
        result = real_complete(*args, **kwargs)
        both_loaded.wait()  # both requests have read the same state before either saves
        return result

    monkeypatch.setattr(instances.runtime, "complete", complete_after_both_loaded)
    tokens = {"accept": api("stc.daumoi").headers, "return": api("stc.daumoi").headers}
    bodies = {
        "accept": {"data": {"decision": "accept"}},
        "return": {"data": {"decision": "return", "reason": "Không thuộc thẩm quyền của Sở Tài chính."}},
    }
    statuses: dict[str, int] = {}
    # Apps are built here, not in the threads: CPython 3.11 can fail compiling two ASTs at once
    # ("AST constructor recursion depth mismatch"), which werkzeug does for every route.
    racers = {name: make_app(database_url) for name in bodies}

    def submit(name: str) -> None:
        racer = racers[name]
        with racer.app_context():
            response = racer.test_client().post(
                f"/api/v1/work-items/{item_id}/complete", headers=tokens[name], json=bodies[name]
            )
            statuses[name] = response.status_code
            if response.status_code == 409:
                assert response.json["error"]["code"] in {"stale_version", "already_completed"}
            db.session.remove()
            db.engine.dispose()

    threads = [threading.Thread(target=submit, args=(name,)) for name in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [200, 409], statuses
    winner = next(name for name, code in statuses.items() if code == 200)
    db.session.expire_all()
    task = db.session.get(Task, task_id)
    assert task.status == {"accept": "in_progress", "return": "returned"}[winner]
    assert db.session.get(ProcessInstance, instance_id).version == version_before + 1
    item = db.session.get(WorkItem, item_id)
    assert item.state == "completed"
    opened_after = db.session.scalars(
        select(WorkItem.title).where(WorkItem.instance_id == instance_id, WorkItem.state == "open")
    ).all()
    assert opened_after == [
        {"accept": "Báo cáo kết quả thực hiện", "return": "Xử lý nhiệm vụ bị trả lại"}[winner]
    ]


def test_lists_and_pages_of_many_objects_never_deserialize_a_workflow(
    app, api, client, freeze, user, monkeypatch
):
    freeze("2026-03-02T09:00:00+07:00")
    office = api("vp.chuyenvien")
    created = office.post("/directives", directive_payload()).json
    classify = office.get("/work-items").json[0]
    office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})
    finance = api("stc.daumoi")

    def forbidden(*_args, **_kwargs):
        raise AssertionError("a list or summary page deserialized a workflow")

    monkeypatch.setattr(runtime, "decode_state", forbidden)
    monkeypatch.setattr(runtime, "load", forbidden)
    monkeypatch.setattr(runtime.SERIALIZER, "from_dict", forbidden)

    assert len(finance.get("/work-items").json) == 2
    assert len(finance.get("/work-items", scope="unit").json) == 2
    assert office.get(f"/directives/{created['id']}").status_code == 200
    for task in created["tasks"]:
        assert office.get(f"/tasks/{task['id']}").status_code == 200
    login(client, "stc.daumoi")
    assert client.get("/inbox").status_code == 200
    assert client.get("/directives/").status_code == 200
    assert client.get(f"/directives/{created['id']}").status_code == 200
    item_id = finance.get("/work-items").json[0]["id"]
    assert client.get(f"/work-items/{item_id}").status_code == 200


def login(client, username: str, password: str | None = None) -> None:
    from app.services.seed import demo_password

    page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post(
        "/login", data={"username": username, "password": password or demo_password(), "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture(autouse=True)
def _fresh_spec_cache():
    runtime._restored_spec.cache_clear()
    yield
