"""Regulation profiles: which rule set is active, and what each one is.

A profile is data: its metadata lives in `bpmn/rules/profiles.json`, its numbers and choices in the
decision tables beside it (one row per profile, citation in the row's annotation). The active
profile is an `app_setting`; registration copies it onto the directive and into each new process
instance, so switching profiles changes new instances only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app

from app.extensions import db
from app.models import AppSetting
from app.services import audit

PROFILE_KEY = "rules.profile"


class UnknownProfile(ValueError):
    """The profile id is not in profiles.json."""


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    instrument: str
    issuer: str
    level: str
    source: str
    notes: str


@cache
def _read(path: str) -> tuple[str | None, tuple[Profile, ...]]:
    """(default profile id, profiles); a model directory without a catalogue has none."""
    if not Path(path).exists():
        return None, ()
    raw: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    profiles = tuple(Profile(**entry) for entry in raw["profiles"])
    return str(raw["default"]), profiles


def _catalogue() -> tuple[str | None, tuple[Profile, ...]]:
    return _read(str(Path(current_app.config["DONDOC_BPMN_DIR"]) / "rules" / "profiles.json"))


def profiles() -> tuple[Profile, ...]:
    return _catalogue()[1]


def get_profile(profile_id: str) -> Profile:
    for profile in profiles():
        if profile.id == profile_id:
            return profile
    known = ", ".join(p.id for p in profiles())
    raise UnknownProfile(f"Không có quy chế '{profile_id}'. Các quy chế: {known}.")


def configured_profile() -> str | None:
    """The profile an administrator has set (`app_setting['rules.profile']`), None when none is."""
    setting = db.session.get(AppSetting, PROFILE_KEY)
    return str(setting.value) if setting is not None and setting.value else None


def active_profile() -> str | None:
    """The profile new directives are registered under (the catalogue's default until one is set)."""
    return configured_profile() or _catalogue()[0]


def set_active_profile(profile_id: str, *, actor_id: int | None) -> Profile:
    """Switch the active profile; running processes keep the one they started with."""
    profile = get_profile(profile_id)
    before = active_profile()
    setting = db.session.get(AppSetting, PROFILE_KEY)
    if setting is None:
        db.session.add(AppSetting(key=PROFILE_KEY, value=profile.id))
    else:
        setting.value = profile.id
    audit.record("rules_profile_changed", actor_id=actor_id, details={"from": before, "to": profile.id})
    return profile
