"""Ranked hot spots are places: peaks with a capped reach, and a sentence when one dominates.

Tallies are built in code on the H3 grid (WGS84 cell centres) around the Boten–Mohan
crossing on the CN–LA border.
"""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd
import pytest

from geo.analysis import cell_hotspots
from geo.distance import haversine_km
from geo.reference.places import load_border_crossings
from geo.spatial import hotspots
from geo.spatial.getis_ord import gi_star
from geo.spatial.hotspot_defaults import PLACE_RADIUS_KM

RESOLUTION = 7


def _boten() -> tuple[float, float]:
    crossings = load_border_crossings().set_index("crossing_id")
    return float(crossings.at["boten-mohan", "lat"]), float(crossings.at["boten-mohan", "lon"])


def _tally(weights: dict[str, int]) -> pd.DataFrame:
    """A cell tally (:data:`TALLY_COLUMNS`) with the given seizures per H3 cell, one taxon."""
    return pd.DataFrame(
        {
            "cell": list(weights),
            "taxon": "Manis javanica",
            "unit": None,
            "weight": np.array(list(weights.values()), dtype=np.int64),
            "quantity": np.nan,
        },
        columns=list(hotspots.TALLY_COLUMNS),
    )


def _components(cells: list[str]) -> int:
    """How many groups of touching cells (H3 adjacency) the cells make."""
    left, groups = set(cells), 0
    while left:
        groups += 1
        frontier = [left.pop()]
        while frontier:
            for neighbour in h3.grid_disk(frontier.pop(), 1):
                if neighbour in left:
                    left.remove(neighbour)
                    frontier.append(neighbour)
    return groups


def _km(cell_a: str, cell_b: str) -> float:
    return float(haversine_km(*h3.cell_to_latlng(cell_a), *h3.cell_to_latlng(cell_b)))


@pytest.fixture(scope="module")
def belt() -> tuple[pd.DataFrame, str, str]:
    """Two busy crossings 60 km apart joined by a busy belt, in a sparse 50 km wide area.

    Returns the tally and the two crossings' cells (Boten–Mohan first).
    """
    boten = _boten()
    other = (boten[0] + 0.30, boten[1] - 0.48)  # 60 km to the north-west
    first, second = (h3.latlng_to_cell(*point, RESOLUTION) for point in (boten, other))
    middle = h3.latlng_to_cell((boten[0] + other[0]) / 2, (boten[1] + other[1]) / 2, RESOLUTION)
    weights = dict.fromkeys(h3.grid_disk(middle, 22), 1)
    for cell in h3.grid_path_cells(first, second):
        weights.update(dict.fromkeys(h3.grid_disk(cell, 1), 40))
    for crossing in (first, second):
        weights.update(dict.fromkeys(h3.grid_disk(crossing, 1), 100))
    weights[first], weights[second] = 250, 200
    return _tally(weights), first, second


def test_a_busy_belt_with_two_crossings_gives_two_places_not_one(belt):
    tally, first, second = belt
    assert _km(first, second) == pytest.approx(60, abs=2)
    tested = gi_star(
        hotspots.hex_counts_from_tally(tally), "count", 1, method="counts", alternative="greater"
    )
    hot = tested.loc[tested["confidence"] >= 95, "cell"].tolist()
    assert first in hot and second in hot
    assert _components(hot) == 1, "the hot cells should make one belt, touching end to end"

    ranked = hotspots.border_hotspots_from_tally(tally, "CN-LA")
    assert len(ranked) >= 2
    top_two = [set(cells) for cells in ranked["cells"].iloc[:2]]
    assert any(first in cells for cells in top_two)
    assert any(second in cells for cells in top_two)
    assert not any(first in cells and second in cells for cells in ranked["cells"])
    assert ranked["count"].max() < tally["weight"].sum() / 2, "no place swallows the belt"
    for cells in ranked["cells"]:
        widest = max(_km(a, b) for a in cells for b in cells)
        assert widest <= 2 * PLACE_RADIUS_KM + 1e-6
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked["count"].is_monotonic_decreasing
    assert any("Boten" in place for place in ranked["place"].iloc[:2])


def test_the_scatter_around_one_crossing_stays_one_place():
    rng = np.random.default_rng(3)
    lat, lon = _boten()
    # Seizures a few km around the crossing (sd 2 km), as customs compounds and roads spread them.
    north = rng.normal(0.0, 2.0, 600) / 111.2
    east = rng.normal(0.0, 2.0, 600) / (111.2 * np.cos(np.radians(lat)))
    cells = [
        h3.latlng_to_cell(lat + a, lon + b, RESOLUTION) for a, b in zip(north, east, strict=True)
    ]
    background = h3.grid_disk(h3.latlng_to_cell(lat, lon, RESOLUTION), 25)
    weights = dict.fromkeys(background[::9], 1)
    for cell in cells:
        weights[cell] = weights.get(cell, 0) + 1
    ranked = hotspots.border_hotspots_from_tally(_tally(weights), "CN-LA")
    assert len(ranked) == 1
    assert ranked.iloc[0]["place"] == "Boten–Mohan crossing (CN–LA)"
    assert ranked.iloc[0]["count"] >= 590  # the scatter's cells and the few in between


def test_a_small_peak_next_to_a_big_one_takes_none_of_its_cells():
    lat, lon = _boten()
    big = h3.latlng_to_cell(lat, lon, 6)
    ring = sorted(h3.grid_ring(big, 1))
    far = h3.grid_ring(big, 2)
    # A small cell just beyond the cap from the big one, touching a busy neighbour of it.
    small = next(
        cell
        for cell in far
        if _km(cell, big) > PLACE_RADIUS_KM and any(n in ring for n in h3.grid_disk(cell, 1))
    )
    values = {big: 800, small: 16, **dict.fromkeys(ring, 300)}
    frame = pd.DataFrame(
        {
            "cell": list(values),
            "lat": [h3.cell_to_latlng(cell)[0] for cell in values],
            "lon": [h3.cell_to_latlng(cell)[1] for cell in values],
            "count": list(values.values()),
        }
    )
    groups = hotspots.place_groups(frame, "count", PLACE_RADIUS_KM)
    by_cell = dict(zip(frame["cell"], groups.tolist(), strict=True))
    assert {by_cell[cell] for cell in [big, *ring]} == {0}
    assert by_cell[small] == 1


def test_place_groups_caps_the_reach_and_leaves_out_cells_beyond_every_peak():
    lat, lon = _boten()
    start = h3.latlng_to_cell(lat, lon, RESOLUTION)
    end = h3.latlng_to_cell(lat + 0.27, lon, RESOLUTION)  # 30 km to the north
    line = h3.grid_path_cells(start, end)
    frame = pd.DataFrame(
        {
            "cell": line,
            "lat": [h3.cell_to_latlng(cell)[0] for cell in line],
            "lon": [h3.cell_to_latlng(cell)[1] for cell in line],
            "count": [10] * len(line),
        }
    )
    groups = hotspots.place_groups(frame, "count", PLACE_RADIUS_KM)
    assert groups.max() >= 1, "a 30 km line of equal cells is more than one place"
    for place in np.unique(groups):
        members = frame["cell"][groups == place].tolist()
        assert max(_km(a, b) for a in members for b in members) <= 2 * PLACE_RADIUS_KM + 1e-6
    only_first = np.arange(len(line)) == 0
    capped = hotspots.place_groups(frame, "count", PLACE_RADIUS_KM, peaks_from=only_first)
    reach = np.array([_km(start, cell) for cell in line])
    assert (capped[reach <= PLACE_RADIUS_KM] == 0).all()
    assert (capped[reach > PLACE_RADIUS_KM] == -1).all()
    with pytest.raises(ValueError, match="radius_km"):
        hotspots.place_groups(frame, "count", 0.0)


# --- the sentence said above the ranking ----------------------------------------------------


def _one_dominant_site(dominant: int = 900, scattered: int = 100) -> pd.DataFrame:
    """One cell at the Boten–Mohan crossing holding most seizures, the rest spread thinly."""
    rng = np.random.default_rng(9)
    centre = h3.latlng_to_cell(*_boten(), RESOLUTION)
    around = h3.grid_disk(centre, 20)
    weights = {centre: dominant}
    for cell in rng.choice(around, scattered, replace=True):
        if cell != centre:
            weights[cell] = weights.get(cell, 0) + 1
    return _tally(weights)


def test_one_dominant_cell_gives_the_dominance_sentence_whatever_the_test_says():
    tally = _one_dominant_site()
    total = int(tally["weight"].sum())
    ranked = hotspots.border_hotspots_from_tally(tally, "CN-LA")
    for ranking in (ranked, ranked.iloc[:0]):
        found = cell_hotspots.summarise_border_hotspots(ranking, tally, "CN-LA", 95)
        assert found.dominant
        assert found.band_seizures == total
        assert found.top_site.place == "Boten–Mohan crossing (CN–LA)"
        assert found.top_site.seizures >= 900
        assert found.top_site.share == pytest.approx(found.top_site.seizures / total)
        share = f"{found.top_site.share:.0%}"
        assert found.sentence.startswith(
            f"One place holds {found.top_site.seizures:,} of {total:,} seizures in the "
            f"China–Lao PDR band ({share}): Boten–Mohan crossing."
        )
        assert found.top_site.ranked == (not ranking.empty)
        assert ("does not mark it at 95% confidence" in found.sentence) == ranking.empty
        assert "no " not in found.sentence.lower()[:3]
    if not ranked.empty:
        found = cell_hotspots.summarise_border_hotspots(ranked, tally, "LA-CN", 95)
        assert found.top_site.seizures == ranked.iloc[0]["count"]


def test_a_dominant_place_the_test_missed_is_named_before_a_smaller_ranked_one():
    boten = _one_dominant_site(dominant=900, scattered=0)
    other = h3.latlng_to_cell(_boten()[0] + 0.4, _boten()[1] - 0.3, RESOLUTION)  # 50 km away
    spread = dict.fromkeys(h3.grid_disk(other, 1), 30)
    background = dict.fromkeys(h3.grid_disk(other, 12)[::7], 1)
    elsewhere = _tally({**background, **spread})
    # As if Gi* had marked only the smaller place: rank it from its own tally.
    ranking = hotspots.border_hotspots_from_tally(elsewhere, "CN-LA")
    assert len(ranking) == 1 and ranking.iloc[0]["count"] < 900
    both = pd.concat([boten, elsewhere], ignore_index=True)
    found = cell_hotspots.summarise_border_hotspots(ranking, both, "CN-LA", 95)
    assert found.top_site.place == "Boten–Mohan crossing (CN–LA)"
    assert found.top_site.seizures == 900 and not found.top_site.ranked
    assert found.dominant
    assert found.sentence.startswith("One place holds 900 of ")
    assert "does not mark it at 95% confidence" in found.sentence


def test_with_nothing_ranked_and_nothing_dominant_the_busiest_place_is_named():
    tally = _one_dominant_site(dominant=200, scattered=400)
    total = int(tally["weight"].sum())
    empty = hotspots.border_hotspots_from_tally(tally, "CN-LA").iloc[:0]
    found = cell_hotspots.summarise_border_hotspots(empty, tally, "CN-LA", 99)
    assert not found.dominant and not found.top_site.ranked
    assert found.sentence.startswith(
        "No place along the China–Lao PDR border stands out from its surroundings at 99% "
        "confidence; the busiest is Boten–Mohan crossing, with "
    )
    assert f"of {total:,} seizures (" in found.sentence
    assert found.summary()["top_site"]["place"] == "Boten–Mohan crossing (CN–LA)"
    assert "ranking" not in found.summary()


def test_an_empty_band_says_so():
    empty = _tally({})
    ranking = hotspots.border_hotspots_from_tally(empty, "CN-LA")
    found = cell_hotspots.summarise_border_hotspots(ranking, empty, "CN-LA")
    assert found.top_site is None and found.band_seizures == 0
    assert found.sentence == (
        "No seizures with coordinates in the China–Lao PDR border band for these filters."
    )
    with pytest.raises(ValueError, match="confidence"):
        cell_hotspots.summarise_border_hotspots(ranking, empty, "CN-LA", 80)
