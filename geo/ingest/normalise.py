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

from geo.ingest.coordinates import parse_coordinates
from geo.ingest.dates import parse_dates
from geo.ingest.enrichment import geocode_missing
from geo.ingest.headers import ColumnMapping
from geo.ingest.quantities import parse_quantities
from geo.ingest.vocabulary import controlled_value
from geo.reference.countries import country_list, country_match
from geo.reference.species import match_commodity, match_taxa, taxon_info
from geo.schema import FIELDS, RECORD_FIELDS, TAXON_GROUPS

__all__ = ["ChunkResult", "NormaliseOptions", "normalise_chunk"]

_APPENDIX_ORDER = {"I": 0, "II": 1, "III": 2, "none": 3}
_HASHED_FIELDS = [f for f in RECORD_FIELDS if f not in ("record_id", "batch_id")]


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
    """

    dayfirst: bool = True
    today: dt.date = field(default_factory=dt.date.today)
    defaults: dict[str, str] = field(default_factory=dict)


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
        return None

    def label(name: str) -> str:
        return mapping.fields.get(name, name)

    out = pd.DataFrame(index=index)

    # -- date ---------------------------------------------------------------------------
    date_cells = cells("seizure_date")
    year_cells = cells("year")
    if date_cells is None:
        date_cells = year_cells if year_cells is not None else empty
    elif year_cells is not None:
        date_cells = date_cells.where(date_cells.notna(), year_cells)
    dates = parse_dates(date_cells, dayfirst=options.dayfirst, today=options.today)
    out["seizure_date"] = dates["date"]
    out["date_precision"] = dates["precision"]
    given_precision = cells("date_precision")
    if given_precision is not None:
        stated = _per_value(given_precision, lambda v: controlled_value("date_precision", v))
        coarser = stated.notna() & stated.isin(["month", "year"])
        out.loc[coarser, "date_precision"] = stated[coarser]
    bad_date = dates["problem"].notna()
    errors.add(bad_date, label("seizure_date"), date_cells, dates["problem"])
    errors.add(
        dates["date"].isna() & ~bad_date,
        label("seizure_date"),
        date_cells,
        "the seizure date is missing",
    )

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
    out["location_name"] = location if location is not None else empty

    coordinate_cells = (cells("lat"), cells("lon"), cells("latlon"))
    if all(c is None for c in coordinate_cells):
        coordinate_cells = (empty, empty, None)
    coords = parse_coordinates(*coordinate_cells)
    out["lat"] = coords["lat"]
    out["lon"] = coords["lon"]
    coordinate_column = label("lat") if "lat" in mapping.fields else label("latlon")
    coordinate_text = _coordinate_text(cells("lat"), cells("lon"), cells("latlon"), index)
    errors.add(coords["problem"].notna(), coordinate_column, coordinate_text, coords["problem"])
    has_point = out["lat"].notna() & out["lon"].notna()
    given_coord_precision = _controlled(cells("coord_precision"), "coord_precision", empty)
    out["coord_precision"] = np.where(
        has_point, given_coord_precision.fillna("exact"), "none"
    ).astype(object)
    given_type = _controlled(cells("location_type"), "location_type", empty)

    # -- countries ------------------------------------------------------------------------
    seizing = _per_value_fields(
        seizing_cells if seizing_cells is not None else empty, country_match, ("code", "problem")
    )
    out["seizing_country"] = seizing["code"]
    seizing_problem = seizing["problem"]

    # Records without coordinates are placed from their airport, seaport, crossing or city
    # name, else on their country, with the precision that says which.
    unplaced = ~has_point & coords["problem"].isna()
    placed = geocode_missing(out["location_name"], out["seizing_country"], ~unplaced)
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

    extra_soft: dict[str, pd.Series] = {}
    for name in ("origin_countries", "transit_countries"):
        _country_field(name, cells(name), label(name), out, warnings, extra_soft, index, many=True)
    for name in ("export_country", "destination_country", "owner_country"):
        _country_field(name, cells(name), label(name), out, warnings, extra_soft, index, many=False)

    # -- taxon and commodity --------------------------------------------------------------
    _taxon_fields(cells, label, out, errors, warnings, index)

    # -- quantity -------------------------------------------------------------------------
    _quantity_fields(cells, label, out, errors, warnings, extra_soft, index)
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
            extra_soft[label(name)] = text.where(bad)
        out[name] = value.fillna(fallback) if fallback else value
    sensitivity = _controlled(cells("sensitivity"), "sensitivity", empty)
    out["sensitivity"] = sensitivity.fillna("public")
    for name in ("detection_method", "agency", "source", "notes"):
        text = cells(name)
        out[name] = text if text is not None else empty
    out["owner_country"] = out["owner_country"].where(
        out["owner_country"].notna(), out["seizing_country"]
    )
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
    extra_soft[column] = text.where(bad | (several & (not many)))


def _country_cell(text: str) -> dict[str, object]:
    codes, problems = country_list(text)
    return {
        "codes": ";".join(codes) if codes else None,
        "first": codes[0] if codes else None,
        "several": len(codes) > 1,
        "problem": "; ".join(problems) if problems else None,
    }


def _taxon_fields(cells, label, out, errors, warnings, index) -> None:
    """Resolve taxon, taxon group, CITES appendix and commodity from the species reference."""
    taxon_text = cells("taxon")
    description = cells("description")
    commodity_text = cells("commodity")
    empty = pd.Series([None] * len(index), index=index, dtype=object)
    source = taxon_text if taxon_text is not None else empty
    if description is not None:
        source = source.where(source.notna(), description)
    summary = _per_value_fields(source, _taxa_cell, _TAXON_KEYS)
    out["taxon"] = summary["taxon"]
    out["taxon_group"] = summary["taxon_group"]
    out["cites_appendix"] = summary["cites_appendix"]
    implied_commodity = summary["commodity"]
    warning = summary["warning"]
    taxon_column = label("taxon") if taxon_text is not None else label("description")
    warnings.add(warning.notna(), taxon_column, source, warning)

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
        for key in ("taxon", "taxon_group", "cites_appendix"):
            out.loc[known, key] = products.loc[known, key]
    if description is not None:
        described_code = _per_value(description, match_commodity)
        implied_commodity = implied_commodity.where(implied_commodity.notna(), described_code)
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
    missing = out["taxon"].isna() & out["commodity"].isna()
    column = label("taxon") if taxon_text is not None else label("commodity")
    errors.add(missing, column, None, "neither a species nor a commodity is given")
    out["taxon_group"] = out["taxon_group"].where(
        out["taxon"].isna() | out["taxon_group"].notna(), "unknown"
    )


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


_TAXON_KEYS = ("taxon", "taxon_group", "cites_appendix", "commodity", "warning", "known")


def _taxa_cell(text: str) -> dict | None:
    return _summarise_taxa(match_taxa(text))


def _summarise_taxa(matches: list) -> dict | None:
    """Fold the taxa named in one cell into one record's taxon fields."""
    if not matches:
        return None
    names = list(dict.fromkeys(m.taxon for m in matches))
    groups = {m.taxon_group for m in matches}
    appendices = [m.cites_appendix for m in matches if m.cites_appendix]
    commodities = {m.commodity for m in matches if m.commodity}
    warnings = [m.warning for m in matches if m.warning]
    return {
        "taxon": "; ".join(names),
        "taxon_group": groups.pop() if len(groups) == 1 else "mixed",
        "cites_appendix": min(appendices, key=lambda a: _APPENDIX_ORDER.get(a, 9))
        if appendices
        else None,
        "commodity": commodities.pop() if len(commodities) == 1 else None,
        "warning": " ".join(warnings) if warnings else None,
        "known": all(m.known for m in matches),
    }


_QUANTITY_COLUMNS = (
    ("quantity_kg", "kg", None),
    ("raw_ivory_kg", "kg", "TUS"),
    ("worked_ivory_kg", "kg", "IVC"),
    ("quantity_individuals", "individuals", None),
    ("quantity_pieces", "pieces", None),
    ("raw_ivory_pieces", "pieces", "TUS"),
    ("worked_ivory_pieces", "pieces", "IVC"),
)


def _quantity_fields(cells, label, out, errors, warnings, extra_soft, index) -> None:
    """Quantity and unit from a quantity(+unit) column, else from weight/number columns."""
    quantity = pd.Series(np.nan, index=index)
    unit = pd.Series([None] * len(index), index=index, dtype=object)
    text = cells("quantity")
    if text is not None or cells("unit") is not None:
        source = text if text is not None else unit.copy()
        column = label("quantity") if text is not None else label("unit")
        parsed = _checked_quantities(source, cells("unit"), column, errors, warnings, extra_soft)
        quantity, unit = parsed["quantity"], parsed["unit"]
    for name, implied_unit, commodity in _QUANTITY_COLUMNS:
        values = cells(name)
        if values is None:
            continue
        implied = pd.Series([implied_unit] * len(index), index=index, dtype=object)
        parsed = _checked_quantities(values, implied, label(name), errors, warnings, extra_soft)
        # The first weight or count column with a value fills the record's quantity; the
        # others stay in extra (never summed across units or columns).
        take = quantity.isna() & parsed["quantity"].notna()
        quantity = quantity.where(~take, parsed["quantity"])
        unit = unit.where(~take, parsed["unit"])
        if commodity:
            named = take & out["commodity"].isna()
            out.loc[named, "commodity"] = commodity
            needs_taxon = take & out["taxon"].isna()
            out.loc[needs_taxon, ["taxon", "taxon_group", "cites_appendix"]] = [
                "Elephantidae",
                "mammals",
                "I",
            ]
    # A count of live animals is a count of individuals, whatever word the file used.
    unit = unit.where(~((unit == "pieces") & (out["commodity"] == "LIV")), "individuals")
    out["quantity"] = quantity.astype(float)
    out["unit"] = unit.astype(object)


def _checked_quantities(
    values: pd.Series,
    units: pd.Series | None,
    column: str,
    errors: _Problems,
    warnings: _Problems,
    extra_soft: dict[str, pd.Series],
) -> pd.DataFrame:
    """Parse one quantity column and file its problems.

    A negative quantity quarantines its row; any other problem (an unknown unit, text that is
    not a number) keeps the row without a quantity, and the cell goes to extra.
    """
    parsed = parse_quantities(values, units)
    problem = parsed["problem"]
    negative = problem.notna() & problem.str.contains("negative", na=False)
    soft = problem.notna() & ~negative
    errors.add(negative, column, values, problem)
    warnings.add(soft, column, values, problem + "; kept in extra")
    extra_soft[column] = values.where(soft)
    return pd.DataFrame(
        {"quantity": parsed["quantity"].where(~soft), "unit": parsed["unit"].where(~soft, None)},
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
    records = parts.to_dict("records")
    return pd.Series(
        [
            json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
            if any(v is not None for v in record.values())
            else None
            for record in records
        ],
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
    return pd.Series(_combine_hashes(parts).view(np.int64), index=records.index)


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
