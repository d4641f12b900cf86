"""The "zicht" figure reproduces seed 002: Twente's share of the national estimate."""

import pytest

from baken.insight.zicht import Zicht, population_share


def test_population_share_reproduces_the_twente_figure_of_seed_002():
    # Seed 002: 6,250 victims a year nationally (National Rapporteur); Twente 627,848 of
    # 16.9 million inhabitants; about 232 estimated victims a year against 16 reported.
    twente = population_share(
        national_estimate=6250, regional_population=627_848, national_population=16_900_000
    )
    assert round(twente) == 232
    zicht = Zicht(registered=16, estimated=twente)
    assert zicht.share_in_view == pytest.approx(0.069, abs=0.001)
    assert round(zicht.unseen) == 216


@pytest.mark.parametrize(("regional", "national"), [(10, 0), (-1, 100), (200, 100)])
def test_impossible_populations_are_refused(regional, national):
    with pytest.raises(ValueError):
        population_share(
            national_estimate=100, regional_population=regional, national_population=national
        )
