"""Names by which report columns find facts that other parts of the product record.

Most facts have their own rows and are read there: urging from `urging` / `urging_task`,
extensions from `extension_request`, quality evaluations from `task.quality` (R9), the R7 update
deadline from `task.result_due_on`, inspection conclusions from `inspection_conclusion`. What is
left here are the names that tie a report to the models: which forms record an update of a task
(R7), and the quality levels of the confirmation form.
"""

from __future__ import annotations

# Quality evaluation (R9): the levels of the confirmation form (`confirm_completion.json`).
QUALITY_LEVELS = ("good", "fair", "poor")
QUALITY_LABELS = {"good": "Tốt", "fair": "Đạt", "poor": "Chưa đạt"}

# The forms whose completion updates a task's status or result (R7): the agency's report step of
# `task_lifecycle` (completion, progress, obstacles, extension requests...) and the Office's entry
# for an agency not connected to the system.
RESULT_FORMS = ("execute_task.json", "office_entry.json")
