"""Turn model files (BPMN, DMN, JSON Schema forms) into deployable, versionable process specs.

Every file passes the hardened XML parser, then the XSD validation built into the Spiff parser,
then our own checks: files drawn in Camunda Modeler are translated or refused (`camunda.py`);
forms exist and are schemas; lanes name known roles; called decisions exist; every script and
expression is free of imports, dunders and file access (`safety.py`) and compiles under
RestrictedPython; every timer and due-date expression yields a valid value on sample data
(`samples.py`); decision tables pass their lint (`dmn.py`). Problems are collected, not raised one
by one, so an analyst sees all of them at once, each pinned to its file and element.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from app.workflow import camunda, dmn
from app.workflow.errors import InvalidModel, ModelProblem, UnsafeXml
from app.workflow.safety import unsafe_constructs
from app.workflow.samples import decision_samples, sample_problem
from app.workflow.scripting import compile_expression, compile_script
from app.workflow.xml import parse_model_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


@dataclass(frozen=True)
class CompiledProcess:
    """One executable process, ready to be stored as a `process_model_version`."""

    process_id: str
    name: str
    file_name: str
    content: str
    bundle: dict[str, Any]
    spec_json: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256()
        digest.update(self.content.encode())
        digest.update(json.dumps(self.bundle, sort_keys=True, ensure_ascii=False).encode())
        object.__setattr__(self, "sha256", digest.hexdigest())


@dataclass
class ModelFiles:
    """The model files of one deployment: file name -> raw bytes, forms already decoded."""

    bpmn: dict[str, bytes]
    dmn: dict[str, bytes] = field(default_factory=dict)
    forms: dict[str, bytes] = field(default_factory=dict)
    lane_roles: Mapping[str, Any] = field(default_factory=dict)
    # Regulation profile ids: every decision table with a `profile` input must answer for each.
    profiles: tuple[str, ...] = ()


@dataclass
class Compilation:
    """The outcome of a successful validation: the processes, and the files as translated."""

    processes: list[CompiledProcess]
    files: ModelFiles
    notes: list[str] = field(default_factory=list)


def compile_models(files: ModelFiles, *, max_bytes: int) -> list[CompiledProcess]:
    """Validate and compile every executable process in `files`, or raise `InvalidModel`."""
    return compile_workspace(files, max_bytes=max_bytes).processes


def compile_workspace(files: ModelFiles, *, max_bytes: int) -> Compilation:
    """Translate Camunda files, validate everything, compile; raise `InvalidModel` with all problems."""
    problems: list[ModelProblem] = []
    files, notes = _translate(files, max_bytes, problems)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    roots: dict[str, etree._Element] = {}
    dmn_roots: dict[str, etree._Element] = {}
    for name, content in files.dmn.items():
        root = _safe_root(name, content, max_bytes, problems)
        if root is not None:
            dmn_roots[name] = root
            problems.extend(dmn.lint(name, root))
            _add(problems, name, lambda r=root, n=name: parser.add_dmn_xml(r, filename=n))
            _check_profile_rows(name, root, files.profiles, problems)
    for name, content in files.bpmn.items():
        root = _safe_root(name, content, max_bytes, problems)
        if root is not None:
            roots[name] = root
            _add(problems, name, lambda r=root, n=name: parser.add_bpmn_xml(r, filename=n))
    forms = _load_forms(files.forms, problems)
    if problems:
        raise InvalidModel(problems)
    context = _Context(files, dmn_roots, forms, decision_samples(dmn_roots.values()))
    compiled = [
        _compile_process(parser, name, root, process, context, problems)
        for name, root in roots.items()
        for process in root.iterfind("bpmn:process", NS)
        if process.get("isExecutable") == "true"
    ]
    if problems:
        raise InvalidModel(problems)
    return Compilation([c for c in compiled if c is not None], files, notes)


@dataclass(frozen=True)
class _Context:
    files: ModelFiles
    dmn_roots: dict[str, etree._Element]
    forms: dict[str, Any]
    samples: dict[str, Any]


def _translate(
    files: ModelFiles, max_bytes: int, problems: list[ModelProblem]
) -> tuple[ModelFiles, list[str]]:
    """Camunda Modeler files become DonDoc's dialect (new forms included) or are refused by name."""
    bpmn = dict(files.bpmn)
    forms = dict(files.forms)
    notes: list[str] = []
    for name, content in files.bpmn.items():
        try:
            root = parse_model_xml(content, max_bytes=max_bytes)
        except UnsafeXml:
            continue  # reported by the main pass
        if not camunda.uses_camunda(root):
            continue
        translation = camunda.translate(name, root, files.lane_roles)
        problems.extend(translation.problems)
        notes.extend(translation.notes)
        bpmn[name] = translation.content
        forms.update(translation.forms)
    translated = ModelFiles(
        bpmn=bpmn, dmn=dict(files.dmn), forms=forms, lane_roles=files.lane_roles, profiles=files.profiles
    )
    return translated, notes


def _safe_root(
    name: str, content: bytes, max_bytes: int, problems: list[ModelProblem]
) -> etree._Element | None:
    try:
        return parse_model_xml(content, max_bytes=max_bytes)
    except UnsafeXml as exc:
        problems.append(ModelProblem(name, exc.message))
        return None


def _check_profile_rows(
    name: str, root: etree._Element, profiles: tuple[str, ...], problems: list[ModelProblem]
) -> None:
    """A decision table keyed by `profile` must have a row for every profile (SpiffWorkflow would
    otherwise return nothing and the process would fail later, far from the table)."""
    for table in root.iter("{*}decisionTable"):
        inputs = [i for i in table if etree.QName(i).localname == "input"]
        texts = [(i.findtext("{*}inputExpression/{*}text") or "").strip() for i in inputs]
        if "profile" not in texts:
            continue
        column = texts.index("profile")
        covered: set[str] = set()
        for rule in table.iterfind("{*}rule"):
            entries = rule.findall("{*}inputEntry")
            text = (entries[column].findtext("{*}text") or "").strip() if column < len(entries) else ""
            covered.update(profiles if text in ("", "-") else {text.strip("\"'")})
        for missing in sorted(set(profiles) - covered):
            problems.append(
                ModelProblem(name, f"Bảng quyết định thiếu dòng cho quy chế '{missing}'.", table.get("id"))
            )


def _add(problems: list[ModelProblem], name: str, action: Any) -> None:
    try:
        action()
    except ValidationException as exc:
        problems.append(ModelProblem(name, _validation_message(exc), getattr(exc, "id", None) or None))
    except Exception as exc:  # noqa: BLE001 - any parser failure is a problem in the file
        problems.append(ModelProblem(name, f"Không đọc được tệp: {exc}"))


def _validation_message(exc: ValidationException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    line = getattr(exc, "line_number", "")
    return f"{text} (dòng {line})" if line else text


def _load_forms(raw: dict[str, bytes], problems: list[ModelProblem]) -> dict[str, Any]:
    forms: dict[str, Any] = {}
    for name, content in raw.items():
        try:
            schema = json.loads(content)
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.path) or "gốc"
            problems.append(
                ModelProblem(name, f"Biểu mẫu không phải JSON Schema hợp lệ (tại {where}): {exc.message}")
            )
            continue
        except ValueError as exc:
            problems.append(ModelProblem(name, f"Biểu mẫu không phải JSON hợp lệ: {exc}"))
            continue
        forms[name] = schema
    return forms


def _compile_process(
    parser: SpiffBpmnParser,
    file_name: str,
    root: etree._Element,
    process: etree._Element,
    context: _Context,
    problems: list[ModelProblem],
) -> CompiledProcess | None:
    process_id = process.get("id", "")
    files, dmn_roots, forms = context.files, context.dmn_roots, context.forms
    if not _decisions_exist(file_name, process, dmn_roots, problems):
        return None
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        problems.append(ModelProblem(file_name, _validation_message(exc), getattr(exc, "id", None) or None))
        return None
    _scripts_per_instance(spec)
    before = len(problems)
    lanes = _lane_roles(file_name, process, files.lane_roles, problems)
    used_forms = _check_user_tasks(file_name, spec, forms, lanes, problems)
    _check_texts(file_name, process, context.samples, problems)
    decision_ids = {
        node.text.strip() for node in process.iterfind(".//spiffworkflow:calledDecisionId", NS) if node.text
    }
    used_dmn = {
        name: files.dmn[name].decode()
        for name, droot in dmn_roots.items()
        if any(d.get("id") in decision_ids for d in droot.iter("{*}decision"))
    }
    if len(problems) > before:
        return None
    spec_dict = {
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {k: SERIALIZER.to_dict(v) for k, v in subprocess_specs.items()},
    }
    return CompiledProcess(
        process_id=process_id,
        name=process.get("name") or process_id,
        file_name=file_name,
        content=files.bpmn[file_name].decode(),
        bundle={"dmn": used_dmn, "forms": {n: forms[n] for n in sorted(used_forms)}, "lanes": lanes},
        spec_json=json.dumps(spec_dict, ensure_ascii=False),
    )


def _scripts_per_instance(spec: Any) -> None:
    """Run a multi-instance task's pre- and post-scripts once per instance, with that instance's data.

    The Spiff parser leaves them on the multi-instance wrapper, where a post-script would run once
    after all instances and never see the element (e.g. which inspected unit just reported).
    """
    for task_spec in list(spec.task_specs.values()):
        child_name = getattr(task_spec, "task_spec", None)
        if not child_name or not hasattr(task_spec, "postscript"):
            continue
        child = spec.task_specs.get(child_name)
        if child is None or not hasattr(child, "postscript"):
            continue
        child.prescript, child.postscript = task_spec.prescript, task_spec.postscript
        task_spec.prescript = task_spec.postscript = None


def _lane_roles(
    file_name: str, process: etree._Element, known: Mapping[str, Any], problems: list[ModelProblem]
) -> dict[str, str]:
    """Map each lane's display name to the role code declared in its `role` property."""
    lanes: dict[str, str] = {}
    for lane in process.iterfind(".//bpmn:lane", NS):
        prop = lane.find(".//spiffworkflow:property[@name='role']", NS)
        role = prop.get("value") if prop is not None else None
        if not role or role not in known:
            problems.append(
                ModelProblem(
                    file_name,
                    f"Làn '{lane.get('name')}' chưa gắn vai trò hợp lệ (thuộc tính role; "
                    f"các vai trò: {', '.join(sorted(known))}).",
                    lane.get("id"),
                )
            )
            continue
        lanes[lane.get("name") or lane.get("id", "")] = role
    return lanes


def _check_user_tasks(
    file_name: str, spec: Any, forms: dict[str, Any], lanes: dict[str, str], problems: list[ModelProblem]
) -> set[str]:
    used: set[str] = set()
    for task_spec in spec.task_specs.values():
        if type(task_spec).__name__ != "UserTask":
            continue
        props = task_spec.extensions.get("properties", {})
        for key in ("formJsonSchemaFilename", "formUiSchemaFilename"):
            form = props.get(key)
            if form and form not in forms:
                problems.append(ModelProblem(file_name, f"Không có biểu mẫu '{form}'.", task_spec.bpmn_id))
            elif form:
                used.add(form)
        if not props.get("formJsonSchemaFilename"):
            problems.append(ModelProblem(file_name, "Bước công việc chưa có biểu mẫu.", task_spec.bpmn_id))
        if task_spec.lane is None or task_spec.lane not in lanes:
            problems.append(
                ModelProblem(
                    file_name, "Bước công việc phải nằm trong một làn có vai trò.", task_spec.bpmn_id
                )
            )
    return used


def _decisions_exist(
    file_name: str,
    process: etree._Element,
    dmn_roots: dict[str, etree._Element],
    problems: list[ModelProblem],
) -> bool:
    known = {d.get("id") for root in dmn_roots.values() for d in root.iter("{*}decision")}
    found = True
    for node in process.iterfind(".//spiffworkflow:calledDecisionId", NS):
        decision = (node.text or "").strip()
        if decision not in known:
            owner = node.getparent().getparent()
            problems.append(
                ModelProblem(
                    file_name,
                    f"Bước gọi bảng quyết định '{decision}' nhưng không có tệp DMN nào chứa bảng này "
                    f"(các bảng hiện có: {', '.join(sorted(k for k in known if k)) or 'không có'}).",
                    owner.get("id"),
                )
            )
            found = False
    return found


TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")


def _check_texts(
    file_name: str, process: etree._Element, samples: dict[str, Any], problems: list[ModelProblem]
) -> None:
    """Check every script and expression now, so that no bad text waits for run time."""
    for node in process.iter(f"{{{BPMN_NS}}}script"):
        owner = node.getparent().get("id", "")
        _check_text(file_name, owner, node.text or "", "exec", problems, "Kịch bản")
    for node in process.iter(f"{{{BPMN_NS}}}conditionExpression"):
        owner = node.getparent().get("id", "")
        _check_text(file_name, owner, node.text or "", "eval", problems, "Điều kiện")
    for tag in TIMER_TAGS:
        for node in process.iter(f"{{{BPMN_NS}}}{tag}"):
            owner = node.getparent().getparent().get("id", "")
            if _check_text(file_name, owner, node.text or "", "eval", problems, "Hẹn giờ"):
                _check_sample(file_name, owner, tag, node.text or "", samples, problems, "Hẹn giờ")
    for tag in ("preScript", "postScript"):
        for node in process.iterfind(f".//spiffworkflow:{tag}", NS):
            owner = node.getparent().getparent().get("id", "")
            _check_text(file_name, owner, node.text or "", "exec", problems, "Kịch bản")
    for prop in process.iterfind(".//spiffworkflow:property[@name='dueOn']", NS):
        owner = prop.getparent().getparent().getparent().get("id", "")
        text = prop.get("value", "")
        if _check_text(file_name, owner, text, "eval", problems, "Hạn xử lý (dueOn)"):
            _check_sample(file_name, owner, "dueOn", text, samples, problems, "Hạn xử lý (dueOn)")


def _check_text(
    file_name: str, owner: str, text: str, mode: str, problems: list[ModelProblem], label: str
) -> bool:
    text = text.strip()
    reasons = unsafe_constructs(text, mode=mode)
    if not reasons:
        try:
            (compile_script if mode == "exec" else compile_expression)(text)
        except SyntaxError as exc:
            reasons = [f"không hợp lệ: {exc}"]
    for reason in reasons:
        problems.append(ModelProblem(file_name, f"{label}: {reason}", owner))
    return not reasons


def _check_sample(
    file_name: str,
    owner: str,
    kind: str,
    text: str,
    samples: dict[str, Any],
    problems: list[ModelProblem],
    label: str,
) -> None:
    reason = sample_problem(kind, text.strip(), samples)
    if reason:
        problems.append(ModelProblem(file_name, f"{label} '{text.strip()}' {reason}", owner))
