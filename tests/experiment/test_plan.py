"""Planning an experiment: the KPIs asked for are checked against every variant's."""

from __future__ import annotations

import pytest

from plantwin import service
from plantwin.service import BadInput

# L3 makes tracer only in the base; the sweep's second variant makes blank there too
SWEEP = 'lines.L3.products=["tracer"],["tracer","blank"]'


@pytest.fixture(scope="module")
def loaded() -> service.LoadedScenario:
    return service.load("maracay", sets=['lines.L3.products=["tracer"]'], horizon="1d")


def test_a_kpi_only_a_later_variant_has_is_accepted(loaded: service.LoadedScenario) -> None:
    kpi = "lines.L3.by_product.blank"
    plan = service.plan_experiment(
        loaded, reps=2, sweeps=[SWEEP], kpis=[f"{kpi}*"], precision=(kpi, 0.1)
    )
    assert len(plan.scenarios) == 3
    with pytest.raises(BadInput, match=r"^--kpi 'lines\.L3\.by_product\.blank\*' matches no"):
        service.plan_experiment(loaded, reps=2, kpis=[f"{kpi}*"])  # the base alone has none


def test_a_kpi_no_variant_has_is_refused_with_the_closest_names_of_all(
    loaded: service.LoadedScenario,
) -> None:
    with pytest.raises(BadInput, match=r"did you mean .*lines\.L3\.by_product\.blank"):
        service.plan_experiment(
            loaded, reps=2, sweeps=[SWEEP], precision=("lines.L3.by_product.blan", 0.1)
        )
