"""Data validation with Great Expectations 1.x: suites over the store's progress
events, contracts and tasks, and a plain result model the pipeline can report.

Importing this package does not import great_expectations; running a suite does.
"""

from __future__ import annotations

from typing import Any

from swarmops.store import Store
from swarmops.validation.results import FailedExpectation, SuiteResult, ValidationReport


def validate_store(store: Store, context: Any | None = None) -> ValidationReport:
    """Read the store and run every suite (``context``: a reusable GX context)."""
    from swarmops.validation.data import read_validation_data
    from swarmops.validation.suites import validate_frames

    return validate_frames(read_validation_data(store), context)


__all__ = ["FailedExpectation", "SuiteResult", "ValidationReport", "validate_store"]
