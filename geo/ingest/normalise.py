"""Normalise a chunk of raw cells into seizure records, with a reason for every problem.

Each field is parsed once per distinct cell value (agency files repeat the same countries,
species and units thousands of times), so a chunk of 100,000 rows costs little more than
its number of distinct values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.ingest.coordinates import PLACEHOLDER_PROBLEM, parse_coordinates
from geo.ingest.dates import assemble_dates, parse_dates
from geo.ingest.enrichment import geocode_missing
from geo.ingest.headers import ColumnMapping
from geo.ingest.quantities import (
    QUANTITY_COLUMNS,
    infer_decimal_comma,
    parse_quantities,
    primary_quantity,
)
from geo.ingest.vocabulary import controlled_value
from geo.reference.countries import country_list, country_match
from geo.reference.species import match_commodity, match_taxa, taxon_info
from geo.schema import FIELDS, RECORD_FIELDS, TAXON_GROUPS

__all__ = ["ChunkResult", "NormaliseOptions", "normalise_chunk"]

# other_taxa joins the hash only where it is set (see _content_hash): a one-taxon record keeps
# the hash it had before the field existed, so re-imports of older files stay duplicates.
_HASHED_FIELDS = [f for f in RECORD_FIELDS if f not in ("record_id", "batch_id", "other_taxa")]


@dataclass(frozen=True)
class NormaliseOptions:
    """Per-file settings for normalisation.

    Attributes
    ----------
    dayfirst : bool
        Read ``03/04/2021`` as 3 April (True) or 4 March (False).
    today : datetime.date
        Dates after this are rejected as being in the future.
    defaults : dict
        ``{field: value}`` for fields the file lacks (from a user mapping).
    sensitivity : str
        For rows that state none: ``public``, or ``restricted`` (a signed-in user's default).
    owner_country : str or None
        For rows that state none: the importing user's home country; without one (a store
        without users), the seizing country.
    """

    dayfirst: bool = True
    today: dt.date = field(default_factory=dt.date.today)
    defaults: dict[str, str] = field(default_factory=dict)
    sensitivity: str = "public"
    owner_country: str | None = None


@dataclass
class ChunkResult:
    """One chunk, normalised.

    Attributes
    ----------
    records : DataFrame
        One row per input row, indexed by source row: the record fields plus ``extra``,
        ``content_hash`` (int64) and ``source_id`` (the file's own id or ``None``).
    errors : DataFrame
        ``row, column, value, reason``: problems that quarantine their row.
    warnings : DataFrame
        ``row, column, value, reason``: problems that keep the row.
    """

    records: pd.DataFrame
    errors: pd.DataFrame
    warnings: pd.DataFrame


class _Problems:
    """Collects problems as column-wise lists (cheap even for many rows)."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.columns: list[str] = []
        self.values: list[str | None] = []
        self.reasons: list[str] = []

    def add(self, mask: pd.Series, column: str, values: pd.Series | None, reasons: object) -> None:
        """Add one problem for each row where ``mask`` is true."""
        hit = mask.fillna(False).to_numpy(dtype=bool)
        if not hit.any():
            return
        index = mask.index[hit]
        self.rows.extend(index.tolist())
        self.columns.extend([column] * len(index))
        if values is None:
            self.values.extend([None] * len(index))
        else:
            self.values.extend(values.loc[index].tolist())
        if callable(reasons):
            self.reasons.extend(reasons(value) for value in values.loc[index].tolist())
        elif isinstance(reasons, pd.Series):
            self.reasons.extend(reasons.loc[index].tolist())
        else:
            self.reasons.extend([str(reasons)] * len(index))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"row": self.rows, "column": self.columns, "value": self.values, "reason": self.reasons}
        )


def _per_value(values: pd.Series, parse: Callable[[str], object]) -> pd.Series:
    """Apply ``parse`` once per distinct non-null value and spread the results back."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [parse(value) for value in uniques]
    results[-1] = None  # code -1 (a missing cell) takes the last slot
    return pd.Series(results[codes], index=values.index, dtype=object)


def _per_value_fields(
    values: pd.Series, parse: Callable[[str], object], names: tuple[str, ...]
) -> pd.DataFrame:
    """Like :func:`_per_value` for a parser whose result has several attributes or keys."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = [parse(value) for value in uniques]
    columns = {}
    for name in names:
        column = np.empty(len(uniques) + 1, dtype=object)
        column[:-1] = [
            item.get(name) if isinstance(item, dict) else getattr(item, name, None)
            for item in parsed
        ]
        column[-1] = None
        columns[name] = column[codes]
    # object, not inferred: pandas would turn each text column into Arrow strings and back
    return pd.DataFrame(columns, index=values.index, dtype=object)


def normalise_chunk(
    raw: pd.DataFrame, mapping: ColumnMapping, options: NormaliseOptions
) -> ChunkResult:
    """Normalise raw text cells into records.

    Parameters
    ----------
    raw : DataFrame
        Cells as ``str`` or ``None`` under the file's column names, indexed by source row.
    mapping : ColumnMapping
        Which column holds which field.
    options : NormaliseOptions
        Day-first setting, today's date and per-file defaults.

    Returns
    -------
    ChunkResult
        The records (one per input row), and the errors and warnings found.
    """
    errors, warnings = _Problems(), _Problems()
    index = raw.index
    empty = pd.Series([None] * len(raw), index=index, dtype=object)

    def cells(name: str) -> pd.Series | None:
        if name in mapping.fields:
            return raw[mapping.fields[name]]
        if name in options.defaults:
            return pd.Series([options.defaults[name]] * len(raw), index=index, dtype=object)
        if name == "unit" and "quantity" in mapping.units:
            # The quantity column's header states the unit ("Weight (t)").
            return pd.Series([mapping.units["quantity"]] * len(raw), index=index, dtype=object)
        return None

    def label(name: str) -> str:
        return mapping.fields.get(name, name)

    out = pd.DataFrame(index=index)

    # -- date ---------------------------------------------------------------------------
    extra_soft: dict[str, pd.Series] = {}
    _date_fields(cells, label, options, out, errors, warnings, extra_soft, empty)

    # -- places and coordinates -----------------------------------------------------------
    location = cells("location_name")
    city_country = cells("city_country")
    seizing_cells = cells("seizing_country")
    if city_country is not None:
        split = _per_value_fields(city_country, _split_city_country, ("city", "country"))
        city, country_part = split["city"], split["country"]
        location = city if location is None else location.where(location.notna(), city)
        seizing_cells = (
            country_part
            if seizing_cells is None
            else seizing_cells.where(seizing_cells.notna(), country_part)
        )
    # The location's own text is geocoded as written; a city/province hierarchy is geocoded
    # level by level, and names the record's location where the file has no location column.
    place_text = location if location is not None else empty
    city_cells, province_cells = cells("city"), cells("province")
    hierarchy = _hierarchy_text(city_cells, province_cells)
    if hierarchy is not None:
        location = hierarchy if location is None else location.where(location.notna(), hierarchy)
    out["location_name"] = location if location is not None else empty

    coordinate_cells = (cells("lat"), cells("lon"), cells("latlon"))
    if all(c is None for c in coordinate_cells):
        coordinate_cells = (empty, empty, None)
    coords = parse_coordinates(*coordinate_cells)
    out["lat"] = coords["lat"]
    out["lon"] = coords["lon"]
    coordinate_column = label("lat") if "lat" in mapping.fields else label("latlon")
    coordinate_text = _coordinate_text(cells("lat"), cells("lon"), cells("latlon"), index)
    # (0, 0) is what a system writes for "no coordinates": the row is placed like one with
    # none (by its place or country, else quarantined for that), with a warning, not refused.
    placeholder = coords["problem"].eq(PLACEHOLDER_PROBLEM).fillna(False).astype(bool)
    coords["problem"] = coords["problem"].where(~placeholder, None)
    warnings.add(
        placeholder,
        coordinate_column,
        coordinate_text,
        PLACEHOLDER_PROBLEM + "; read as no coordinates",
    )
    errors.add(coords["problem"].notna(), coordinate_column, coordinate_text, coords["problem"])
    has_point = out["lat"].notna() & out["lon"].notna()
    given_coord_precision = _controlled(cells("coord_precision"), "coord_precision", empty)
    out["coord_precision"] = np.where(
        has_point, given_coord_precision.fillna("exact"), "none"
    ).astype(object)
    given_type = _controlled(cells("location_type"), "location_type", empty)

    # -- countries ------------------------------------------------------------------------
    seizing = _per_value_fields(
        seizing_cells if seizing_cells is not None else empty,
        country_match,
        ("code", "problem", "unknown"),
    )
    out["seizing_country"] = seizing["code"]
    seizing_problem = seizing["problem"]

    # Records without coordinates are placed from their airport, seaport, crossing or city
    # name (or their city and province columns), else on their country, with the precision
    # that says which.
    unplaced = ~has_point & coords["problem"].isna()
    placed = geocode_missing(
        place_text, out["seizing_country"], ~unplaced, city=city_cells, province=province_cells
    )
    if not placed.empty:
        out.loc[placed.index, "lat"] = placed["lat"].astype(float)
        out.loc[placed.index, "lon"] = placed["lon"].astype(float)
        out.loc[placed.index, "coord_precision"] = placed["precision"]
        guessed_type = placed["location_type"].where(given_type.loc[placed.index].isna())
        given_type = given_type.astype(object)
        given_type.loc[placed.index] = given_type.loc[placed.index].where(
            given_type.loc[placed.index].notna(), guessed_type
        )
        has_point = out["lat"].notna() & out["lon"].notna()
    unrecognised = seizing_problem.notna()
    seizing_text = seizing_cells if seizing_cells is not None else empty
    seizing_label = label("seizing_country") if seizing_cells is not None else "seizing_country"
    if "city_country" in mapping.fields and "seizing_country" not in mapping.fields:
        seizing_label = label("city_country")
    warnings.add(unrecognised & has_point, seizing_label, seizing_text, seizing_problem)
    # "Various", "Unknown", "N/A": no country to record, but what the file said is kept.
    stated_unknown = seizing["unknown"].fillna(False).astype(bool)
    if stated_unknown.any():
        extra_soft[seizing_label] = seizing_text.where(stated_unknown, None)
    no_place = out["seizing_country"].isna() & ~has_point & coords["problem"].isna()
    errors.add(
        no_place & unrecognised,
        seizing_label,
        seizing_text,
        seizing_problem + "; with no coordinates either, the seizure cannot be placed",
    )
    errors.add(
        no_place & ~unrecognised,
        seizing_label,
        seizing_text,
        "neither a seizing country nor coordinates are given",
    )

    for name in ("origin_countries", "transit_countries"):
        _country_field(name, cells(name), label(name), out, warnings, extra_soft, index, many=True)
    for name in ("export_country", "destination_country", "owner_country"):
        _country_field(name, cells(name), label(name), out, warnings, extra_soft, index, many=False)

    # -- taxon and commodity --------------------------------------------------------------
    # A second species column (a common-name column beside the scientific one) stands in
    # where the first is empty.
    spare_taxa = [raw[column] for column, name in mapping.duplicates.items() if name == "taxon"]
    given_commodity = _taxon_fields(
        cells, label, out, errors, warnings, extra_soft, index, spare_taxa
    )

    # -- quantity -------------------------------------------------------------------------
    _quantity_fields(cells, label, out, errors, warnings, extra_soft, index, given_commodity)
    # CITES reports use the trade term "unspecified" when only the species is known.
    out.loc[out["taxon"].notna() & out["commodity"].isna(), "commodity"] = "UNK"

    # -- controlled lists and free text -------------------------------------------------
    for name, fallback in (("transport_mode", "unknown"), ("location_type", None)):
        text = cells(name)
        stated = _controlled(text, name, empty)
        value = given_type if name == "location_type" else stated
        if text is not None:
            bad = text.notna() & stated.isna()
            warnings.add(
                bad,
                label(name),
                text,
                lambda v, n=name: f"{n.replace('_', ' ')} {v!r} is not recognised; kept in extra",
            )
            extra_soft[label(name)] = text.where(bad, None)
        out[name] = value.fillna(fallback) if fallback else value
    sensitivity = _controlled(cells("sensitivity"), "sensitivity", empty)
    out["sensitivity"] = sensitivity.fillna(options.sensitivity)
    for name in ("detection_method", "agency", "source", "notes"):
        text = cells(name)
        out[name] = text if text is not None else empty
    owner = out["seizing_country"] if options.owner_country is None else options.owner_country
    out["owner_country"] = out["owner_country"].where(out["owner_country"].notna(), owner)
    out["batch_id"] = None
    source_id = cells("source_id")
    out["source_id"] = source_id if source_id is not None else empty

    out = out[[*[f for f in RECORD_FIELDS if f != "record_id"], "source_id"]]
    for name in out.columns:
        if FIELDS.get(name, "text") in ("text", "list"):
            out[name] = _none_for_missing(out[name])
    out["extra"] = _extra_json(raw, mapping, extra_soft)
    out["content_hash"] = _content_hash(out)
    out["record_id"] = out["source_id"]
    unnamed = out["source_id"].isna()
    if unnamed.any():
        out.loc[unnamed, "record_id"] = [
            f"h{value:016x}"
            for value in out.loc[unnamed, "content_hash"].to_numpy().view(np.uint64)
        ]
    return ChunkResult(out, errors.frame(), warnings.frame())


def _date_fields(cells, label, options, out, errors, warnings, extra_soft, empty) -> None:
    """Seizure date and precision from the date column, else from year, month and day columns.

    A date cell wins where it is filled.  Year, month and day columns give the date with the
    precision they allow; a month or day that cannot be read keeps the row at the coarser
    precision, with a warning, and the cell in extra.
    """
    date_cells = cells("seizure_date")
    year_cells, month_cells, day_cells = cells("year"), cells("month"), cells("day")
    if year_cells is None:
        date_cells = date_cells if date_cells is not None else empty
        dates = parse_dates(date_cells, dayfirst=options.dayfirst, today=options.today)
        from_parts = pd.Series(False, index=empty.index)
        for name, part in (("month", month_cells), ("day", day_cells)):
            if part is not None:  # a month or day without a year dates nothing
                extra_soft[label(name)] = part
    else:
        parts = assemble_dates(
            year_cells, month_cells, day_cells, dayfirst=options.dayfirst, today=options.today
        )
        for name, part in (("month", month_cells), ("day", day_cells)):
            problem = parts[f"{name}_problem"]
            if part is not None and problem.notna().any():
                warnings.add(problem.notna(), label(name), part, problem)
                extra_soft[label(name)] = part.where(problem.notna(), None)
        if date_cells is None:
            dates = parts
            from_parts = pd.Series(True, index=empty.index)
        else:
            dates = parse_dates(date_cells, dayfirst=options.dayfirst, today=options.today)
            # An empty date cell, or a placeholder ("n/a"), leaves the date to the year columns.
            from_parts = dates["date"].isna() & dates["problem"].isna() & year_cells.notna()
            if from_parts.any():
                dates = pd.DataFrame(
                    {
                        name: dates[name].where(~from_parts, parts[name])
                        for name in ("date", "precision", "problem")
                    }
                )
    out["seizure_date"] = dates["date"]
    out["date_precision"] = dates["precision"]
    given_precision = cells("date_precision")
    if given_precision is not None:
        stated = _per_value(given_precision, lambda v: controlled_value("date_precision", v))
        coarser = stated.notna() & stated.isin(["month", "year"])
        out.loc[coarser, "date_precision"] = stated[coarser]
    bad_date = dates["problem"].notna()
    missing = dates["date"].isna() & ~bad_date
    for rows, name, text in (
        (~from_parts, "seizure_date", date_cells),
        (from_parts, "year", year_cells),
    ):
        if text is None or not rows.any():
            continue
        errors.add(bad_date & rows, label(name), text, dates["problem"])
        errors.add(missing & rows, label(name), text, "the seizure date is missing")


def _hierarchy_text(city: pd.Series | None, province: pd.Series | None) -> pd.Series | None:
    """Name a place given as city and province columns: "Manaus, Amazonas", or either alone."""
    if city is None and province is None:
        return None
    if city is None or province is None:
        return city if city is not None else province
    both = city.notna() & province.notna()
    joined = city.astype(object).copy()
    if both.any():
        joined[both] = city[both].astype(str) + ", " + province[both].astype(str)
    return joined.where(joined.notna(), province)


# Exports write ``'=1+1`` for the text ``=1+1`` (at the start of a cell and of each line in
# it) so that a spreadsheet shows it instead of running it; numbers are written as they are.
def _none_for_missing(values: pd.Series) -> np.ndarray:
    """Return a text column as an object array whose missing cells (NaN, NA) are ``None``."""
    cells = values.to_numpy(dtype=object)
    missing = pd.isna(cells)
    if missing.any():
        cells = cells.copy()
        cells[missing] = None
    return cells


def _controlled(text: pd.Series | None, name: str, empty: pd.Series) -> pd.Series:
    if text is None:
        return empty.copy()
    return _per_value(text, lambda v: controlled_value(name, v))


def _coordinate_text(
    lat: pd.Series | None, lon: pd.Series | None, latlon: pd.Series | None, index: pd.Index
) -> pd.Series:
    """Show the coordinate cells of a row together, as the user wrote them."""
    if lat is None and lon is None and latlon is None:
        return pd.Series([None] * len(index), index=index, dtype=object)
    pieces = []
    if lat is not None or lon is not None:
        lat_text = lat.fillna("") if lat is not None else ""
        lon_text = lon.fillna("") if lon is not None else ""
        pieces.append(lat_text + ", " + lon_text)
    if latlon is not None:
        pieces.append(latlon.fillna(""))
    joined = pieces[0] if len(pieces) == 1 else pieces[0].where(pieces[0] != ", ", pieces[1])
    return joined.astype(object)


def _country_field(
    name: str,
    text: pd.Series | None,
    column: str,
    out: pd.DataFrame,
    warnings: _Problems,
    extra_soft: dict[str, pd.Series],
    index: pd.Index,
    many: bool,
) -> None:
    if text is None:
        out[name] = None
        return
    parsed = _per_value_fields(text, _country_cell, ("codes", "first", "several", "problem"))
    problems = parsed["problem"]
    several = parsed["several"].fillna(False).astype(bool)
    if many:
        out[name] = parsed["codes"]
    else:
        warnings.add(
            several,
            column,
            text,
            lambda v: (
                f"{v!r} names several countries; the first is kept and the cell is kept in extra"
            ),
        )
        out[name] = parsed["first"]
    bad = problems.notna()
    warnings.add(bad, column, text, problems)
    extra_soft[column] = text.where(bad | (several & (not many)), None)


def _country_cell(text: str) -> dict[str, object]:
    codes, problems = country_list(text)
    return {
        "codes": ";".join(codes) if codes else None,
        "first": codes[0] if codes else None,
        "several": len(codes) > 1,
        "problem": "; ".join(problems) if problems else None,
    }


def _taxon_fields(cells, label, out, errors, warnings, extra_soft, index, spare_taxa) -> pd.Series:
    """Resolve taxon, other taxa, taxon group, CITES appendix and commodity.

    The species column names the taxa; where it is empty, the description, a second species
    column (`spare_taxa`), then a family column.  Where all are empty, a product column
    ("Écailles de pangolin") or a category column ("Ivory", "Rhino horn") may name the taxon.
    The commodity comes from the commodity column, else from the words of the species column
    or description, else from the category.  Returns the rows whose commodity column gave
    the commodity, which the quantity columns' forms do not override.
    """
    taxon_text = cells("taxon")
    description = cells("description")
    commodity_text = cells("commodity")
    category = cells("category")
    empty = pd.Series([None] * len(index), index=index, dtype=object)
    source = taxon_text if taxon_text is not None else empty
    summary = _per_value_fields(source, _taxa_cell, _TAXON_KEYS)
    warnings.add(summary["warning"].notna(), label("taxon"), source, summary["warning"])
    # Where the species cell reads as empty ("", "NA", "-"), the next column that names
    # something stands in.
    for fallback in (description, *spare_taxa, cells("family")):
        if fallback is None:
            continue
        unread = summary["taxon"].isna()
        if not unread.any():
            break
        stand_in = _per_value_fields(fallback.where(unread, None), _taxa_cell, _TAXON_KEYS)
        took = stand_in["taxon"].notna()
        summary = summary.where(~took, stand_in)
        warnings.add(
            took & stand_in["warning"].notna(),
            fallback.name or label("taxon"),
            fallback,
            stand_in["warning"],
        )
    for key in _TAXON_FIELDS:
        out[key] = summary[key]
    implied_commodity = summary["commodity"]

    # A description names the product more precisely than the species column
    # ("象牙" in the species column, "象牙制品（手镯）" in the description).
    if description is not None and taxon_text is not None:
        from_description = _per_value_fields(description, _taxa_cell, ("commodity",))["commodity"]
        implied_commodity = from_description.where(from_description.notna(), implied_commodity)

    commodity = empty.copy()
    if commodity_text is not None:
        commodity = _per_value(commodity_text, _commodity_of)
        unknown = commodity_text.notna() & commodity.isna()
        warnings.add(
            unknown,
            label("commodity"),
            commodity_text,
            lambda v: f"commodity {v!r} is not a recognised CITES trade term; kept in extra",
        )
        # "Écailles de pangolin" in a product column names the taxon too.
        unnamed = out["taxon"].isna()
        products = _per_value_fields(commodity_text.where(unnamed), _taxa_cell, _TAXON_KEYS)
        known = products["known"].fillna(False).astype(bool)
        for key in _TAXON_FIELDS:
            out.loc[known, key] = products.loc[known, key]
    if description is not None:
        described_code = _per_value(description, match_commodity)
        implied_commodity = implied_commodity.where(implied_commodity.notna(), described_code)
    if category is not None:
        from_category = _category_fields(category, label("category"), out, warnings, extra_soft)
        implied_commodity = implied_commodity.where(implied_commodity.notna(), from_category)
    out["commodity"] = commodity.where(commodity.notna(), implied_commodity)
    out["commodity"] = _teeth_not_tusks(out["taxon"], out["commodity"])

    given_group = cells("taxon_group")
    if given_group is not None:
        group = _per_value(given_group, lambda v: controlled_value("taxon_group", v))
        unknown_group = out["taxon_group"].isin(["unknown"]) | out["taxon_group"].isna()
        out["taxon_group"] = out["taxon_group"].where(~(unknown_group & group.notna()), group)
    given_appendix = cells("cites_appendix")
    if given_appendix is not None:
        appendix = _per_value(given_appendix, lambda v: controlled_value("cites_appendix", v))
        out["cites_appendix"] = out["cites_appendix"].where(out["cites_appendix"].notna(), appendix)
    out["taxon_group"] = out["taxon_group"].where(out["taxon_group"].isin(TAXON_GROUPS), None)
    # A quantity column's form ("Weight of scales") refines a commodity but does not stand in
    # for a taxon: a file with no species column needs a file-wide taxon.
    missing = out["taxon"].isna() & out["commodity"].isna()
    column = label("taxon") if taxon_text is not None else label("commodity")
    errors.add(missing, column, None, "neither a species nor a commodity is given")
    out["taxon_group"] = out["taxon_group"].where(
        out["taxon"].isna() | out["taxon_group"].notna(), "unknown"
    )
    return commodity.notna()


def _category_fields(category, column, out, warnings, extra_soft) -> pd.Series:
    """Read a category or dataset column ("Ivory", "Rhino horn", "Pangolin scales", 类别).

    A category that names a known taxon fills the taxon where the species column named none.
    Returns the trade term each category names (None where it names none); cells that name
    neither a taxon used nor a trade term are kept in extra.
    """
    named = _per_value_fields(category, _taxa_cell, _TAXON_KEYS)
    fills = out["taxon"].isna() & named["known"].fillna(False).astype(bool)
    for key in _TAXON_FIELDS:
        out.loc[fills, key] = named.loc[fills, key]
    warnings.add(fills & named["warning"].notna(), column, category, named["warning"])
    # "Other" or "unknown" as a category says nothing (nor is it a commodity to record)
    code = _per_value(category, _commodity_of)
    code = code.where(code != "UNK", None)
    extra_soft[column] = category.where(~fills & code.isna(), None)
    return code


def _split_city_country(text: str) -> dict[str, str | None]:
    """Split ROUTES' "City, Country" cell; "Hong Kong, China" is a country on its own."""
    whole = country_match(text)
    if whole is not None and whole.code and not whole.fuzzy:
        return {"city": text.split(",")[0].strip(), "country": text}
    if "," not in text:
        return {"city": None, "country": text}
    city, country = text.rsplit(",", 1)
    return {"city": city.strip() or None, "country": country.strip() or None}


# Families whose large teeth are traded as tusks; "colmillos" of a jaguar are teeth (TEE).
_TUSK_FAMILIES = {"Elephantidae", "Hippopotamidae", "Odobenidae", "Monodontidae", "Suidae"}


def _teeth_not_tusks(taxa: pd.Series, commodity: pd.Series) -> pd.Series:
    tusks = commodity == "TUS"
    if not tusks.any():
        return commodity
    toothed = _per_value(taxa.where(tusks), _has_teeth_not_tusks)
    wrong = tusks & toothed.fillna(False).astype(bool)
    return commodity.where(~wrong, "TEE")


def _has_teeth_not_tusks(taxa: str) -> bool:
    families = set()
    for name in taxa.split("; "):
        info = taxon_info(name)
        if info is None:
            return False
        families.add(info["family"] or name)
    return not families & _TUSK_FAMILIES


def _commodity_of(text: str) -> str | None:
    code = match_commodity(text)
    if code:
        return code
    products = match_taxa(text)
    codes = {m.commodity for m in products if m.commodity}
    return codes.pop() if len(codes) == 1 else None


# The record fields a taxa cell fills, and what else its reading says.
_TAXON_FIELDS = ("taxon", "other_taxa", "taxon_group", "cites_appendix")
_TAXON_KEYS = (*_TAXON_FIELDS, "commodity", "warning", "known")


def _taxa_cell(text: str) -> dict | None:
    return _summarise_taxa(match_taxa(text))


def _summarise_taxa(matches: list) -> dict | None:
    """Fold the taxa named in one cell into one record's taxon fields.

    The first taxon written is the record's taxon, with its own group and appendix; the
    others go to ``other_taxa``, ";"-joined in the order written.  The commodity is the one
    all the taxa's words agree on, if any.
    """
    if not matches:
        return None
    first = matches[0]
    others = list(dict.fromkeys(m.taxon for m in matches[1:] if m.taxon != first.taxon))
    commodities = {m.commodity for m in matches if m.commodity}
    warnings = [m.warning for m in matches if m.warning]
    return {
        "taxon": first.taxon,
        "other_taxa": ";".join(others) if others else None,
        "taxon_group": first.taxon_group,
        "cites_appendix": first.cites_appendix,
        "commodity": commodities.pop() if len(commodities) == 1 else None,
        "warning": " ".join(warnings) if warnings else None,
        "known": all(m.known for m in matches),
    }


def _quantity_fields(
    cells, label, out, errors, warnings, extra_soft, index, given_commodity
) -> None:
    """Quantity and unit from a quantity(+unit) column, else from weight and count columns.

    Several weight and count columns ("Weight seized (kg)", "Live animals", "Tusks
    (number)") give one quantity by the rule of :mod:`geo.ingest.quantities`; the others
    keep their values in extra.  The form of the chosen column refines the commodity unless
    the commodity column stated it; the only form given fills a commodity nothing else named.
    """
    text, unit_text = cells("quantity"), cells("unit")
    helpers = [(name, cells(name)) for name in QUANTITY_COLUMNS if cells(name) is not None]
    written = [
        values for values in (text, *(values for _, values in helpers)) if values is not None
    ]
    # A file writes its numbers one way, so "1.200" is read alike in all its columns.
    decimal_comma = infer_decimal_comma(written) if len(written) > 1 else None
    stated = None
    if text is not None or unit_text is not None:
        source = text if text is not None else pd.Series([None] * len(index), index, object)
        column = label("quantity") if text is not None else label("unit")
        stated = _checked_quantities(
            source, unit_text, column, errors, warnings, extra_soft, decimal_comma
        )
    if helpers:
        parsed = []
        for name, values in helpers:
            implied = pd.Series([QUANTITY_COLUMNS[name].unit] * len(index), index, object)
            parsed.append(
                _checked_quantities(
                    values, implied, label(name), errors, warnings, extra_soft, decimal_comma
                )
            )
        forms = [QUANTITY_COLUMNS[name].commodity for name, _ in helpers]
        chosen = primary_quantity(list(zip(parsed, forms, strict=True)), stated)
        quantity, unit = chosen["quantity"], chosen["unit"]
        for position, ((name, values), read) in enumerate(zip(helpers, parsed, strict=True)):
            # Values not chosen are kept, as are yes-flags and values that could not be read.
            unused = (read["quantity"].notna() | read["flag"]) & (chosen["column"] != position)
            extra_soft[label(name)] = values.where(unused | extra_soft[label(name)].notna(), None)
            implied_taxon = QUANTITY_COLUMNS[name].taxon
            if implied_taxon is not None:
                # ETIS's ivory columns are elephant ivory where the file names no species.
                filled = (read["quantity"].notna() | read["flag"]) & out["taxon"].isna()
                taxon = _taxa_cell(implied_taxon)
                for key in _TAXON_FIELDS:
                    out.loc[filled, key] = taxon[key]
        refined = chosen["form"].notna() & ~given_commodity
        out.loc[refined, "commodity"] = chosen["form"][refined]
        unnamed = chosen["only_form"].notna() & out["commodity"].isna()
        out.loc[unnamed, "commodity"] = chosen["only_form"][unnamed]
        out["commodity"] = _teeth_not_tusks(out["taxon"], out["commodity"])
    elif stated is not None:
        quantity, unit = stated["quantity"], stated["unit"]
    else:
        quantity = pd.Series(np.nan, index=index)
        unit = pd.Series([None] * len(index), index=index, dtype=object)
    if stated is not None:
        # "1.200 huevos", "3 tusks": the counting word names the commodity nothing else named.
        counted = stated["form"].notna() & out["commodity"].isna()
        out.loc[counted, "commodity"] = stated["form"][counted]
    # A count of live animals is a count of individuals, whatever word the file used; a bare
    # number of live animals, skins or eggs is a count too.
    unit = unit.where(~((unit == "pieces") & (out["commodity"] == "LIV")), "individuals")
    bare = quantity.notna() & unit.isna()
    if bare.any():
        counted_in = out["commodity"].where(bare).map(_COUNTED_IN)
        unit = unit.where(counted_in.isna(), counted_in)
    out["quantity"] = quantity.astype(float)
    out["unit"] = unit.astype(object)


# Commodities that are counted, not weighed, and the unit of a bare number of them.
_COUNTED_IN = {"LIV": "individuals", "SKI": "pieces", "EGG": "pieces", "EGL": "pieces"}


def _checked_quantities(
    values: pd.Series,
    units: pd.Series | None,
    column: str,
    errors: _Problems,
    warnings: _Problems,
    extra_soft: dict[str, pd.Series],
    decimal_comma: bool | None = None,
) -> pd.DataFrame:
    """Parse one quantity column and file its problems.

    A negative quantity quarantines its row; any other problem (an unknown unit, text that is
    not a number) keeps the row without a quantity, and the cell goes to extra.  A yes-flag
    ("Y", "X", "sí": seized, not quantified) is no problem and goes to extra too.
    """
    parsed = parse_quantities(values, units, decimal_comma)
    problem = parsed["problem"]
    negative = problem.notna() & problem.str.contains("negative", na=False)
    soft = problem.notna() & ~negative
    errors.add(negative, column, values, problem)
    warnings.add(soft, column, values, problem + "; kept in extra")
    extra_soft[column] = values.where(soft | parsed["flag"], None)
    return pd.DataFrame(
        {
            "quantity": parsed["quantity"].where(~soft),
            "unit": parsed["unit"].where(~soft, None),
            "flag": parsed["flag"],
            "form": parsed["form"].where(~soft, None),
        },
        index=values.index,
    )


def _extra_json(raw: pd.DataFrame, mapping: ColumnMapping, soft: dict[str, pd.Series]) -> pd.Series:
    """Keep unmapped columns, and values that could not be normalised, as a JSON object."""
    used = set(mapping.fields.values()) | set(mapping.ignored)
    kept = [c for c in raw.columns if c not in used]
    kept_soft = {c: s for c, s in soft.items() if s is not None and s.notna().any()}
    if not kept and not kept_soft:
        return pd.Series([None] * len(raw), index=raw.index, dtype=object)
    parts = raw[kept].copy() if kept else pd.DataFrame(index=raw.index)
    for column, values in kept_soft.items():
        parts[f"{column} (as written)"] = values
    records = [
        {k: v for k, v in record.items() if v is not None and v == v}  # v != v: NaN
        for record in parts.to_dict("records")
    ]
    return pd.Series(
        [json.dumps(record, ensure_ascii=False) if record else None for record in records],
        index=raw.index,
        dtype=object,
    )


def _content_hash(records: pd.DataFrame) -> pd.Series:
    """Hash the normalised fields (and the file's own id) to 64 bits: equal rows, equal hash.

    The value is ``pandas.util.hash_pandas_object(fields, index=False,
    hash_key="wildlife-seizure")``, the hash stored records carry, computed column by column:
    each text column's distinct values are hashed once and spread back by their codes (what
    pandas does too, minus a round trip of the distinct values through an Arrow string
    index), and the columns are combined as pandas combines them.
    """
    columns = [*_HASHED_FIELDS, "source_id"]
    parts = []
    for name in columns:
        values = records[name]
        if name == "seizure_date":
            values = values.astype("datetime64[ns]").astype("int64")
        elif FIELDS.get(name) == "float":
            values = values.round(7)
        if values.dtype == object:
            parts.append(_text_hash(values.to_numpy()))
        else:
            parts.append(
                pd.util.hash_pandas_object(values, index=False, hash_key=_HASH_KEY).to_numpy()
            )
    combined = _combine_hashes(parts)
    if "other_taxa" in records:
        several = records["other_taxa"].notna().to_numpy()
        if several.any():
            others = _text_hash(records["other_taxa"].to_numpy()[several])
            combined[several] = _combine_hashes([combined[several], others])
    return pd.Series(combined.view(np.int64), index=records.index)


_HASH_KEY = "wildlife-seizure"
_MISSING_HASH = np.uint64(np.iinfo(np.uint64).max)


def _text_hash(values: np.ndarray) -> np.ndarray:
    """Hash a text column as pandas hashes an object column (missing cells: all ones)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    hashed = pd.util.hash_array(
        np.asarray(distinct, dtype=object), hash_key=_HASH_KEY, categorize=False
    )
    # the missing-cell hash goes in an extra last slot, which code -1 picks
    return np.append(hashed, _MISSING_HASH)[codes]


def _combine_hashes(parts: list[np.ndarray]) -> np.ndarray:
    """Combine per-column hashes row by row as ``hash_pandas_object`` does (a tuple hash)."""
    multiplier = np.uint64(1000003)
    combined = np.full(len(parts[0]), 0x345678, dtype=np.uint64)
    for position, part in enumerate(parts):
        remaining = len(parts) - position
        combined ^= part
        combined *= multiplier
        multiplier += np.uint64(82520 + remaining + remaining)
    combined += np.uint64(97531)
    return combined
