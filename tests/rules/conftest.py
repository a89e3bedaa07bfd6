"""Fixtures of the regulation scenarios."""

from __future__ import annotations

import pytest

from tests.scenario import Scenario


@pytest.fixture
def s(api, freeze):
    return Scenario(api, freeze)
