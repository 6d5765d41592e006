"""Synthetic but realistic seizure records, for demonstrations, tests and benchmarks.

The records are invented.  What is realistic is their shape: real crossings, airports and
seaports (from :mod:`geo.reference.places`), real trade routes for the species involved,
quantities in the units agencies use, seasonality, multi-year trends and clusters at the
crossings where seizures concentrate.  Every row says it is synthetic in ``source``.  The
streams, quantities and the other invented tables are data, in ``data/sample/``, read by
:mod:`geo.ingest.sample_tables`; this module draws the records from them.
"""

from __future__ import annotations

import bisect
import calendar
import math
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely

from geo.ingest.sample_tables import (
    EXPORTER,
    FIRST_DATE,
    LAST_DATE,
    YEARS,
    Amount,
    CityPlacement,
    Flow,
    Route,
    SamplePlace,
    SamplePlaces,
    Stream,
    load_sample_places,
    load_sample_tables,
    load_taxon_facts,
    shift_point,
)
from geo.schema import RECORD_FIELDS, SYNTHETIC_SOURCE

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "SAMPLE_FIELDS",
    "SAMPLE_TAXA",
    "SYNTHETIC_SOURCE",
    "generate_sample",
    "write_sample",
]

# one taxon per synthetic seizure: no other_taxa column
SAMPLE_FIELDS: tuple[str, ...] = tuple(
    name for name in RECORD_FIELDS if name not in ("batch_id", "other_taxa")
)
SAMPLE_TAXA: tuple[str, ...] = load_sample_tables().taxa

_T = TypeVar("_T")

# A point near a crossing is drawn again, this many times at most, until it falls inside the
# seizing country's polygon.
_SIDE_ATTEMPTS = 25


def generate_sample(rows: int, seed: int = 0) -> pd.DataFrame:
    """Generate synthetic seizure records.

    The records are invented but shaped like real ones: real crossings, airports and seaports,
    plausible routes, species and quantities, seasonality and trends between 2016-01-01 and
    2025-12-31.  Coordinates are WGS84 degrees.  ``source`` says on every row that the data
    is synthetic.

    Parameters
    ----------
    rows : int
        Number of records, zero or more.
    seed : int, default 0
        Seed for :func:`numpy.random.default_rng`; the same ``rows`` and ``seed`` always give
        the same frame.

    Returns
    -------
    pandas.DataFrame
        One row per record, with the columns of :data:`SAMPLE_FIELDS` (the record schema
        without ``batch_id``).  Trade-chain lists are joined with ";"; ``seizure_date`` is an
        ISO ``YYYY-MM-DD`` string; absent values (no export or transit country, no
        note) are missing, which CSV writes as empty cells.

    Raises
    ------
    ValueError
        If ``rows`` is negative.
    TypeError
        If ``rows`` or ``seed`` is not an integer.
    """
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)):
        raise TypeError(f"'rows' should be an integer, got {type(rows)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"'seed' should be an integer, got {type(seed)}")
    if rows < 0:
        raise ValueError(f"'rows' should be zero or more, got {rows}")
    rng = np.random.default_rng(int(seed))
    streams = load_sample_tables().streams
    places = load_sample_places()
    shares = np.array([stream.share for stream in streams])
    counts = rng.multinomial(int(rows), shares / shares.sum())
    records: list[dict[str, object]] = []
    for stream, count in zip(streams, counts, strict=True):
        for _ in range(int(count)):
            records.append(_make_record(stream, places, rng))
    frame = pd.DataFrame.from_records(records, columns=[*SAMPLE_FIELDS, "_order"])
    frame = frame.sort_values(["seizure_date", "_order"], kind="stable").drop(columns="_order")
    frame = frame.reset_index(drop=True)
    frame["record_id"] = [f"SYN-{number:06d}" for number in range(1, len(frame) + 1)]
    return frame


def write_sample(path: str | Path, rows: int, seed: int = 0) -> Path:
    """Generate synthetic records and write them to a CSV or Excel file.

    Parameters
    ----------
    path : str or pathlib.Path
        Destination; ``.csv`` writes UTF-8 CSV, ``.xlsx`` writes a workbook with a
        ``seizures`` sheet and a ``README`` sheet saying the data is synthetic.  Missing
        parent folders are created.
    rows : int
        Number of records.
    seed : int, default 0
        Seed, as for :func:`generate_sample`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        If the extension is neither ``.csv`` nor ``.xlsx``.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ValueError(f"sample file must end in .csv or .xlsx, got {target.name!r}")
    frame = generate_sample(rows, seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    else:
        readme = pd.DataFrame(
            {
                "README": [
                    SYNTHETIC_SOURCE,
                    "Every row on the 'seizures' sheet is invented; none describes a real seizure.",
                    f"Generated by geo.ingest.sample.generate_sample(rows={rows}, seed={seed}).",
                    "Places (border crossings, airports, seaports, cities) are real; species, "
                    "routes, dates and quantities are drawn to resemble published seizure data.",
                ]
            }
        )
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="seizures", index=False)
            readme.to_excel(writer, sheet_name="README", index=False)
    return target


def _make_record(
    stream: Stream, places: SamplePlaces, rng: np.random.Generator
) -> dict[str, object]:
    """Draw one record of a stream: date, place, trade chain, product and amount."""
    seizure_date = _draw_date(stream, rng)
    year_index = seizure_date.year - YEARS[0]
    placement = _pick_placement(stream, year_index, rng)
    products = placement.products or stream.products
    taxon, commodity = _pick(rng, [(item[:2], item[2]) for item in products])
    if isinstance(placement, Flow):
        where = _place_at_crossing(placement, places, seizure_date.year, rng)
    elif isinstance(placement, Route):
        where = _place_on_route(placement, places, rng)
    else:
        where = _place_in_city(placement, places, rng)
    origins = _draw_origins(stream, taxon, where, rng)
    chain = _complete_chain(where, origins)
    amount = load_sample_tables().amounts[(taxon, commodity)]
    scale = placement.amount_scale if isinstance(placement, CityPlacement) else 1.0
    quantity = _draw_quantity(amount, where["location_type"], scale, rng)
    seizing_country = where["seizing_country"]
    restricted = rng.random() < 0.10
    month_only = rng.random() < 0.03
    if month_only:
        seizure_date = seizure_date.replace(day=1)
    group, appendix = load_taxon_facts()[taxon]
    return {
        "record_id": None,
        "seizure_date": seizure_date.isoformat(),
        "date_precision": "month" if month_only else "day",
        "seizing_country": seizing_country,
        "location_name": where["location_name"],
        "lat": round(where["lat"], 5),
        "lon": round(where["lon"], 5),
        "coord_precision": where["coord_precision"],
        "location_type": where["location_type"],
        "transport_mode": where["transport_mode"],
        "origin_countries": ";".join(chain["origins"]),
        "export_country": chain["export"],
        "transit_countries": ";".join(chain["transits"]) or None,
        "destination_country": chain["destination"],
        "taxon": taxon,
        "taxon_group": group,
        "cites_appendix": appendix,
        "commodity": commodity,
        "quantity": quantity,
        "unit": amount.unit,
        "detection_method": _pick_detection(where["location_type"], rng),
        "agency": _agency(seizing_country, where["location_type"]),
        "source": SYNTHETIC_SOURCE,
        "notes": _draw_note(where["transport_mode"], taxon, commodity, quantity, rng),
        "sensitivity": "restricted" if restricted else "public",
        "owner_country": seizing_country,
        "_order": rng.random(),
    }


def _pick(rng: np.random.Generator, options: Sequence[tuple[_T, float]]) -> _T:
    """Return one option from ``(option, weight)`` pairs, in proportion to the weights."""
    cumulative = list(accumulate(weight for _, weight in options))
    position = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    return options[min(position, len(options) - 1)][0]


def _draw_date(stream: Stream, rng: np.random.Generator) -> date:
    """Draw a seizure date from the stream's monthly weights, then a day in that month."""
    cumulative = _month_cumulative_weights(stream.name)
    month_index = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    month_index = min(month_index, len(cumulative) - 1)
    year = YEARS[0] + month_index // 12
    month = month_index % 12 + 1
    day = 1 + int(rng.random() * calendar.monthrange(year, month)[1])
    return date(year, month, day)


@cache
def _month_cumulative_weights(stream_name: str) -> tuple[float, ...]:
    """Cumulative weight of each month 2016-01 .. 2025-12 for one stream."""
    tables = load_sample_tables()
    stream = next(item for item in tables.streams if item.name == stream_name)
    weights = []
    for year_index, year in enumerate(YEARS):
        year_weight = stream.trend[year_index]
        if stream.pandemic:
            year_weight *= tables.pandemic[year_index]
        for month in range(1, 13):
            weight = year_weight * stream.season[month - 1]
            if stream.lunar_new_year:
                weight *= _lunar_new_year_factor(year, month)
            weights.append(weight)
    return tuple(accumulate(weights))


def _lunar_new_year_factor(year: int, month: int) -> float:
    """Seizures rise in the month three weeks before the Lunar New Year and in its month."""
    first_days = load_sample_tables().lunar_new_year
    festival = first_days[year]
    run_up = festival - timedelta(days=21)
    factor = 1.0
    if (run_up.year, run_up.month) == (year, month):
        factor *= 1.35
    if festival.month == month:
        factor *= 1.15
    # The run-up to a late-January festival falls in the previous December.
    next_festival = first_days.get(year + 1)
    if next_festival is not None:
        next_run_up = next_festival - timedelta(days=21)
        if (next_run_up.year, next_run_up.month) == (year, month):
            factor *= 1.35
    return factor


def _pick_placement(
    stream: Stream, year_index: int, rng: np.random.Generator
) -> Flow | Route | CityPlacement:
    """Pick where the seizure happens; some crossings grow or close over the years."""
    options = []
    for placement in stream.placements:
        weight = placement.weight
        if isinstance(placement, Flow) and placement.year_factor:
            weight *= placement.year_factor[year_index]
        options.append((placement, weight))
    return _pick(rng, options)


def _place_at_crossing(
    flow: Flow, places: SamplePlaces, year: int, rng: np.random.Generator
) -> dict[str, object]:
    """Place a seizure a few km around a crossing, on the side of the seizing agency."""
    crossing = places.crossings[flow.crossing_id]
    seizing_country = flow.importer if rng.random() < 0.65 else flow.exporter
    east, north = crossing.into_side.get(seizing_country, (0.0, 0.0))
    # Customs compounds sit a km or two inside each side; searches spread along the roads.
    # Draw again until the point falls on the seizing agency's side of the real border line.
    for _ in range(_SIDE_ATTEMPTS):
        offset_east = 1.2 * east + rng.normal(0.0, 2.0)
        offset_north = 1.2 * north + rng.normal(0.0, 2.0)
        lat, lon = shift_point(crossing.lat, crossing.lon, offset_east, offset_north)
        if _inside(seizing_country, lat, lon):
            break
    has_rail = year >= load_sample_tables().rail_crossings.get(flow.crossing_id, math.inf)
    draw = rng.random()
    if has_rail and draw < 0.12:
        mode = "rail"
    elif draw > 0.88:
        mode = "pedestrian"
    else:
        mode = "road"
    destination = _pick(rng, flow.destinations) if flow.destinations else flow.importer
    return {
        "seizing_country": seizing_country,
        "location_name": crossing.name,
        "lat": lat,
        "lon": lon,
        "coord_precision": "exact",
        "location_type": "land_border",
        "transport_mode": mode,
        "export": flow.exporter,
        "transits": [flow.importer] if destination != flow.importer else [],
        "destination": destination,
    }


def _place_on_route(
    route: Route, places: SamplePlaces, rng: np.random.Generator
) -> dict[str, object]:
    """Place a seizure at the export, transit or destination airport or seaport of a route."""
    table = places.airports if route.mode == "air" else places.seaports
    export = table[_pick(rng, [(code, 1.0) for code in route.exports])]
    destination_codes = [
        code for code in route.destinations if table[code].country != export.country
    ] or list(route.destinations)
    destination = table[_pick(rng, [(code, 1.0) for code in destination_codes])]
    stage = _pick(rng, list(zip(("export", "transit", "destination"), route.stages, strict=True)))
    transit_codes = [
        code
        for code in route.transits
        if table[code].country not in {export.country, destination.country}
    ]
    transits: list[SamplePlace] = []
    if transit_codes and (stage == "transit" or rng.random() < route.transit_share):
        first = _pick(rng, [(code, 1.0) for code in transit_codes])
        transits.append(table[first])
        others = [code for code in transit_codes if table[code].country != table[first].country]
        if others and rng.random() < 0.14:
            transits.append(table[_pick(rng, [(code, 1.0) for code in others])])
    if stage == "transit" and not transits:
        stage = "destination"
    if stage == "export":
        point = export
    elif stage == "transit":
        point = transits[int(rng.random() * len(transits))]
    else:
        point = destination
    spread_km = 0.3 if route.mode == "air" else 0.4
    lat, lon = shift_point(
        point.lat, point.lon, rng.normal(0.0, spread_km), rng.normal(0.0, spread_km)
    )
    return {
        "seizing_country": point.country,
        "location_name": point.name,
        "lat": lat,
        "lon": lon,
        "coord_precision": "exact",
        "location_type": "airport" if route.mode == "air" else "seaport",
        "transport_mode": route.mode,
        "export": export.country,
        "transits": _unique([place.country for place in transits]),
        "destination": destination.country,
    }


def _place_in_city(
    cities: CityPlacement, places: SamplePlaces, rng: np.random.Generator
) -> dict[str, object]:
    """Place an inland, market or mail-centre seizure at a city centre."""
    city = places.cities[_pick(rng, list(cities.cities))]
    if cities.location_type == "mail_centre":
        name, mode = f"{city.name} international mail centre", "post"
    elif cities.location_type == "market":
        name, mode = f"{city.name} market", "unknown"
    else:
        name, mode = city.name, "road" if rng.random() < 0.7 else "unknown"
    destination = _pick(rng, cities.destinations) if cities.destinations else city.country
    return {
        "seizing_country": city.country,
        "location_name": name,
        "lat": city.lat,
        "lon": city.lon,
        "coord_precision": "city",
        "location_type": cities.location_type,
        "transport_mode": mode,
        "export": city.country if cities.destinations else None,
        "transits": [],
        "destination": destination,
    }


def _draw_origins(
    stream: Stream, taxon: str, where: dict[str, object], rng: np.random.Generator
) -> list[str]:
    """Draw the origin countries; ``@`` in the options stands for the export country."""
    options = stream.origins.get(taxon)
    export = where["export"] or where["seizing_country"]
    if not options:
        return [export]
    chosen = _pick(rng, list(options))
    return _unique([export if code == EXPORTER else code for code in chosen])


def _complete_chain(where: dict[str, object], origins: list[str]) -> dict[str, object]:
    """Fill export and transit countries so the chain reads origin -> ... -> destination."""
    export = where["export"]
    destination = where["destination"]
    if export is None and origins[0] != where["seizing_country"]:
        # Seized on arrival inland: the goods were exported from where they came from.
        export = origins[0]
    # Transit countries lie between the export and the destination, so neither is repeated.
    excluded = {*origins, export, destination}
    transits = [code for code in where["transits"] if code not in excluded]
    return {
        "origins": origins,
        "export": export,
        "transits": transits[:2],
        "destination": destination,
    }


def _draw_quantity(
    amount: Amount, location_type: str, scale: float, rng: np.random.Generator
) -> float:
    """Draw a log-normal quantity in the product's unit, bulkier at seaports."""
    median = amount.median * scale
    if location_type == "seaport":
        median *= amount.bulk
    # Redraw values outside the plausible range rather than clip them, so that no spike of
    # identical maximum seizures appears; clip only if several draws in a row miss.
    for _ in range(8):
        value = float(np.exp(rng.normal(math.log(median), amount.sigma)))
        if amount.low <= value <= amount.high:
            break
    value = min(max(value, amount.low), amount.high)
    if amount.unit in {"individuals", "pieces"}:
        return float(max(1, round(value)))
    if value >= 10:
        return round(value, 1)
    return round(value, 2)


def _pick_detection(location_type: str, rng: np.random.Generator) -> str:
    """Pick how the seizure was detected, in proportions typical of the place."""
    tables = load_sample_tables()
    weights = tables.detection_weights[location_type]
    return _pick(rng, list(zip(tables.detection_methods, weights, strict=True)))


def _agency(country: str, location_type: str) -> str:
    """Name the seizing agency: customs at borders and ports, police or wildlife inland."""
    agencies = load_sample_tables().agencies
    customs, inland = agencies.get(country, (f"Customs ({country})", f"Police ({country})"))
    return inland if location_type in {"inland", "market"} else customs


def _draw_note(
    transport_mode: str, taxon: str, commodity: str, quantity: float, rng: np.random.Generator
) -> str | None:
    """Write a short free-text note, as agencies do, or none."""
    if rng.random() < 0.35:
        return None
    phrases = load_sample_tables().concealments[transport_mode]
    note = phrases[int(rng.random() * len(phrases))]
    if taxon == "Anguilla anguilla":
        note = f"glass eels, about {quantity / 3000:.0f} kg; {note}"
    elif commodity == "LIV" and rng.random() < 0.3:
        note = f"{note}; animals handed to a rescue centre"
    return note[0].upper() + note[1:]


def _unique(codes: list[str]) -> list[str]:
    """Drop repeats, keeping the first occurrence."""
    return list(dict.fromkeys(codes))


@lru_cache(maxsize=1)
def _country_shapes() -> dict[str, object]:
    from geo.spatial.boundaries import load_boundaries

    shapes = {}
    for row in load_boundaries("10m").itertuples(index=False):
        if row.iso2:
            shapely.prepare(row.geometry)
            shapes[row.iso2] = row.geometry
    return shapes


def _inside(country: str, lat: float, lon: float) -> bool:
    shape = _country_shapes().get(country)
    return shape is None or bool(shapely.contains_xy(shape, lon, lat))
