"""`POST /api/v1/models`: deploy model files without the browser (scripted roll-outs), analysts only.

Multipart: one or more `files` (.bpmn, .dmn, form .json, lanes.json) and a `note`. The same
validation as the modeler and `flask bpmn deploy` runs; a refusal answers 422 with every problem
pinned to its file and element, and deploys nothing.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from app.api.errors import ApiError
from app.api.v1 import _user, bp
from app.extensions import db
from app.services import model_workspace
from app.services.authz import can_model
from app.services.model_workspace import WorkspaceError
from app.workflow import InvalidModel


@bp.post("/models")
def deploy_models() -> Any:
    if not can_model(_user()):
        raise ApiError(403, "forbidden", "Chỉ người phân tích quy trình (analyst) được triển khai mô hình.")
    try:
        overrides = {
            model_workspace.path_for_upload(f.filename or ""): f.read()
            for f in request.files.getlist("files")
        }
        if not overrides:
            raise WorkspaceError("Gửi ít nhất một tệp trong trường 'files' (multipart/form-data).")
        result = model_workspace.deploy(overrides, actor=_user(), note=request.form.get("note", ""))
    except WorkspaceError as exc:
        raise ApiError(422, "validation_failed", str(exc)) from exc
    except InvalidModel as exc:
        details = [{"file": p.file, "element_id": p.element_id, "message": p.message} for p in exc.problems]
        raise ApiError(422, "invalid_model", exc.message, details=details) from exc
    db.session.commit()
    return jsonify(
        {
            "versions": result.new_versions,
            "files": result.changed_files,
            "notes": result.notes,
            "processes": [
                {"process_id": o.process_id, "version": o.version, "changed": o.changed}
                for o in result.outcomes
            ],
        }
    ), 201
