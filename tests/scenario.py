"""A small driver for regulation scenarios: the Office, agencies and the leadership acting through the
JSON API with real tokens, the clock frozen, timers fired by the same sweep as `flask timers run-due`
and reminders sent by the scheduler's reminder job."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ProcessInstance, Timer
from app.services import rules
from app.services.timers import run_due
from tests.conftest import Api, directive_payload
from tests.support import all_notices, run

OFFICE, CHIEF, LEADER = "vp.chuyenvien", "vp.chanh", "ct.ubnd"
FINANCE, PLANNING, CONSTRUCTION = "stc.daumoi", "skhdt.daumoi", "sxd.daumoi"


class Scenario:
    """One test's cast: `s.as_(FINANCE).get(...)`, plus the steps every scenario repeats."""

    def __init__(self, api: Any, freeze: Any) -> None:
        self._api, self.freeze = api, freeze
        self._clients: dict[str, Api] = {}

    def as_(self, username: str) -> Api:
        if username not in self._clients:
            self._clients[username] = self._api(username)
        return self._clients[username]

    @staticmethod
    def use_profile(profile_id: str) -> None:
        rules.set_active_profile(profile_id, actor_id=None)
        db.session.commit()

    def register(self, *, tasks: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
        payload = directive_payload(**fields)
        if tasks is not None:
            payload["tasks"] = tasks
        response = self.as_(OFFICE).post("/directives", payload)
        assert response.status_code == 201, response.json
        directive: dict[str, Any] = response.json
        return directive

    def classify(self, directive: dict[str, Any], origin_level: str = "province") -> None:
        item = self.item(OFFICE, "Phân loại, giao nhiệm vụ", directive_id=directive["id"])
        self.complete(OFFICE, item, origin_level=origin_level)

    def register_and_assign(self, **fields: Any) -> dict[str, Any]:
        directive = self.register(**fields)
        self.classify(directive)
        return directive

    def items(self, username: str, **match: Any) -> list[dict[str, Any]]:
        response = self.as_(username).get("/work-items", scope="all", state="open")
        assert response.status_code == 200, response.json
        found: list[dict[str, Any]] = [
            i for i in response.json if all(i.get(key) == value for key, value in match.items())
        ]
        return found

    def item(self, username: str, title: str, **match: Any) -> dict[str, Any]:
        found = self.items(username, title=title, **match)
        assert len(found) == 1, (title, [i["title"] for i in self.items(username)])
        return found[0]

    def titles(self, username: str, **match: Any) -> set[str]:
        return {i["title"] for i in self.items(username, **match)}

    def submit(self, username: str, item: dict[str, Any], **data: Any) -> Any:
        return self.as_(username).post(f"/work-items/{item['id']}/complete", {"data": data})

    def complete(self, username: str, item: dict[str, Any], **data: Any) -> dict[str, Any]:
        response = self.submit(username, item, **data)
        assert response.status_code == 200, response.json
        body: dict[str, Any] = response.json
        return body

    def accept(self, task_id: int, username: str = FINANCE) -> None:
        self.complete(username, self.item(username, "Tiếp nhận nhiệm vụ", task_id=task_id), decision="accept")

    def work(self, task_id: int, username: str = FINANCE) -> dict[str, Any]:
        return self.item(username, "Báo cáo kết quả thực hiện", task_id=task_id)

    def task(self, task_id: int) -> dict[str, Any]:
        response = self.as_(OFFICE).get(f"/tasks/{task_id}")
        assert response.status_code == 200, response.json
        body: dict[str, Any] = response.json
        return body

    def at(self, instant: str) -> int:
        """Move the clock to `instant` (Vietnam time when no offset) and fire what is due."""
        self.freeze(instant if "+" in instant else f"{instant}+07:00")
        result = run_due()
        assert not result.failed, result.failed
        db.session.expire_all()
        return result.fired

    def remind(self, instant: str) -> set[tuple[str, str]]:
        """`at(instant)`, then the reminder job twice (the second sends nothing).

        Returns (kind, username) of the notices that brought."""
        seen = len(all_notices())
        self.at(instant)
        run("reminders")
        run("reminders")
        db.session.expire_all()
        new = [(kind, user) for kind, user, _ in all_notices()[seen:]]
        assert len(new) == len(set(new)), f"duplicate notices: {new}"
        return set(new)

    @staticmethod
    def notices(kind: str) -> list[dict[str, Any]]:
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "model:notify")).all()
        return [e.details for e in events if e.details.get("kind") == kind]

    @staticmethod
    def waiting_timers(task_id: int | None = None) -> dict[str, str]:
        query = select(Timer).join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
        query = query.where(Timer.state == "waiting")
        if task_id is not None:
            query = query.where(ProcessInstance.task_id == task_id)
        return {t.name or t.task_spec: t.due_at.isoformat() for t in db.session.scalars(query)}


def one_task(
    content: str = "Xây dựng kế hoạch thực hiện", lead: str = "stc", **fields: Any
) -> list[dict[str, Any]]:
    return [{"content": content, "lead_unit": lead, **fields}]
