"""Hypothesis settings of the fuzz suite: modest under CI (CI=true), more on a developer's run.

Deadlines are off (a shared 2-core machine makes timings meaningless); a failure prints the
example and how to reproduce it (`@reproduce_failure`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "pctt-fuzz-ci", max_examples=40, deadline=None, print_blob=True, derandomize=False
)
settings.register_profile("pctt-fuzz", max_examples=150, deadline=None, print_blob=True)
PROFILE = (
    "pctt-fuzz-ci"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes")
    else os.environ.get("PCTT_FUZZ_PROFILE", "pctt-fuzz")
)
#: Decorate each property test with FUZZ (not a global profile: other suites keep theirs).
FUZZ = settings(settings.get_profile(PROFILE))
#: For tests that use the database: one transaction for all examples is intended.
FUZZ_DB = settings(FUZZ, suppress_health_check=[HealthCheck.function_scoped_fixture])
