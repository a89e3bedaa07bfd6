"""Counts shown on the navigation, from the work_item projection only (see services.inbox)."""

from __future__ import annotations

from app.services.inbox import nav_counts

__all__ = ["nav_counts"]
