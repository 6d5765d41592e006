"""WGS84 latitude and longitude read from agency text: decimal, DMS and single-cell pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.ingest import _arrow

__all__ = ["PLACEHOLDER_PROBLEM", "parse_coordinate", "parse_coordinates"]

PLACEHOLDER_PROBLEM = "coordinates (0, 0) are a placeholder, not a location"

_AXIS_NAMES = {"lat": "latitude", "lon": "longitude"}
_LIMITS = {"lat": 90.0, "lon": 180.0}

# Cell texts that mean "no coordinate given" (compared after trimming and lower-casing).
_MISSING = frozenset(
    {"", "-", "--", "—", "–", "?", "n/a", "na", "n.a.", "nan", "none", "null", "nil", "nd"}
)

# Hemisphere words and letters in English, Spanish, French and Portuguese.  O (oeste, ouest)
# is west and L (leste) is east.
_HEMISPHERES = {
    **dict.fromkeys(("n", "north", "norte", "nord"), "N"),
    **dict.fromkeys(("s", "south", "sur", "sul", "sud"), "S"),
    **dict.fromkeys(("e", "east", "este", "est", "leste", "l"), "E"),
    **dict.fromkeys(("w", "west", "oeste", "ouest", "o"), "W"),
}
_HEMISPHERE_WORDS = "|".join(sorted(_HEMISPHERES, key=len, reverse=True))
_LEADING_HEMISPHERE = re.compile(rf"^({_HEMISPHERE_WORDS})\.?\s*(?=[\d+\-])")
# A hemisphere letter may follow the seconds letter, as in "21d11m30sN".
_TRAILING_HEMISPHERE = re.compile(rf"(?:(?<![a-z])|(?<=\ds))({_HEMISPHERE_WORDS})\.?$")
# In "21d11m30s" the final s marks seconds, not the southern hemisphere.
_SECONDS_LETTER = re.compile(r"\d\s*m\s*\d+(?:[.,]\d+)?s$")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "‐": "-", "‒": "-"})

_NUMBER = r"\d+(?:[.,]\d+)?"
_DEGREES_MARK = r"(?:°|º|˚|degrees|degree|deg|d)"
_MINUTES_MARK = r"(?:'|’|′|‘|`|minutes|minute|min|m)"
_SECONDS_MARK = r"(?:''|’’|′′|\"|”|″|seconds|second|sec|s)"
_SEXAGESIMAL = re.compile(
    rf"^(?P<degrees>{_NUMBER})\s*{_DEGREES_MARK}?"
    rf"(?:[\s:]*(?P<minutes>{_NUMBER})\s*{_MINUTES_MARK}?"
    rf"(?:[\s:]*(?P<seconds>{_NUMBER})\s*{_SECONDS_MARK}?)?)?$"
)

_PAIR_SEPARATOR = re.compile(r"\s*[;/|]\s*")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SPLIT_AFTER_NORTH_SOUTH = re.compile(r"(?<=[nsNS])(?=\s*[\d+\-])|(?<=[nsNS]\.)")

# Vectorised fast paths (RE2 syntax).  They accept only text that the per-value parser reads
# the same way, so a value's result never depends on the other rows.
_FAST_DECIMAL = r"^[+-]?\d+(?:[.,]\d+)?$"
_FAST_PAIR = (
    r"^[(\[]?\s*(?P<lat>[+-]?\d+(?:\.\d+)?)(?:\s*[,;]\s*|\s+)(?P<lon>[+-]?\d+(?:\.\d+)?)\s*[)\]]?$"
)


def parse_coordinate(text: str, axis: Literal["lat", "lon"]) -> float:
    """Read one latitude or longitude in WGS84 decimal degrees.

    Accepts decimals with ``.`` or ``,`` (``"21.18"``, ``"-3,45"``) and degrees, minutes
    and seconds with the usual symbols or letters (``21°11'30"N``, ``N 21°11.5'``,
    ``21 11 30 N``, ``21d11m30s``).  Hemisphere letters or words may come before or
    after the number, in English, Spanish, French or Portuguese: O (oeste, ouest) is west
    and L (leste) is east.  A minus sign together with S or W is read as south or west: the
    two say the same thing and do not cancel out.  A minus sign with N or E is an error.

    Parameters
    ----------
    text : str
        The cell text.
    axis : {"lat", "lon"}
        Which coordinate the text holds; decides the valid hemispheres and range.

    Returns
    -------
    float
        Decimal degrees, negative for south and west.

    Raises
    ------
    ValueError
        With one sentence naming the value, when the text is empty, not a coordinate, has a
        hemisphere of the other axis, or lies outside -90..90 (latitude) or -180..180
        (longitude).
    """
    if axis not in _AXIS_NAMES:
        raise ValueError(f"axis should be 'lat' or 'lon', got {axis!r}")
    if text is None or text.strip().casefold() in _MISSING:
        raise ValueError(f"{_AXIS_NAMES[axis]} is missing")
    value = _parse_coordinate_value(text, axis)
    if not abs(value) <= _LIMITS[axis]:
        raise ValueError(_outside_message(axis, text.strip()))
    return value


def parse_coordinates(
    lat: pd.Series | None, lon: pd.Series | None, latlon: pd.Series | None = None
) -> pd.DataFrame:
    """Read WGS84 coordinates from latitude and longitude columns or a single pair column.

    Each of `lat` and `lon` is read as by `parse_coordinate`.  `latlon` holds both in one
    cell (``"21.18, 101.69"``, ``"21.18 101.69"``, ``"21,18; 101,69"``,
    ``"(21.18, 101.69)"``, ``"21°11'N 101°41'E"``) and is used on rows where `lat` or `lon`
    is missing.  With decimal commas, the pair must be separated by ``;`` or by a space; the
    one comma-separated form accepted is exactly three commas with only the middle one
    followed by a space (``"21,18, 101,69"``).

    Parameters
    ----------
    lat, lon : pandas.Series or None
        Latitude and longitude cells, as text or None (numeric columns are accepted too).
    latlon : pandas.Series, optional
        "latitude, longitude" cells, indexed like `lat` and `lon`.

    Returns
    -------
    pandas.DataFrame
        Indexed like the inputs, with columns ``lat`` and ``lon`` (float64 decimal degrees,
        NaN when missing or invalid) and ``problem`` (one sentence naming the value, or None).
        A row with both coordinates missing has no problem; one coordinate missing, a value
        that cannot be read, a latitude outside -90..90 (reported as swapped when exchanging
        the two would make both valid), a longitude outside -180..180 and (0, 0) are problems,
        and then both coordinates are NaN.
    """
    given = [series for series in (lat, lon, latlon) if series is not None]
    if not given:
        raise ValueError("parse_coordinates needs at least one of lat, lon or latlon")
    index = given[0].index
    count = len(index)
    if any(len(series) != count for series in given):
        lengths = [len(series) for series in given]
        raise ValueError(f"lat, lon and latlon should have the same length, got {lengths}")

    lat_column = _parse_column(lat, "lat", count)
    lon_column = _parse_column(lon, "lon", count)
    latitudes, longitudes = lat_column.values.copy(), lon_column.values.copy()
    problems = np.where(pd.isna(lat_column.problems), lon_column.problems, lat_column.problems)
    lat_missing, lon_missing = lat_column.missing, lon_column.missing
    from_pair = np.zeros(count, dtype=bool)
    pair_text = None

    if latlon is not None:
        pair = _parse_pair_column(latlon, count)
        from_pair = (lat_missing | lon_missing) & pd.isna(problems) & ~pair.missing
        latitudes[from_pair] = pair.latitudes[from_pair]
        longitudes[from_pair] = pair.longitudes[from_pair]
        problems[from_pair] = pair.problems[from_pair]
        lat_missing = lat_missing & ~from_pair
        lon_missing = lon_missing & ~from_pair
        pair_text = pair.text

    clean = pd.isna(problems)
    problems[clean & lat_missing & ~lon_missing] = "latitude is missing"
    problems[clean & lon_missing & ~lat_missing] = "longitude is missing"

    present = clean & ~lat_missing & ~lon_missing
    with np.errstate(invalid="ignore"):
        outside = present & ~((np.abs(latitudes) <= 90) & (np.abs(longitudes) <= 180))
        placeholder = present & (latitudes == 0) & (longitudes == 0)
    problems[placeholder] = PLACEHOLDER_PROBLEM
    if outside.any():
        rows = np.flatnonzero(outside)
        lat_texts, lon_texts = _row_texts(rows, lat_column, lon_column, pair_text, from_pair)
        for row, lat_text, lon_text in zip(rows, lat_texts, lon_texts, strict=True):
            problems[row] = _range_message(latitudes[row], longitudes[row], lat_text, lon_text)

    failed = pd.notna(problems)
    latitudes[failed] = np.nan
    longitudes[failed] = np.nan
    return pd.DataFrame(
        {
            "lat": latitudes,
            "lon": longitudes,
            "problem": pd.Series(problems, dtype=object),
        }
    ).set_axis(index)


@dataclass
class _Column:
    """One coordinate column read: values, missing cells, parse problems, and its text."""

    values: np.ndarray
    missing: np.ndarray
    problems: np.ndarray
    text: pa.Array | None


@dataclass
class _Pair:
    """The pair column read: latitudes, longitudes, missing cells, problems, and its text."""

    latitudes: np.ndarray
    longitudes: np.ndarray
    missing: np.ndarray
    problems: np.ndarray
    text: pa.Array


def _parse_column(values: pd.Series | None, axis: str, count: int) -> _Column:
    """Read one coordinate column without range checks (they need both axes)."""
    problems = np.full(count, None, dtype=object)
    if values is None:
        return _Column(np.full(count, np.nan), np.ones(count, dtype=bool), problems, None)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        return _Column(numbers.copy(), np.isnan(numbers), problems, None)

    cells = _arrow.arrow_cells(values)
    missing = pc.is_null(cells).to_numpy(zero_copy_only=False)
    numbers = _arrow.cast_all_float(cells)
    if numbers is not None:
        # Arrow accepts no spaces, so these cells need no trimming.
        text = cells
        fast = np.isfinite(numbers)
    else:
        text = pc.utf8_trim_whitespace(cells)
        fast = _arrow.matches(text, _FAST_DECIMAL)
        dotted = pc.replace_substring(text, ",", ".")
        numbers = _arrow.cast_float(pc.if_else(pa.array(fast), dotted, pa.scalar(None, text.type)))

    rest = np.flatnonzero(~fast & ~missing)
    if len(rest):
        encoded = pc.dictionary_encode(text.take(rest))
        distinct = encoded.dictionary.to_pylist()
        unique_values = np.full(len(distinct), np.nan)
        unique_missing = np.zeros(len(distinct), dtype=bool)
        unique_problems = np.full(len(distinct), None, dtype=object)
        for position, cell in enumerate(distinct):
            if cell.casefold() in _MISSING:
                unique_missing[position] = True
                continue
            try:
                unique_values[position] = _parse_coordinate_value(cell, axis)
            except ValueError as error:
                unique_problems[position] = str(error)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        numbers[rest] = unique_values[codes]
        missing[rest] = unique_missing[codes]
        problems[rest] = unique_problems[codes]
    return _Column(numbers, missing, problems, text)


def _parse_pair_column(values: pd.Series, count: int) -> _Pair:
    """Read a "latitude, longitude" column without range checks."""
    text = _arrow.arrow_text(values)
    parts = pc.extract_regex(text, _FAST_PAIR)
    latitudes = _arrow.cast_float(pc.struct_field(parts, "lat"))
    longitudes = _arrow.cast_float(pc.struct_field(parts, "lon"))
    fast = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    missing = pc.is_null(text).to_numpy(zero_copy_only=False)
    problems = np.full(count, None, dtype=object)

    rest = np.flatnonzero(~fast & ~missing)
    if len(rest):
        encoded = pc.dictionary_encode(text.take(rest))
        distinct = encoded.dictionary.to_pylist()
        unique_pairs = np.full((len(distinct), 2), np.nan)
        unique_missing = np.zeros(len(distinct), dtype=bool)
        unique_problems = np.full(len(distinct), None, dtype=object)
        for position, cell in enumerate(distinct):
            if cell.casefold() in _MISSING:
                unique_missing[position] = True
                continue
            try:
                lat_text, lon_text = _split_pair(cell)
                unique_pairs[position] = (
                    _parse_coordinate_value(lat_text, "lat"),
                    _parse_coordinate_value(lon_text, "lon"),
                )
            except ValueError as error:
                unique_problems[position] = str(error)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        latitudes[rest] = unique_pairs[codes, 0]
        longitudes[rest] = unique_pairs[codes, 1]
        missing[rest] = unique_missing[codes]
        problems[rest] = unique_problems[codes]
    return _Pair(latitudes, longitudes, missing, problems, text)


def _row_texts(
    rows: np.ndarray,
    lat_column: _Column,
    lon_column: _Column,
    pair_text: pa.Array | None,
    from_pair: np.ndarray,
) -> tuple[list[str], list[str]]:
    """Return the cell text behind each coordinate of `rows`, for messages."""
    lat_texts = _column_texts(lat_column, rows)
    lon_texts = _column_texts(lon_column, rows)
    if pair_text is not None and from_pair[rows].any():
        pairs = pair_text.take(rows).to_pylist()
        for position, row in enumerate(rows):
            if from_pair[row]:
                lat_texts[position], lon_texts[position] = _split_pair(pairs[position])
    return lat_texts, lon_texts


def _column_texts(column: _Column, rows: np.ndarray) -> list[str]:
    if column.text is None:
        return [_arrow.format_number(value) for value in column.values[rows]]
    return [cell or "" for cell in column.text.take(rows).to_pylist()]


def _range_message(latitude: float, longitude: float, lat_text: str, lon_text: str) -> str:
    if abs(latitude) > 90 and abs(latitude) <= 180 and abs(longitude) <= 90:
        return (
            f"latitude {_arrow.format_number(latitude)} and longitude "
            f"{_arrow.format_number(longitude)} look swapped (latitude must be within -90..90)"
        )
    if not abs(latitude) <= 90:
        return _outside_message("lat", lat_text)
    return _outside_message("lon", lon_text)


def _outside_message(axis: str, text: str) -> str:
    limit = int(_LIMITS[axis])
    return f"{_AXIS_NAMES[axis]} '{text}' is outside -{limit}..{limit}"


def _parse_coordinate_value(text: str, axis: str) -> float:
    """Decimal degrees from one coordinate text, without the range check."""
    raw = text.strip()
    name = _AXIS_NAMES[axis]
    if _arrow.PLAIN_NUMBER.match(raw):
        return float(raw)
    body = raw.translate(_MINUS_SIGNS).casefold()

    hemisphere = None
    if match := _LEADING_HEMISPHERE.match(body):
        hemisphere = _HEMISPHERES[match[1]]
        body = body[match.end() :]
    if (match := _TRAILING_HEMISPHERE.search(body)) and not (
        match[1] == "s" and _SECONDS_LETTER.search(body)
    ):
        if hemisphere is not None:
            raise ValueError(f"{name} '{raw}' has two hemisphere letters")
        hemisphere = _HEMISPHERES[match[1]]
        body = body[: match.start()]
    body = body.strip()

    negative = body.startswith("-")
    body = body.lstrip("+-").strip()
    match = _SEXAGESIMAL.match(body)
    if match is None:
        raise ValueError(f"{name} '{raw}' is not a coordinate")
    degrees, minutes, seconds = (
        None if part is None else float(part.replace(",", "."))
        for part in match.group("degrees", "minutes", "seconds")
    )
    if (minutes is not None and not degrees.is_integer()) or (
        seconds is not None and not minutes.is_integer()
    ):
        raise ValueError(f"{name} '{raw}' has decimals before its minutes or seconds")
    if (minutes or 0) >= 60 or (seconds or 0) >= 60:
        raise ValueError(f"{name} '{raw}' has minutes or seconds of 60 or more")
    value = degrees + (minutes or 0) / 60 + (seconds or 0) / 3600

    if hemisphere is not None:
        valid = ("N", "S") if axis == "lat" else ("E", "W")
        if hemisphere not in valid:
            kind = "an east/west" if axis == "lat" else "a north/south"
            raise ValueError(f"{name} '{raw}' has {kind} hemisphere letter")
        if negative and hemisphere in ("N", "E"):
            raise ValueError(f"{name} '{raw}' has a minus sign but hemisphere {hemisphere}")
        negative = hemisphere in ("S", "W")
    return -value if negative else value


def _split_pair(text: str) -> tuple[str, str]:
    """Split a "latitude, longitude" cell into its two texts, or raise ValueError."""
    raw = text.strip()
    body = raw.strip("()[]{} ")
    ambiguous = (
        f"coordinates '{raw}' are ambiguous: use '.' for decimals or ';' between "
        "latitude and longitude"
    )

    separated = _PAIR_SEPARATOR.split(body)
    if len(separated) == 2:
        return separated[0], separated[1]
    if len(separated) > 2:
        raise ValueError(f"coordinates '{raw}' are not a latitude, longitude pair")

    commas = body.count(",")
    if commas == 1:
        first, second = (part.strip() for part in body.split(","))
        try:
            _parse_coordinate_value(first, "lat")
            _parse_coordinate_value(second, "lon")
        except ValueError:
            # "21,5 101,7" style pairs also have commas; try them before reporting the part.
            if (found := _split_without_commas(body)) is not None:
                return found
            raise
        return first, second
    if commas == 3:
        halves = body.split(", ")
        if len(halves) == 2 and all(half.count(",") == 1 for half in halves):
            return halves[0].strip(), halves[1].strip()
    if commas and _DECIMAL_COMMA.sub("", body).count(","):
        raise ValueError(ambiguous)
    if (found := _split_without_commas(body)) is not None:
        return found
    if commas:
        raise ValueError(ambiguous)
    raise ValueError(f"coordinates '{raw}' are not a latitude, longitude pair")


def _split_without_commas(body: str) -> tuple[str, str] | None:
    """Return the one split of `body` into valid latitude and longitude texts, if any.

    Candidate split points are runs of spaces and the place right after an N or S hemisphere
    letter; a split counts when both halves read as coordinates of their axis.
    """
    points = {(match.start(), match.end()) for match in re.finditer(r"\s+", body)}
    points |= {(match.start(), match.start()) for match in _SPLIT_AFTER_NORTH_SOUTH.finditer(body)}
    found = set()
    for start, end in points:
        first, second = body[:start].strip(), body[end:].strip()
        if not first or not second:
            continue
        try:
            _parse_coordinate_value(first, "lat")
            _parse_coordinate_value(second, "lon")
        except ValueError:
            continue
        found.add((first, second))
    return found.pop() if len(found) == 1 else None
