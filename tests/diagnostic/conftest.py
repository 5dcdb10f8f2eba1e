"""Hypothesis profiles for the diagnostic's property tests.

``ci`` (the default, and what `make test` runs): few examples, no deadline (a loaded
two-core machine must not fail a test on time), derandomised (the same examples every run),
no example database written into the tree. ``HYPOTHESIS_PROFILE=dev`` explores more.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=2000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
