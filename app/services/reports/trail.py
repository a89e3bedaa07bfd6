"""Where report columns find facts that other parts of the product record in the audit trail.

Extensions, urging and quality evaluations are recorded by other services (some of them still being
built); reports read them from `audit_event` by these names, in one place, so that aligning a name
is a one-line change. A name nobody records yet simply counts 0.
"""

from __future__ import annotations

# Extension granted by the Chairman (R8). TODO(extensions): align with the extension service's
# audit action once it records one; until then the column counts 0.
EXTENSION_GRANTED_ACTIONS = ("extension_granted",)

# Urging (R11): every notice the system sends about a task (`notify(...)` in a model, recorded as
# `model:notify`) and every urging document recorded against a task. TODO(urging): add the urging
# service's own action names when it records urging documents.
URGING_ACTIONS = ("model:notify", "urging_sent", "urging_document_issued")

# Quality evaluation (R9): the Office's confirmation form carries `quality` (good / fair / poor).
QUALITY_ACTION = "work_item_completed"
QUALITY_LEVELS = ("good", "fair", "poor")
QUALITY_LABELS = {"good": "Tốt", "fair": "Đạt", "poor": "Chưa đạt"}

# The forms whose completion records a task's result (R7 "late update" = entered late).
RESULT_FORMS = ("report_result.json",)

# Published inspection conclusions (R12, 001:17.3.b). TODO(inspections): the inspection service
# records this action with details {title, unit_code, conclusion, published_on}.
INSPECTION_PUBLISHED_ACTION = "inspection_conclusion_published"
INSPECTION_RATED_ACTION = "inspection_concluded"
