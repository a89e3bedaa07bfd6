"""Emulation scorecards: a yearly table per unit for the emulation and rewards council.

The regulations make the results of tracking a criterion of the yearly evaluation of agencies
(000:21, 001:25, 004:20) without a formula, so the formula is data: three components, each 0-100,
weighted by the council's weights (`app_setting['reports.scorecard_weights']`, defaults below),
shown next to the table. A component without data (no inspection of the unit that year) is left
out and the other weights are scaled up, instead of scoring the unit 0 for something not measured.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.i18n_marker import N_
from app.models import AppSetting, Inspection, InspectionConclusion
from app.services.reports.scope import Scope
from app.services.reports.summary import Figures, Filters, compute

WEIGHTS_KEY = "reports.scorecard_weights"
DEFAULT_WEIGHTS = {"on_time": 0.6, "updates": 0.3, "inspection": 0.1}
COMPONENT_LABELS = {
    "on_time": N_("Tỷ lệ hoàn thành đúng hạn"),
    "updates": N_("Tỷ lệ cập nhật kết quả đúng hạn (R7)"),
    "inspection": N_(
        "Kết luận kiểm tra (không vi phạm 100, vi phạm nhẹ 70, nghiêm trọng 30, rất nghiêm trọng 0)"
    ),
}
# Points per conclusion, by the severity the inspection team recorded (`inspection_conclusion`).
INSPECTION_POINTS = {"none": 100.0, "minor": 70.0, "serious": 30.0, "very_serious": 0.0}
CONCLUDED = ("concluded", "closed")


@dataclass
class Scorecard:
    unit_id: int
    name: str
    figures: Figures
    on_time: float | None
    updates: float | None
    inspection: float | None
    inspections: int
    score: float | None


def weights() -> dict[str, float]:
    row = db.session.get(AppSetting, WEIGHTS_KEY)
    chosen = row.value if row is not None and isinstance(row.value, dict) else {}
    return {k: float(chosen.get(k, v)) for k, v in DEFAULT_WEIGHTS.items()}


def formula(w: dict[str, float]) -> str:
    parts = " + ".join(f"{w[k]:g} × {COMPONENT_LABELS[k]}" for k in DEFAULT_WEIGHTS)
    return (
        f"Điểm = ({parts}) ÷ tổng trọng số của các thành phần có số liệu. "
        "Tỷ lệ đúng hạn = đúng hạn ÷ (đúng hạn + hoàn thành quá hạn + quá hạn); "
        "cập nhật đúng hạn = 1 − cập nhật muộn ÷ số nhiệm vụ đã đến hạn cập nhật."
    )


def _inspection_ratings(scope: Scope, start: date, end: date) -> dict[int, list[float]]:
    """Points of the inspection conclusions about the scope's units, per row unit: conclusions of
    inspections concluded (the competent leader agreed, 000:14.1) within [start, end]."""
    rows = db.session.execute(
        select(InspectionConclusion.unit_id, InspectionConclusion.severity)
        .join(Inspection, Inspection.id == InspectionConclusion.inspection_id)
        .where(
            Inspection.status.in_(CONCLUDED),
            Inspection.concluded_on >= start,
            Inspection.concluded_on <= end,
            InspectionConclusion.unit_id.in_(scope.unit_ids),
        )
    )
    ratings: dict[int, list[float]] = defaultdict(list)
    for unit_id, severity in rows:
        if severity in INSPECTION_POINTS:
            ratings[scope.row_of[unit_id]].append(INSPECTION_POINTS[severity])
    return ratings


def _score(components: dict[str, float | None], w: dict[str, float]) -> float | None:
    present = {k: v for k, v in components.items() if v is not None and w.get(k, 0) > 0}
    total_weight = sum(w[k] for k in present)
    if not total_weight:
        return None
    return round(sum(w[k] * v for k, v in present.items()) / total_weight, 1)


def yearly(scope: Scope, year: int, until: date, filters: Filters | None = None) -> list[Scorecard]:
    """One scorecard per unit for tasks assigned in `year` (up to `until`), best score first."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), until)
    report = compute(scope, start, end, filters, with_lists=False)
    ratings = _inspection_ratings(scope, start, end)
    w = weights()
    cards = []
    for row in report.rows:
        f = row.figures
        rate = f.on_time_rate
        on_time = round(rate * 100, 1) if rate is not None else None
        updates = round(100 * (1 - f.late_updates / f.updates_due), 1) if f.updates_due else None
        marks = ratings.get(row.unit_id, [])
        inspection = round(sum(marks) / len(marks), 1) if marks else None
        components: dict[str, float | None] = {
            "on_time": on_time,
            "updates": updates,
            "inspection": inspection,
        }
        cards.append(
            Scorecard(
                row.unit_id, row.name, f, on_time, updates, inspection, len(marks), _score(components, w)
            )
        )
    return sorted(cards, key=lambda c: (c.score is None, -(c.score or 0), c.name))


def as_rows(cards: list[Scorecard]) -> list[list[Any]]:
    return [
        [
            i,
            c.name,
            c.figures.received,
            c.on_time,
            c.figures.late_updates,
            c.figures.updates_due,
            c.updates,
            c.inspections,
            c.inspection,
            c.score,
        ]  # fmt: skip
        for i, c in enumerate(cards, start=1)
    ]


CSV_HEADERS = [
    "Hạng", "Đơn vị", "Số nhiệm vụ", "Đúng hạn (%)", "Cập nhật muộn", "Đến hạn cập nhật",
    "Cập nhật đúng hạn (%)", "Số lần kiểm tra", "Điểm kiểm tra", "Điểm tổng hợp",
]  # fmt: skip
