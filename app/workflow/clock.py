"""The engine's notion of "now", injected into SpiffWorkflow's timer module.

SpiffWorkflow's timer event definitions call `datetime.now(timezone.utc)` directly. DonDoc runs
on one clock that tests and training sessions can freeze, so while the adapter runs a workflow it
installs that instant here; outside a run the real time applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone, tzinfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

_engine_now: ContextVar[datetime | None] = ContextVar("engine_now", default=None)


class EngineDatetime(datetime):
    """`datetime` whose `now()` answers the instant the adapter is running the engine at."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> EngineDatetime:
        frozen = _engine_now.get()
        base = frozen if frozen is not None else datetime.now(tz)
        if tz is not None:
            base = base.astimezone(tz)
        return cls.fromtimestamp(base.timestamp(), base.tzinfo)


spiff_timer.datetime = EngineDatetime
# A timer text without an offset means Vietnam time (no daylight saving), not the server's zone.
spiff_timer.LOCALTZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


@contextmanager
def engine_time(now: datetime) -> Iterator[None]:
    """Run the engine as if it were `now` (an aware instant)."""
    if now.tzinfo is None:
        raise ValueError("engine_time needs an aware datetime")
    token = _engine_now.set(now)
    try:
        yield
    finally:
        _engine_now.reset(token)
