"""What every scenario model shares: strict frozen models and the form of an id."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Id", "Model"]

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40)]


class Model(BaseModel):
    """A scenario model: unknown fields are errors, and a validated scenario never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)
