"""Turn model files (BPMN, DMN, JSON Schema forms) into deployable, versionable process specs.

Every file passes the hardened XML parser, then the XSD validation built into the Spiff parser,
then our own checks (forms exist and are schemas, lanes name known roles, every script and
expression compiles under RestrictedPython). Problems are collected, not raised one by one, so
an analyst sees all of them at once.
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

from app.workflow.errors import InvalidModel, ModelProblem, UnsafeXml
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


def compile_models(files: ModelFiles, *, max_bytes: int) -> list[CompiledProcess]:
    """Validate and compile every executable process in `files`, or raise `InvalidModel`."""
    problems: list[ModelProblem] = []
    parser = SpiffBpmnParser(validator=VALIDATOR)
    roots: dict[str, etree._Element] = {}
    dmn_roots: dict[str, etree._Element] = {}
    for name, content in files.dmn.items():
        root = _safe_root(name, content, max_bytes, problems)
        if root is not None:
            dmn_roots[name] = root
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
    compiled = [
        _compile_process(parser, name, root, process, files, dmn_roots, forms, problems)
        for name, root in roots.items()
        for process in root.iterfind("bpmn:process", NS)
        if process.get("isExecutable") == "true"
    ]
    if problems:
        raise InvalidModel(problems)
    return [c for c in compiled if c is not None]


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
        except (ValueError, SchemaError) as exc:
            problems.append(ModelProblem(name, f"Biểu mẫu không phải JSON Schema hợp lệ: {exc}"))
            continue
        forms[name] = schema
    return forms


def _compile_process(
    parser: SpiffBpmnParser,
    file_name: str,
    root: etree._Element,
    process: etree._Element,
    files: ModelFiles,
    dmn_roots: dict[str, etree._Element],
    forms: dict[str, Any],
    problems: list[ModelProblem],
) -> CompiledProcess | None:
    process_id = process.get("id", "")
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        problems.append(ModelProblem(file_name, _validation_message(exc), getattr(exc, "id", None) or None))
        return None
    before = len(problems)
    lanes = _lane_roles(file_name, process, files.lane_roles, problems)
    used_forms = _check_user_tasks(file_name, spec, forms, lanes, problems)
    _check_texts(file_name, process, problems)
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


def _check_texts(file_name: str, process: etree._Element, problems: list[ModelProblem]) -> None:
    """Compile every script and expression now, so that no bad text waits for run time."""
    checks: list[tuple[str, str, Any]] = []
    for node in process.iter(f"{{{BPMN_NS}}}script"):
        checks.append((node.getparent().get("id", ""), node.text or "", compile_script))
    for tag in ("conditionExpression", "timeDate", "timeDuration", "timeCycle"):
        for node in process.iter(f"{{{BPMN_NS}}}{tag}"):
            owner = node.getparent()
            if tag.startswith("time"):
                owner = owner.getparent()
            checks.append((owner.get("id", ""), node.text or "", compile_expression))
    for prop in process.iterfind(".//spiffworkflow:property[@name='dueOn']", NS):
        owner = prop.getparent().getparent().getparent()
        checks.append((owner.get("id", ""), prop.get("value", ""), compile_expression))
    for element_id, text, compile_text in checks:
        try:
            compile_text(text.strip())
        except SyntaxError as exc:
            problems.append(ModelProblem(file_name, f"Biểu thức/kịch bản không hợp lệ: {exc}", element_id))
