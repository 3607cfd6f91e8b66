"""The tests of the demo data itself: each module loads the demo city first."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _demo_loaded(demo_city) -> None:
    """Every test here reads the demo city."""
