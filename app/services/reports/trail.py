"""Where report columns find facts that other parts of the product record in the audit trail.

Extensions and quality evaluations are recorded in `audit_event` by other services and models;
reports read them by these names, in one place, so that aligning a name is a one-line change. A
name nobody records yet simply counts 0. Facts with their own tables are read there instead:
urging from `urging` / `urging_task` (`summary.urging_counts`), inspection conclusions from
`inspection_conclusion` (`scorecards`, and the public page through the inspection service).
"""

from __future__ import annotations

# Extension granted by the Chairman (R8). TODO(extensions): align with the extension service's
# audit action once it records one; until then the column counts 0.
EXTENSION_GRANTED_ACTIONS = ("extension_granted",)

# Quality evaluation (R9): the Office's confirmation form carries `quality` (good / fair / poor).
QUALITY_ACTION = "work_item_completed"
QUALITY_LEVELS = ("good", "fair", "poor")
QUALITY_LABELS = {"good": "Tốt", "fair": "Đạt", "poor": "Chưa đạt"}

# The forms whose completion records a task's result (R7 "late update" = entered late).
RESULT_FORMS = ("report_result.json",)
