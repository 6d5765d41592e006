"""Species by country pair: taxon × border-pair counts, origin → destination pairs, profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.weights import WEIGHT, weights
from geo.reference.countries import country_name
from geo.reference.species import taxon_info
from geo.schema import UNITS

__all__ = ["PROFILE_ROLES", "country_profile", "flow_pairs", "taxa_by_pair", "top_taxa"]

# Each trade-chain role and the column that holds it (the list columns hold ";"-joined codes).
PROFILE_ROLES = {
    "origin": "origin_countries",
    "export": "export_country",
    "transit": "transit_countries",
    "destination": "destination_country",
    "seizing": "seizing_country",
}
_LIST_COLUMNS = ("origin_countries", "transit_countries")


def taxa_by_pair(
    records: pd.DataFrame,
    top_taxa: int = 15,
    top_pairs: int = 12,
    border_km: float | None = None,
) -> pd.DataFrame:
    """Count seizures per taxon and border pair, for the most frequent of each.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with ``taxon`` and ``border_pair`` (derived at import: the two
        countries across the nearest land border, e.g. ``"CN-LA"``).  Records without a
        border pair are left out.
    top_taxa, top_pairs : int
        How many taxa (rows) and pairs (columns) to keep, the most seized first; the rest
        are left out of the matrix rather than lumped together.
    border_km : float, optional
        Keep only border seizures: records whose ``border_distance_km`` is at most this.
        Without it the records are taken as given (every located record has a nearest
        pair, however far from the border).

    Returns
    -------
    pandas.DataFrame
        Index ``taxon``, columns ``border_pair`` (unordered pairs, written alphabetically),
        values seizure counts (int, zero where none).  A record naming several taxa counts
        under each.
    """
    _check_positive(top_taxa=top_taxa, top_pairs=top_pairs)
    if border_km is not None:
        if "border_distance_km" not in records:
            raise ValueError("border_km needs the records' border_distance_km column")
        distance = pd.to_numeric(records["border_distance_km"], errors="coerce")
        records = records.loc[distance.le(border_km).to_numpy()]
    frame = _weighted(records, ["taxon", "border_pair"])
    frame = frame[frame["border_pair"].notna()]
    frame["border_pair"] = frame["border_pair"].map(_unordered_pair)
    pairs = _ranked(frame.groupby("border_pair")["weight"].sum(), top_pairs)
    frame = _explode_taxa(frame.dropna(subset=["taxon"]))
    taxa = _ranked(frame.groupby("taxon")["weight"].sum(), top_taxa)
    frame = frame[frame["taxon"].isin(taxa) & frame["border_pair"].isin(pairs)]
    matrix = (
        frame.groupby(["taxon", "border_pair"])["weight"]
        .sum()
        .unstack(fill_value=0)
        .reindex(index=taxa, columns=pairs, fill_value=0)
        .astype("int64")
    )
    matrix.index.name, matrix.columns.name = "taxon", "border_pair"
    return matrix


def flow_pairs(records: pd.DataFrame) -> pd.DataFrame:
    """Count seizures per ordered origin → destination pair and taxon.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with ``origin_countries`` (";"-joined ISO-2 codes),
        ``destination_country`` and ``taxon``.

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination``, ``taxon``, ``seizures``, the largest first.  A record
        counts once per origin it names and once per taxon; records missing an origin, a
        destination or a taxon are left out.
    """
    frame = _weighted(records, ["origin_countries", "destination_country", "taxon"]).dropna()
    frame = frame.rename(
        columns={"origin_countries": "origin", "destination_country": "destination"}
    )
    frame = _explode_codes(frame, "origin")
    frame = _explode_taxa(frame)
    columns = ["origin", "destination", "taxon"]
    counts = frame.groupby(columns)["weight"].sum().rename("seizures").reset_index()
    counts = counts.sort_values(["seizures", *columns], ascending=[False, True, True, True])
    counts["seizures"] = counts["seizures"].astype("int64")
    return counts.reset_index(drop=True)


def top_taxa(
    records: pd.DataFrame, n: int = 10, unit: str | None = None, by: str = "seizures"
) -> pd.DataFrame:
    """Return the most seized taxa with their group, CITES appendix and quantity.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records (for a country pair, the caller selects them).
    n : int, default 10
        How many taxa.
    unit : str, optional
        Total quantities in this unit (one of ``geo.schema.UNITS``); without it
        ``quantity`` is NaN, as quantities in different units are never added.
    by : {"seizures", "quantity"}
        What ranks the taxa; ``"quantity"`` needs ``unit``.

    Returns
    -------
    pandas.DataFrame
        ``taxon``, ``taxon_group``, ``cites_appendix``, ``seizures`` (int), ``quantity``
        (float), at most ``n`` rows, the largest first.  A record naming several taxa counts
        under each, but its quantity, which cannot be shared out, under none.  Group and
        appendix come from the records naming the taxon alone, else the species reference.
    """
    _check_positive(n=n)
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit should be None or one of {UNITS}, got {unit!r}")
    if by not in ("seizures", "quantity"):
        raise ValueError(f"by should be 'seizures' or 'quantity', got {by!r}")
    if by == "quantity" and unit is None:
        raise ValueError("by='quantity' needs a unit: quantities in different units never add up")
    frame = pd.DataFrame(
        {
            "taxon": _text(records, "taxon"),
            "taxon_group": _text(records, "taxon_group"),
            "cites_appendix": _text(records, "cites_appendix"),
            "quantity": _quantity_in(records, unit),
            WEIGHT: weights(records),
        }
    ).dropna(subset=["taxon"])
    frame["alone"] = ~frame["taxon"].str.contains(";", regex=False)
    frame = _explode_taxa(frame)
    frame.loc[~frame["alone"], ["quantity", "taxon_group", "cites_appendix"]] = None
    grouped = frame.groupby("taxon")
    table = pd.DataFrame(
        {
            "seizures": grouped[WEIGHT].sum().astype("int64"),
            "quantity": grouped["quantity"].sum(min_count=1).astype("float64"),
        }
    )
    if unit:
        table["quantity"] = table["quantity"].fillna(0.0)
    table = table.reset_index()
    table = table.sort_values([by, "taxon"], ascending=[False, True]).head(n)
    alone = frame[frame["alone"] & frame["taxon"].isin(table["taxon"])]
    groups = _most_frequent(alone, "taxon_group")
    appendices = _most_frequent(alone, "cites_appendix")
    infos = [taxon_info(taxon) or {} for taxon in table["taxon"]]
    table["taxon_group"] = [
        groups.get(taxon) or info.get("taxon_group") or "unknown"
        for taxon, info in zip(table["taxon"], infos, strict=True)
    ]
    table["cites_appendix"] = [
        appendices.get(taxon) or info.get("cites_appendix")
        for taxon, info in zip(table["taxon"], infos, strict=True)
    ]
    columns = ["taxon", "taxon_group", "cites_appendix", "seizures", "quantity"]
    return table[columns].reset_index(drop=True)


def country_profile(
    records: pd.DataFrame, country: str, top: int = 3, language: str | None = None
) -> pd.DataFrame:
    """Describe what one country's seizures look like in each trade-chain role.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with the role columns of ``PROFILE_ROLES`` and ``taxon``.
    country : str
        ISO 3166-1 alpha-2 code.
    top : int, default 3
        How many taxa and partner countries to list per role.
    language : str, optional
        Give partner countries by name in this language instead of by code.

    Returns
    -------
    pandas.DataFrame
        One row per role, in the order origin, export, transit, destination, seizing:
        ``role``, ``seizures`` (records where the country plays that role), ``top_taxa``
        (list of taxa, most seized first) and ``partners`` (list of the other countries
        those records name in any role, each counted once per record).
    """
    if not isinstance(country, str) or len(country.strip()) != 2:
        raise ValueError(f"country should be an ISO 3166-1 alpha-2 code, got {country!r}")
    _check_positive(top=top)
    code = country.strip().upper()
    weight = weights(records).to_numpy()
    taxon = _text(records, "taxon").to_numpy()
    # Each role column holds few distinct values: split each once, then index rows.
    roles = {column: _role_codes(_text(records, column)) for column in PROFILE_ROLES.values()}
    names = sorted({c for _, codes in roles.values() for value in codes for c in value} - {code})
    number = {name: index for index, name in enumerate(names)}
    # (row, partner) for every other country a row names in any role, once per row.
    row_parts, partner_parts = [], []
    for ids, codes in roles.values():
        numbered = [
            np.array([number[c] for c in value if c != code], dtype=np.int64) for value in codes
        ]
        sizes = np.array([len(value) for value in numbered], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if len(sizes) else sizes
        flat = np.concatenate([*numbered, np.empty(0, dtype=np.int64)])
        present = ids >= 0
        rows_of = np.flatnonzero(present)
        counts = sizes[ids[present]]
        repeated = np.repeat(rows_of, counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        row_parts.append(repeated)
        partner_parts.append(flat[np.repeat(starts[ids[present]], counts) + within])
    pair_keys = np.unique(
        np.concatenate(row_parts) * max(len(names), 1) + np.concatenate(partner_parts)
    )
    pair_rows, pair_partners = np.divmod(pair_keys, max(len(names), 1))
    rows = []
    for role, column in PROFILE_ROLES.items():
        ids, codes = roles[column]
        playing = np.array([code in value for value in codes], dtype=bool)
        mask = np.zeros(len(weight), dtype=bool)
        mask[ids >= 0] = playing[ids[ids >= 0]]
        taxa = pd.Series(weight[mask]).groupby(taxon[mask], dropna=True).sum()
        taxa = _split_taxa_totals(taxa)
        chosen = mask[pair_rows]
        totals = np.bincount(
            pair_partners[chosen], weights=weight[pair_rows[chosen]], minlength=len(names)
        )
        partners = pd.Series(totals, index=pd.Index(names, dtype=object))
        partner_codes = _ranked(partners[partners > 0], top)
        if language is not None:
            partner_codes = [country_name(c, language) for c in partner_codes]
        rows.append(
            {
                "role": role,
                "seizures": int(weight[mask].sum()),
                "top_taxa": _ranked(taxa, top),
                "partners": partner_codes,
            }
        )
    return pd.DataFrame(rows, columns=["role", "seizures", "top_taxa", "partners"])


def _role_codes(values: pd.Series) -> tuple[np.ndarray, list[frozenset[str]]]:
    """Return a role column as indexes into its distinct values (-1: empty), and their codes."""
    ids, distinct = pd.factorize(values)
    return ids, [frozenset(_split_codes(value)) for value in distinct]


def _split_taxa_totals(totals: pd.Series) -> pd.Series:
    """Share a taxon-cell total out to each taxon it names (a record counts under each)."""
    if not any(";" in str(name) for name in totals.index):
        return totals
    frame = pd.DataFrame({"taxon": totals.index.astype(object), WEIGHT: totals.to_numpy()})
    return _explode_taxa(frame).groupby("taxon")[WEIGHT].sum()


def _weighted(records: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return the distinct combinations of some text columns and how many records have each."""
    frame = pd.DataFrame({column: _text(records, column) for column in columns})
    if frame.empty:
        return frame.assign(weight=pd.Series([], dtype="int64"))
    counts = (
        weights(records)
        .groupby([frame[column] for column in columns], dropna=False, sort=False)
        .sum()
        .rename("weight")
        .reset_index()
    )
    for column in columns:
        counts[column] = _text(counts, column)
    return counts


def _split_codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _most_frequent(frame: pd.DataFrame, column: str) -> dict[str, str]:
    """Return, per taxon, the value of ``column`` with the most weight (ties: alphabetical)."""
    known = frame[frame[column].notna()]
    if known.empty:
        return {}
    totals = known.groupby(["taxon", column])[WEIGHT].sum().reset_index()
    totals = totals.sort_values(["taxon", WEIGHT, column], ascending=[True, False, True])
    first = totals.drop_duplicates("taxon")
    return dict(zip(first["taxon"], first[column], strict=True))


def _explode_taxa(frame: pd.DataFrame) -> pd.DataFrame:
    several = frame["taxon"].str.contains(";", regex=False)
    if not several.any():
        return frame
    frame = frame.assign(taxon=frame["taxon"].str.split(";")).explode("taxon")
    frame["taxon"] = frame["taxon"].str.strip()
    return frame[frame["taxon"] != ""].reset_index(drop=True)


def _explode_codes(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    frame = frame.assign(**{column: frame[column].str.split(";")}).explode(column)
    frame[column] = frame[column].str.strip()
    return frame[frame[column].notna() & (frame[column] != "")].reset_index(drop=True)


def _quantity_in(records: pd.DataFrame, unit: str | None) -> pd.Series:
    if not unit or "quantity" not in records or "unit" not in records:
        return pd.Series(np.nan, index=records.index, dtype="float64")
    quantity = pd.to_numeric(records["quantity"], errors="coerce").astype("float64")
    return quantity.where(records["unit"].astype(object).eq(unit))


def _text(records: pd.DataFrame, column: str) -> pd.Series:
    """Return a text column as object dtype, with None for missing and blank values."""
    if column not in records:
        return pd.Series(None, index=records.index, dtype=object)
    values = records[column].astype(object)
    return values.where(values.notna() & values.ne(""), None)


def _unordered_pair(pair: str) -> str:
    return "-".join(sorted(part.strip().upper() for part in pair.split("-")))


def _ranked(counts: pd.Series, limit: int) -> list[str]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:limit]]


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} should be a positive int, got {value!r}")
