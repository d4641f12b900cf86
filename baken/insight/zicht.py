"""The "zicht" figure: how many victims are in view against how many there are estimated to be.

Pure Python (no Django): the dashboards, the publication and the tests use the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Zicht", "population_share"]


def population_share(
    *, national_estimate: float, regional_population: int, national_population: int
) -> float:
    """The region's share of a national estimate, by population of the same year:
    national estimate × regional population ÷ national population (seed 002)."""
    if national_population <= 0:
        raise ValueError("the national population must be positive")
    if regional_population < 0 or regional_population > national_population:
        raise ValueError("the regional population must lie between 0 and the national one")
    return national_estimate * regional_population / national_population


@dataclass(frozen=True)
class Zicht:
    registered: int
    estimated: float

    @property
    def share_in_view(self) -> float | None:
        """Registered ÷ estimated; None when nothing is estimated."""
        return self.registered / self.estimated if self.estimated > 0 else None

    @property
    def unseen(self) -> float:
        return max(self.estimated - self.registered, 0.0)
