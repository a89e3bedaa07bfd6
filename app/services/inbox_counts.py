"""Counts shown on the navigation, from the work_item projection only."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.services.work_items import inbox_query


def nav_counts(user: User) -> dict[str, int]:
    def count(scope: str) -> int:
        query = inbox_query(user, scope).order_by(None).subquery()
        return int(db.session.scalar(select(func.count()).select_from(query)) or 0)

    return {"mine": count("mine"), "unit": count("unit")}
