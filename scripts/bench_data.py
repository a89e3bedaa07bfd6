"""Realistic bulk data for the benchmarks: an organisation, directives, tasks in every stage.

Serialized workflow states are not made up: the real engine runs each process once per stage of
its lifecycle with sentinel ids and dates (`Template`), and every generated instance gets a copy
with its own ids, dates and SpiffWorkflow task UUIDs written in, so that the rows can be loaded,
completed and fired by the application exactly like states it saved itself. Rows go to
PostgreSQL with COPY (or to SQLite with executemany), in one pass, ids assigned here.

The templates start from the data the services give: `task_start_data` is what
`app.services.effect_support.task_process_data` returns for a task (lead agency connected, no
deliverable, deadline not fixed by a higher level, the active regulation profile) and
`intake_start_data` what `directives.register` starts `directive_intake` with; each answer goes
through its form's validation and defaults as `work_items.complete` does. `task_lifecycle` is run
with and without a task deadline (the model takes different branches), and every date the model
derives from "today" or the deadline (acceptance deadline, result window, update period, timer
instants) becomes a slot the generator fills for each task with the same calendar functions
(`lifecycle_dates`); a leftover template date stops the generation. A stage whose boundary timer
is already due on the benchmark's day uses the state after the engine fired it (`*_late`: the
acceptance reminder sent, or the Office's urging step open beside the report), with its timer row
`fired`; otherwise the timer row is `waiting`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from app.forms import validate_form, with_defaults
from app.services import calendar_service
from app.workflow import runtime

VIETNAM = calendar_service.VIETNAM
FORMS = Path(__file__).resolve().parents[1] / "bpmn" / "forms"
BENCH_NOW = datetime(2026, 6, 16, 10, 0, tzinfo=VIETNAM)  # a Tuesday in Q2 2026
TEMPLATE_TODAY = datetime(2090, 3, 1, 9, 0, tzinfo=VIETNAM)  # engine "today" while templates are made

INT_SENTINELS = {
    "task_id": 987000001,
    "directive_id": 987000002,
    "lead_unit_id": 987000003,
    "office_unit_id": 987000004,
    "province_unit_id": 987000005,
}
TASK_LIST_SENTINEL = 987100000  # task_ids of an intake: 987100001, 987100002, ...
DATE_SENTINELS = {"issued_on": "2092-02-02", "due_on": "2091-06-06", "completed_on": "2089-11-11"}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

LIFECYCLE_STAGES = ["accept", "report", "confirm", "completed", "returned", "cancelled"]
# Share of tasks (of classified directives) in each stage: most are done, a quarter in progress.
STAGE_WEIGHTS = [0.06, 0.24, 0.08, 0.57, 0.02, 0.03]
# Stages whose open step has a waiting boundary timer; once it is due the generator uses the
# `<stage>_late` template, the state after the engine fired it (R11: the Office's urging step).
TIMED_STAGES = {"accept", "report"}
DEPARTMENTS_PER_PROVINCE = 20
DISTRICTS_PER_PROVINCE = 10
TASKS_PER_PROVINCE = 16_000  # 62 provinces at 1,000,000 tasks
LEAD_UNIT_SENTINEL = "bench-sentinel-lead-unit"
TEMPLATE_LATER = datetime(2095, 1, 2, 9, 0, tzinfo=VIETNAM)  # after every template timer: fires them


@dataclass
class Step:
    spec_id: str
    title: str
    lane: str | None
    form: str | None
    spiff_slot: int  # which UUID of the template is this step's SpiffWorkflow task


@dataclass
class Template:
    """One process at one stage: state text with slots, its open steps and the steps done before."""

    parts: list[str]
    slots: list[tuple[str, Any]]
    open_steps: list[Step]
    done_steps: list[Step]
    timer_slot: int | None = None  # UUID slot of a waiting timer
    timer_spec: str | None = None
    timer_name: str | None = None
    timer_fired: bool = False  # the timer of `timer_slot` has fired (a `_late` stage)
    completed: bool = False
    rule_days: int | None = None  # directive_intake: working days to classify (the rule's answer)

    @property
    def open_step(self) -> Step | None:
        return self.open_steps[0] if self.open_steps else None

    def render(self, uuids: list[str], values: dict[str, str]) -> bytes:
        out: list[str] = []
        for i, slot in enumerate(self.slots):
            out.append(self.parts[i])
            kind, key = slot
            out.append(uuids[key] if kind == "uuid" else values[key])
        out.append(self.parts[-1])
        return runtime.STATE_FORMAT_ZLIB + zlib.compress("".join(out).encode(), runtime.STATE_ZLIB_LEVEL)

    @functools.cached_property
    def uuid_count(self) -> int:
        return 1 + max((key for kind, key in self.slots if kind == "uuid"), default=-1)


@dataclass
class Lifecycle:
    """task_lifecycle templates per (stage, has a deadline) and the rule values they were made with."""

    templates: dict[tuple[str, bool], Template]
    accept_days: int  # working days to accept (acceptance_deadline.dmn)
    result_window_days: int  # working days after the deadline to enter the result (R7)
    update_months: int  # cadence of updates of a task without deadline


def instance_uuids(instance_id: int, count: int) -> list[str]:
    return [f"{instance_id:08x}-{k:04x}-4000-8000-{instance_id:012x}" for k in range(count)]


def _templatize(text: str, literal_slots: dict[str, str]) -> tuple[list[str], list[tuple[str, Any]]]:
    """Cut the state text at every UUID and every sentinel literal."""
    uuid_index: dict[str, int] = {}
    patterns = [UUID_RE.pattern] + [re.escape(v) for v in sorted(literal_slots, key=len, reverse=True)]
    parts: list[str] = []
    slots: list[tuple[str, Any]] = []
    last = 0
    for match in re.finditer("|".join(patterns), text):
        parts.append(text[last : match.start()])
        found = match.group(0)
        if found in literal_slots:
            slots.append(("value", literal_slots[found]))
        else:
            slots.append(("uuid", uuid_index.setdefault(found, len(uuid_index))))
        last = match.end()
    parts.append(text[last:])
    return parts, slots


def _state_text(state: bytes) -> str:
    return json.dumps(runtime.decode_state(state), separators=(",", ":"), ensure_ascii=False)


def _literal_slots(extra: dict[str, str]) -> dict[str, str]:
    """Sentinel text -> value name; ints are matched as JSON numbers."""
    slots = {str(v): k for k, v in INT_SENTINELS.items()}
    slots.update({v: k for k, v in DATE_SENTINELS.items()})
    slots[LEAD_UNIT_SENTINEL] = "lead_unit"
    slots.update(extra)
    return slots


def _step(ready: runtime.ReadyUserTask, uuids: dict[str, int]) -> Step:
    return Step(ready.spec_id, ready.title, ready.lane, ready.form, uuids[ready.spiff_task_id])


def _final_data(result: runtime.StepResult) -> dict[str, Any]:
    data: dict[str, Any] = runtime.decode_state(result.state).get("data") or {}
    return data


def _check_no_template_dates(name: str, template: Template, values: dict[str, str]) -> None:
    """Every date the engine derived from the template's "today" must be a slot: a leftover would
    give every generated instance the same date of 2090 or later."""
    text = "".join(template.parts)
    left = sorted(set(re.findall(r"20[89][0-9]-[01][0-9]-[0-3][0-9]", text)))
    if left:
        raise ValueError(f"template {name}: dates not replaced by slots: {left} (slots: {values})")


def form_answer(form: str | None, answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as `work_items.complete` passes it on: validated, with the form's defaults."""
    if form is None:
        return answer
    schema = json.loads((FORMS / form).read_text())
    validate_form(schema, answer)
    return with_defaults(schema, answer)


def task_start_data(has_due: bool, profile: str | None) -> dict[str, Any]:
    """What `app.services.effect_support.task_process_data` gives, with sentinel values."""
    return {
        "task_id": INT_SENTINELS["task_id"],
        "directive_id": INT_SENTINELS["directive_id"],
        "lead_unit_id": INT_SENTINELS["lead_unit_id"],
        "lead_unit": LEAD_UNIT_SENTINEL,
        "lead_connected": True,
        "office_unit_id": INT_SENTINELS["office_unit_id"],
        "province_unit_id": INT_SENTINELS["province_unit_id"],
        "due_on": DATE_SENTINELS["due_on"] if has_due else None,
        "deliverable": "none",
        "deadline_fixed_by_higher": False,
        "issued_on": DATE_SENTINELS["issued_on"],
        "is_urgent": False,
        "profile": profile,
    }


def lifecycle_dates(
    received: date, due: date | None, accept_days: int, window_days: int, update_months: int
) -> dict[str, str]:
    """The dates task_lifecycle derives while it runs (its scripts and rules), for one task."""
    accept_due = calendar_service.working_day_deadline(received, accept_days)
    values = {
        "received_on": received.isoformat(),
        "received_at": datetime.combine(received, time(9, 0), VIETNAM).isoformat(),
        "accept_due_on": accept_due,
        "accept_timer_at": calendar_service.end_of_day(accept_due),
    }
    if due is not None:
        result_due = calendar_service.add_working_days(due, window_days)
        values.update(work_due_on=due.isoformat(), work_timer_at=calendar_service.end_of_day(result_due))
        values["result_due_on"] = result_due
    else:
        work_due = calendar_service.period_end(received, update_months)
        values.update(work_due_on=work_due, work_timer_at=calendar_service.end_of_day(work_due))
        values["result_due_on"] = work_due
    return values


def make_lifecycle_templates(spec_key: str, spec_json: str, profile: str | None) -> Lifecycle:
    """Run task_lifecycle through each stage once, with and without a task deadline, from the
    start data the application gives (needs an app context: scripts read the clock and rules)."""
    today = TEMPLATE_TODAY.date()
    now = TEMPLATE_TODAY.astimezone(UTC)
    later = TEMPLATE_LATER.astimezone(UTC)
    templates: dict[tuple[str, bool], Template] = {}
    params: dict[str, int] = {}
    for has_due in (True, False):
        started = runtime.start(spec_key, spec_json, task_start_data(has_due, profile), now)

        def complete(prev: runtime.StepResult, answer: dict[str, Any]) -> runtime.StepResult:
            ready = prev.ready[0]
            data = form_answer(ready.form, answer)
            return runtime.complete(spec_key, spec_json, prev.state, ready.spiff_task_id, data, now)

        reported = {
            "action": "complete",
            "result_summary": "Đã hoàn thành, gửi kèm báo cáo.",
            "completed_on": DATE_SENTINELS["completed_on"],
            "result_document": "15/BC-SBENCH",
        }
        accepted = complete(started, {"decision": "accept"})
        to_confirm = complete(accepted, reported)
        confirmed = complete(to_confirm, {"decision": "confirm", "quality": "good", "effectiveness": "high"})
        returned = complete(started, {"decision": "return", "reason": "Không thuộc thẩm quyền của đơn vị."})
        cancelled = complete(returned, {"decision": "cancel", "reason": "Dừng thực hiện theo chỉ đạo."})
        accept_late = runtime.fire_due_timers(spec_key, spec_json, started.state, later)
        report_late = runtime.fire_due_timers(spec_key, spec_json, accepted.state, later)
        for result in (accepted, to_confirm, confirmed):
            if any(e.name == "refuse" for e in result.effects):
                raise ValueError(f"template step refused: {result.effects}")
        data = _final_data(confirmed) | _final_data(cancelled)
        params["accept_days"] = int(data["accept_days"])
        if has_due:
            params["result_window_days"] = int(data["result_window_days"])
        else:
            params["update_months"] = int(_final_data(confirmed)["update_months"])
        due = date.fromisoformat(DATE_SENTINELS["due_on"]) if has_due else None
        derived = lifecycle_dates(
            today,
            due,
            params["accept_days"],
            params.get("result_window_days", 0),
            params.get("update_months", 1),
        )
        derived.pop("work_due_on" if has_due else "", None)  # with a deadline it is due_on itself
        literals = {v: k for k, v in derived.items()}
        chain = {
            "accept": (started, []),
            "accept_late": (accept_late, []),
            "report": (accepted, [started]),
            "report_late": (report_late, [started]),
            "confirm": (to_confirm, [started, accepted]),
            "completed": (confirmed, [started, accepted, to_confirm]),
            "returned": (returned, [started]),
            "cancelled": (cancelled, [started, returned]),
        }
        for stage, (result, done) in chain.items():
            # a fired template's steps done are those of the state it fired from
            fired = chain[stage.removesuffix("_late")][0].timers[0] if stage.endswith("_late") else None
            template = _template(result, done, literals, fired)
            _check_no_template_dates(f"{stage}/{'due' if has_due else 'no due'}", template, derived)
            templates[(stage, has_due)] = template
    return Lifecycle(
        templates=templates,
        accept_days=params["accept_days"],
        result_window_days=params["result_window_days"],
        update_months=params["update_months"],
    )


def _template(
    result: runtime.StepResult,
    done: list[runtime.StepResult],
    derived: dict[str, str],
    fired: runtime.WaitingTimer | None = None,
) -> Template:
    text = _state_text(result.state)
    parts, slots = _templatize(text, _literal_slots(derived))
    uuids: dict[str, int] = {}
    for found in UUID_RE.findall(text):
        uuids.setdefault(found, len(uuids))
    timer = fired or (result.timers[0] if result.timers else None)
    return Template(
        parts=parts,
        slots=slots,
        open_steps=[_step(r, uuids) for r in result.ready],
        done_steps=[_step(d.ready[0], uuids) for d in done],
        timer_slot=uuids[timer.spiff_task_id] if timer else None,
        timer_spec=timer.spec_id if timer else None,
        timer_name=timer.name if timer else None,
        timer_fired=fired is not None,
        completed=result.completed,
    )


def intake_start_data(task_ids: list[int], profile: str | None) -> dict[str, Any]:
    """What `app.services.directives.register` starts directive_intake with, with sentinels."""
    return {
        "directive_id": INT_SENTINELS["directive_id"],
        "office_unit_id": INT_SENTINELS["office_unit_id"],
        "province_unit_id": INT_SENTINELS["province_unit_id"],
        "issued_on": DATE_SENTINELS["issued_on"],
        "is_urgent": False,
        "is_complex": False,
        "confidentiality": "normal",
        "profile": profile,
        "task_ids": task_ids,
    }


def working_days_between(start: date, end: date) -> int:
    """The k with add_working_days(start, k) == end (the rule's number of days)."""
    for k in range(0, 61):
        if calendar_service.working_day_deadline(start, k) == end.isoformat():
            return k
    raise ValueError(f"{end} is not a working-day deadline after {start}")


def make_intake_templates(
    spec_key: str, spec_json: str, max_tasks: int, profile: str | None
) -> dict[tuple[str, int], Template]:
    """directive_intake waiting for classification, and classified, for 1..max_tasks tasks."""
    issued = DATE_SENTINELS["issued_on"]
    now = TEMPLATE_TODAY.astimezone(UTC)
    templates: dict[tuple[str, int], Template] = {}
    for count in range(1, max_tasks + 1):
        task_ids = [TASK_LIST_SENTINEL + i for i in range(1, count + 1)]
        pending = runtime.start(spec_key, spec_json, intake_start_data(task_ids, profile), now)
        classify_due = pending.ready[0].due_on
        assert classify_due is not None
        days = working_days_between(date.fromisoformat(issued), date.fromisoformat(classify_due))
        derived = {calendar_service.end_of_day(classify_due): "timer_at", classify_due: "classify_due_on"}
        done = runtime.complete(
            spec_key,
            spec_json,
            pending.state,
            pending.ready[0].spiff_task_id,
            form_answer(pending.ready[0].form, {"origin_level": "province"}),
            now,
        )
        literals = _literal_slots(derived)
        literals.update({str(t): f"task_{i}" for i, t in enumerate(task_ids)})
        for stage, result, before in (("pending", pending, []), ("done", done, [pending])):
            t = _template(result, before, {})
            t.parts, t.slots = _templatize(_state_text(result.state), literals)
            _check_no_template_dates(f"intake {stage}/{count}", t, derived)
            t.rule_days = days
            templates[(stage, count)] = t
    return templates


# --- the organisation ---------------------------------------------------------------------------


@dataclass
class Org:
    units: list[tuple[Any, ...]] = field(default_factory=list)  # id, code, name, kind, parent, path
    users: list[tuple[Any, ...]] = field(default_factory=list)  # id, username, full_name
    roles: list[tuple[Any, ...]] = field(default_factory=list)  # id, user_id, unit_id, role
    provinces: list[dict[str, Any]] = field(default_factory=list)


def make_org(provinces: int, password_hash: str, first_unit_id: int, first_user_id: int) -> Org:
    org = Org()
    unit_id, user_id, role_id = first_unit_id, first_user_id, 1_000_000

    def add_user(username: str, full_name: str, unit: int, role: str) -> int:
        nonlocal user_id, role_id
        user_id += 1
        role_id += 1
        org.users.append((user_id, username, full_name, password_hash))
        org.roles.append((role_id, user_id, unit, role))
        return user_id

    for p in range(1, provinces + 1):
        unit_id += 1
        province = unit_id
        org.units.append((province, f"b{p}", f"UBND tỉnh số {p}", "province", None, f"/{province}/"))
        unit_id += 1
        office = unit_id
        org.units.append(
            (office, f"b{p}-vp", f"Văn phòng UBND tỉnh số {p}", "office", province, f"/{province}/{office}/")
        )
        agencies = []
        for d in range(1, DEPARTMENTS_PER_PROVINCE + DISTRICTS_PER_PROVINCE + 1):
            unit_id += 1
            kind = "department" if d <= DEPARTMENTS_PER_PROVINCE else "district"
            name = f"Sở số {d}" if kind == "department" else f"UBND huyện số {d - DEPARTMENTS_PER_PROVINCE}"
            org.units.append(
                (unit_id, f"b{p}-a{d}", f"{name} tỉnh {p}", kind, province, f"/{province}/{unit_id}/")
            )
            focal = add_user(f"b{p}-a{d}.daumoi", f"Đầu mối {name} tỉnh {p}", unit_id, "focal_officer")
            add_user(f"b{p}-a{d}.thutruong", f"Thủ trưởng {name} tỉnh {p}", unit_id, "agency_head")
            agencies.append((unit_id, focal))
        officers = [
            add_user(f"b{p}-vp.cv{i}", f"Chuyên viên VP tỉnh {p} số {i}", office, "office_officer")
            for i in range(1, 4)
        ]
        add_user(f"b{p}-vp.chanh", f"Chánh VP tỉnh {p}", office, "office_chief")
        add_user(f"b{p}-ct", f"Chủ tịch UBND tỉnh {p}", province, "leader")
        org.provinces.append(
            {"province": province, "office": office, "agencies": agencies, "officers": officers}
        )
    return org


# --- directives and their tasks -----------------------------------------------------------------


@dataclass
class Ids:
    directive: int = 0
    task: int = 0
    instance: int = 0
    work_item: int = 0
    timer: int = 0
    audit: int = 0


@dataclass
class Batch:
    """Rows for one directive, per table, in column order of `COLUMNS`."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)


COLUMNS: dict[str, list[str]] = {
    "directive": [
        "id",
        "doc_type",
        "number",
        "symbol",
        "summary",
        "issued_on",
        "signer",
        "confidentiality",
        "is_urgent",
        "origin_level",
        "status",
        "office_unit_id",
        "classify_due_on",
        "profile",
        "created_by_id",
        "created_at",
    ],
    "task": [
        "id",
        "directive_id",
        "seq",
        "content",
        "lead_unit_id",
        "due_on",
        "due_rule",
        "status",
        "status_changed_at",
        "completed_on",
        "result_summary",
        "created_at",
    ],
    "task_coordinator": ["task_id", "unit_id"],
    "process_instance": [
        "id",
        "model_version_id",
        "process_id",
        "state",
        "version",
        "status",
        "directive_id",
        "task_id",
        "created_at",
        "updated_at",
    ],
    "work_item": [
        "id",
        "instance_id",
        "spiff_task_id",
        "task_spec",
        "title",
        "lane",
        "candidate_role",
        "candidate_unit_id",
        "assignee_id",
        "form",
        "due_on",
        "state",
        "directive_id",
        "task_id",
        "created_at",
        "claimed_at",
        "completed_at",
        "completed_by_id",
    ],
    "timer": [
        "id",
        "instance_id",
        "spiff_task_id",
        "task_spec",
        "name",
        "due_at",
        "state",
        "created_at",
        "fired_at",
    ],
    "audit_event": [
        "id",
        "at",
        "actor_id",
        "action",
        "directive_id",
        "task_id",
        "instance_id",
        "work_item_id",
        "details",
        "prev_hash",
        "hash",
    ],
}

SUMMARIES = [
    "Triển khai Kế hoạch chuyển đổi số năm {y}",
    "Tăng cường giải ngân vốn đầu tư công năm {y}",
    "Thực hiện Chương trình cải cách hành chính giai đoạn {y}-{z}",
    "Chấn chỉnh kỷ luật, kỷ cương hành chính trong thực thi công vụ",
    "Phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}",
    "Đẩy mạnh phát triển kinh tế tập thể, hợp tác xã",
]
TASK_TEXTS = [
    "Xây dựng kế hoạch triển khai của ngành, địa phương",
    "Rà soát, báo cáo kết quả thực hiện",
    "Tổ chức kiểm tra, đôn đốc các đơn vị trực thuộc",
    "Tham mưu văn bản chỉ đạo của UBND tỉnh",
    "Tổng hợp khó khăn, vướng mắc và đề xuất giải pháp",
]
DOC_TYPES = ["quyet_dinh", "chi_thi", "ke_hoach", "cong_van", "thong_bao_ket_luan"]
OFFICE_LANE_ROLE = "office_officer"
LEAD_LANE_ROLE = "focal_officer"


def _utc(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), VIETNAM).astimezone(UTC)


class Generator:
    """Yields one `Batch` per directive, reproducible from `seed`."""

    def __init__(
        self,
        org: Org,
        lifecycle: Lifecycle,
        intake: dict[tuple[str, int], Template],
        versions: dict[str, int],
        tasks: int,
        pending_due: int,
        profile: str | None,
        seed: int = 10,
    ) -> None:
        self.org, self.lifecycle, self.intake, self.versions = org, lifecycle, intake, versions
        self.profile = profile
        self.unit_codes = {row[0]: row[1] for row in org.units}
        self.classify_days = intake[("pending", 1)].rule_days or 0
        self.target_tasks, self.pending_due = tasks, pending_due
        self.rng = random.Random(seed)
        self.ids = Ids()
        self.prev_hash: str | None = None
        self.today = BENCH_NOW.date()
        self.cal = calendar_service.current_calendar()
        self.max_tasks = max(k for _, k in intake)

    def batches(self) -> Iterator[Batch]:
        made = 0
        pending_due_left = self.pending_due
        pending_fresh_left = max(1, self.target_tasks // 200)  # registered in the last days
        while made < self.target_tasks:
            count = min(self.rng.randint(1, self.max_tasks), self.target_tasks - made)
            if pending_due_left > 0:
                pending_due_left -= 1
                kind = "pending_due"
            elif pending_fresh_left > 0:
                pending_fresh_left -= 1
                kind = "pending_fresh"
            else:
                kind = "classified"
            yield self._directive(count, kind)
            made += count

    # each directive ---------------------------------------------------------------------------

    def _issued_on(self, kind: str) -> date:
        if kind == "pending_due":  # classification deadline already missed
            return self.today - timedelta(days=self.rng.randint(6, 14))
        if kind == "pending_fresh":
            return self.today
        return self.today - timedelta(days=self.rng.randint(3, 730))

    def _directive(self, count: int, kind: str) -> Batch:
        rng, batch = self.rng, Batch()
        province = rng.choice(self.org.provinces)
        issued = self._issued_on(kind)
        officer = rng.choice(province["officers"])
        self.ids.directive += 1
        did = self.ids.directive
        classify_due = date.fromisoformat(calendar_service.working_day_deadline(issued, self.classify_days))
        created = _utc(issued)
        y = issued.year
        batch.add(
            "directive",
            (
                did,
                rng.choice(DOC_TYPES),
                str(rng.randint(1, 999)),
                f"{rng.choice(['QĐ', 'CT', 'KH', 'TB'])}-UBND",
                rng.choice(SUMMARIES).format(y=y, z=y + 4),
                issued,
                "Lê Văn Cường",
                "normal",
                False,
                None if kind != "classified" else "province",
                "registered" if kind != "classified" else "tracking",
                province["office"],
                classify_due,
                self.profile,
                officer,
                created,
            ),
        )
        self._audit(batch, created, officer, "directive_registered", did, None, None, None, {"tasks": count})
        tasks = [self._task(batch, did, seq, issued, province, kind) for seq in range(1, count + 1)]
        self._intake(batch, did, issued, classify_due, province, officer, tasks, kind)
        for task in tasks:
            if kind == "classified":
                self._lifecycle(batch, task, province)
        return batch

    def _task(
        self, batch: Batch, did: int, seq: int, issued: date, province: dict[str, Any], kind: str
    ) -> dict[str, Any]:
        rng = self.rng
        self.ids.task += 1
        lead, focal = rng.choice(province["agencies"])
        due = (
            self.cal.add_working_days(issued, rng.choice([5, 10, 15, 20, 30, 45, 60]))
            if rng.random() < 0.85
            else None
        )
        stage = rng.choices(LIFECYCLE_STAGES, STAGE_WEIGHTS)[0] if kind == "classified" else None
        if stage in ("accept", "returned") and issued < self.today - timedelta(days=60):
            stage = rng.choice(["report", "completed"])  # old tasks have long been accepted
        task = {
            "id": self.ids.task,
            "directive": did,
            "lead": lead,
            "focal": focal,
            "due": due,
            "stage": stage,
            "issued": issued,
        }
        status, completed_on, summary = self._task_status(task)
        task["completed_on"] = completed_on
        batch.add(
            "task",
            (
                task["id"],
                did,
                seq,
                rng.choice(TASK_TEXTS),
                lead,
                due,
                "Hạn ghi trong văn bản chỉ đạo" if due else None,
                status,
                _utc(issued),
                completed_on,
                summary,
                _utc(issued),
            ),
        )
        if rng.random() < 0.3:
            others = [a for a, _ in province["agencies"] if a != lead]
            for unit in rng.sample(others, rng.randint(1, 2)):
                batch.add("task_coordinator", (task["id"], unit))
        return task

    def _task_status(self, task: dict[str, Any]) -> tuple[str, date | None, str | None]:
        stage, due, issued = task["stage"], task["due"], task["issued"]
        if stage in (None, "accept"):
            return "not_received", None, None
        if stage in ("report", "confirm"):
            return "in_progress", None, None
        if stage == "returned":
            return "returned", None, None
        if stage == "cancelled":
            return "cancelled", None, None
        # completed: mostly on time, a fifth late
        base = due or (issued + timedelta(days=30))
        offset = self.rng.randint(-20, -1) if self.rng.random() < 0.8 else self.rng.randint(1, 25)
        done = min(base + timedelta(days=offset), self.today - timedelta(days=1))
        return "completed", max(done, issued), "Đã hoàn thành nhiệm vụ."

    def _values(
        self, task: dict[str, Any] | None, did: int, province: dict[str, Any], issued: date
    ) -> dict[str, str]:
        values = {
            "directive_id": str(did),
            "office_unit_id": str(province["office"]),
            "province_unit_id": str(province["province"]),
            "issued_on": issued.isoformat(),
        }
        if task is not None:
            received = issued + timedelta(days=1)
            life = self.lifecycle
            values.update(
                lifecycle_dates(
                    received, task["due"], life.accept_days, life.result_window_days, life.update_months
                )
            )
            values.update(
                task_id=str(task["id"]),
                lead_unit_id=str(task["lead"]),
                lead_unit=self.unit_codes[task["lead"]],
                completed_on=(task["completed_on"] or received).isoformat(),
            )
            if task["due"]:
                values["due_on"] = task["due"].isoformat()
        return values

    def _intake(
        self,
        batch: Batch,
        did: int,
        issued: date,
        classify_due: date,
        province: dict[str, Any],
        officer: int,
        tasks: list[dict[str, Any]],
        kind: str,
    ) -> None:
        stage = "done" if kind == "classified" else "pending"
        template = self.intake[(stage, len(tasks))]
        self.ids.instance += 1
        iid = self.ids.instance
        uuids = instance_uuids(iid, template.uuid_count)
        values = self._values(None, did, province, issued)
        values["classify_due_on"] = classify_due.isoformat()
        values["timer_at"] = calendar_service.end_of_day(classify_due)
        values.update({f"task_{i}": str(t["id"]) for i, t in enumerate(tasks)})
        created = _utc(issued)
        done_at = created + timedelta(hours=self.rng.randint(1, 40))
        batch.add(
            "process_instance",
            (
                iid,
                self.versions["directive_intake"],
                "directive_intake",
                template.render(uuids, values),
                2 if stage == "done" else 1,
                "completed" if stage == "done" else "running",
                did,
                None,
                created,
                done_at if stage == "done" else created,
            ),
        )
        self._audit(
            batch, created, officer, "process_started", did, None, iid, None, {"process": "directive_intake"}
        )
        office_step = template.open_step or template.done_steps[0]
        self._work_item(
            batch,
            iid,
            uuids,
            office_step,
            OFFICE_LANE_ROLE,
            province["office"],
            classify_due,
            did,
            None,
            created,
            None if stage == "pending" else (done_at, officer),
        )
        timer_uuid = uuids[template.timer_slot] if template.timer_slot is not None else uuids[-1]
        self.ids.timer += 1
        due_at = datetime.fromisoformat(values["timer_at"]).astimezone(UTC)
        batch.add(
            "timer",
            (
                self.ids.timer,
                iid,
                timer_uuid,
                "Timer_classify_late",
                "Quá hạn phân loại",
                due_at,
                "waiting" if stage == "pending" else "cancelled",
                created,
                None if stage == "pending" else done_at,
            ),
        )
        if stage == "done":
            self._audit(
                batch,
                done_at,
                officer,
                "work_item_completed",
                did,
                None,
                iid,
                self.ids.work_item,
                {"step": office_step.title, "data": {"origin_level": "province"}},
            )

    def _lifecycle(self, batch: Batch, task: dict[str, Any], province: dict[str, Any]) -> None:
        values = self._values(task, task["directive"], province, task["issued"])
        stage, has_due = task["stage"], task["due"] is not None
        timer_values = {"Timer_accept_late": "accept_timer_at", "Timer_late": "work_timer_at"}
        template = self.lifecycle.templates[(stage, has_due)]
        timer_due = (
            datetime.fromisoformat(values[timer_values[template.timer_spec]]).astimezone(UTC)
            if template.timer_spec is not None
            else None
        )
        if timer_due is not None and timer_due <= BENCH_NOW.astimezone(UTC):
            template = self.lifecycle.templates[(f"{stage}_late", has_due)]  # the engine fired it
        self.ids.instance += 1
        iid = self.ids.instance
        uuids = instance_uuids(iid, template.uuid_count)
        start = _utc(task["issued"] + timedelta(days=1))
        batch.add(
            "process_instance",
            (
                iid,
                self.versions["task_lifecycle"],
                "task_lifecycle",
                template.render(uuids, values),
                1 + len(template.done_steps) + int(template.timer_fired),
                "completed" if template.completed else "running",
                task["directive"],
                task["id"],
                start,
                start + timedelta(days=len(template.done_steps) * 3),
            ),
        )
        self._audit(
            batch,
            start,
            None,
            "process_started",
            task["directive"],
            task["id"],
            iid,
            None,
            {"process": "task_lifecycle"},
        )
        at = start
        for step in template.done_steps:
            at = at + timedelta(days=self.rng.randint(1, 6))
            role, unit = self._candidates(step, task, province)
            actor = task["focal"] if role == LEAD_LANE_ROLE else self.rng.choice(province["officers"])
            self._work_item(
                batch,
                iid,
                uuids,
                step,
                role,
                unit,
                self._step_due(step, values),
                task["directive"],
                task["id"],
                at - timedelta(days=1),
                (at, actor),
            )
            self._audit(
                batch,
                at,
                actor,
                "work_item_completed",
                task["directive"],
                task["id"],
                iid,
                self.ids.work_item,
                {"step": step.title},
            )
            self._audit(
                batch,
                at,
                actor,
                "task_status_changed",
                task["directive"],
                task["id"],
                iid,
                None,
                {"from": "not_received", "to": "in_progress"},
            )
        if template.timer_slot is not None and timer_due is not None:
            self.ids.timer += 1
            batch.add(
                "timer",
                (
                    self.ids.timer,
                    iid,
                    uuids[template.timer_slot],
                    template.timer_spec,
                    template.timer_name,
                    timer_due,
                    "fired" if template.timer_fired else "waiting",
                    start,
                    timer_due if template.timer_fired else None,
                ),
            )
        for step in template.open_steps:
            role, unit = self._candidates(step, task, province)
            claimed = task["focal"] if role == LEAD_LANE_ROLE and self.rng.random() < 0.3 else None
            opened = max(at, timer_due) if step.spec_id == "Task_urge" and timer_due else at
            self._work_item(
                batch,
                iid,
                uuids,
                step,
                role,
                unit,
                self._step_due(step, values),
                task["directive"],
                task["id"],
                opened,
                None,
                claimed,
            )

    @staticmethod
    def _step_due(step: Step, values: dict[str, str]) -> date | None:
        """The due date the engine gives the step (its `dueOn` property), for this task."""
        key = {"Task_accept": "accept_due_on", "Task_work": "work_due_on"}.get(step.spec_id)
        return date.fromisoformat(values[key]) if key else None

    @staticmethod
    def _candidates(step: Step, task: dict[str, Any], province: dict[str, Any]) -> tuple[str, int]:
        if step.spec_id in ("Task_accept", "Task_work"):
            return LEAD_LANE_ROLE, task["lead"]
        return OFFICE_LANE_ROLE, province["office"]

    def _work_item(
        self,
        batch: Batch,
        iid: int,
        uuids: list[str],
        step: Step,
        role: str,
        unit: int,
        due: date | None,
        did: int,
        task_id: int | None,
        created: datetime,
        done: tuple[datetime, int] | None,
        claimed: int | None = None,
    ) -> None:
        self.ids.work_item += 1
        completed_at, by = done if done else (None, None)
        assignee = by if done else claimed
        batch.add(
            "work_item",
            (
                self.ids.work_item,
                iid,
                uuids[step.spiff_slot],
                step.spec_id,
                step.title,
                step.lane,
                role,
                unit,
                assignee,
                step.form,
                due,
                "completed" if done else "open",
                did,
                task_id,
                created,
                created if assignee else None,
                completed_at,
                by,
            ),
        )

    def _audit(
        self,
        batch: Batch,
        at: datetime,
        actor: int | None,
        action: str,
        did: int | None,
        task_id: int | None,
        iid: int | None,
        item: int | None,
        details: dict[str, Any],
    ) -> None:
        """The same hash chain `app.services.audit` keeps, so `verify_chain` holds on generated data."""
        self.ids.audit += 1
        at = at.astimezone(UTC)
        body = json.dumps(
            [self.prev_hash, at.isoformat(), actor, action, did, task_id, iid, item, details],
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        digest = hashlib.sha256(body.encode()).hexdigest()
        batch.add(
            "audit_event",
            (
                self.ids.audit,
                at,
                actor,
                action,
                did,
                task_id,
                iid,
                item,
                json.dumps(details, ensure_ascii=False),
                self.prev_hash,
                digest,
            ),
        )
        self.prev_hash = digest
