"""Building the plant: suppliers, each line's delivery, installation and ramp-up, backup power.

A line with a ``project`` is ``not_commissioned`` until its equipment has arrived (planned date
plus a delay, plus re-sourcing when its supplier's shipments are blocked) and its installation
and qualification work is done; then it ramps up to full rate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from plantwin.scenario._base import Id, Model
from plantwin.scenario._dist import Constant, Distribution

__all__ = ["Backup", "Project", "RampUp", "Supplier"]

Probability = Annotated[float, Field(ge=0, le=1)]


class Supplier(Model):
    """An equipment supplier whose shipments may all be blocked (sanctions, export bans)."""

    id: Id
    block_probability: Probability = Field(
        default=0.0, description="chance that the supplier's shipments are blocked"
    )
    resource_time: Distribution | None = Field(
        default=None, description="hours to re-source blocked equipment elsewhere"
    )

    @model_validator(mode="after")
    def _resource(self) -> Self:
        if self.block_probability > 0 and self.resource_time is None:
            raise ValueError("a supplier that can be blocked needs resource_time")
        return self


class RampUp(Model):
    """After qualification the rate factor rises from ``start`` to 1 over ``duration`` hours."""

    start: float = Field(gt=0, le=1, description="rate factor right after qualification")
    duration: float = Field(ge=0, description="calendar hours")
    shape: Literal["linear", "learning"] = Field(
        default="linear", description="learning: fast at first, then flattening"
    )
    defect_factor: float = Field(
        default=1.0, ge=1,
        description="defect fraction multiplier at the start, falling to 1 as the rate rises",
    )  # fmt: skip


class Project(Model):
    """The commissioning of one line: delivery, installation and qualification, ramp-up."""

    supplier: Id | None = None
    delivery: date = Field(description="planned delivery date of the equipment")
    delivery_delay: Distribution = Field(default=Constant(value=0.0), description="hours")
    installation: Distribution = Field(
        description="installation and qualification work, in working and powered hours"
    )
    ramp_up: RampUp | None = None


class Backup(Model):
    """On-site generation: carries some lines and the range through cuts, after a start delay."""

    lines: list[Id] = Field(description="lines the generators carry")
    range: bool = Field(default=True, description="whether the test range is carried")
    start_delay: float = Field(default=0.0, ge=0, description="hours")
    fail_to_start: Probability = Field(default=0.0, description="chance per cut")
