"""Hypothesis profiles for the core's tests.

``mutation`` is for mutation testing (``scripts/mutation``, ``[tool.mutmut]`` in
pyproject.toml): each mutant re-runs the property tests, so they draw far fewer
examples, never shrink a failure (a mutant is killed by the first one) and keep no
example database. The seed stays fixed by mutmut's arguments, so a run is repeatable.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "mutation",
    max_examples=15,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=(HealthCheck.too_slow,),
)
