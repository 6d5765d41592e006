"""Turn a :class:`~geo.store.query.Query` into SQL conditions (SQLAlchemy Core, any backend)."""

from __future__ import annotations

import sqlalchemy as sa

from geo.reference.species import load_species
from geo.store.query import Query
from geo.store.tables import seizures

__all__ = ["expand_taxa", "pair_condition", "where_clauses"]

_LIST_ROLES = {"origin": "origin_countries", "transit": "transit_countries"}
_SINGLE_ROLES = {
    "seizing": "seizing_country",
    "export": "export_country",
    "destination": "destination_country",
}


def expand_taxa(taxa: tuple[str, ...]) -> tuple[str, ...]:
    """Return the taxa with every reference taxon below them (Manidae → the pangolins).

    Parameters
    ----------
    taxa : tuple of str
        Reference names at any rank (species, ``Genus spp.``, family, order, class).

    Returns
    -------
    tuple of str
        The names themselves plus every reference taxon whose genus, family, order or class
        is one of them, sorted.
    """
    table = load_species()
    genus = table["taxon"].str.split().str[0]
    names = set(taxa)
    for name in taxa:
        head = name.split()[0]
        below = (table["family"] == name) | (table["order"] == name) | (table["class"] == name)
        if name.endswith(("spp.", "sp.")) or " " not in name:
            below |= genus == head
        names.update(table.loc[below, "taxon"])
    return tuple(sorted(names))


def _contains_code(column: sa.Column, code: str) -> sa.ColumnElement[bool]:
    """Match a ";"-joined list column holding ``code`` (whole elements, not substrings)."""
    element = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    joined = sa.literal(";") + sa.func.coalesce(column, "") + sa.literal(";")
    return joined.like(f"%;{element};%", escape="\\")


def _plays_role(table: sa.Table, code: str, role: str) -> sa.ColumnElement[bool]:
    if role == "any":
        return sa.or_(
            *(table.c[column] == code for column in _SINGLE_ROLES.values()),
            *(_contains_code(table.c[column], code) for column in _LIST_ROLES.values()),
        )
    if role in _LIST_ROLES:
        return _contains_code(table.c[_LIST_ROLES[role]], code)
    return table.c[_SINGLE_ROLES[role]] == code


def pair_condition(query: Query, table: sa.Table = seizures) -> sa.ColumnElement[bool]:
    """Return the condition of ``query.pair``: a border band, or the trade between the two.

    For two countries that share a land border (CN-LA): the records whose nearest land
    border is theirs, within ``query.border_km`` of it.  For two that do not (CN-PE): the
    records in which both countries play a part (origin, export, transit, destination or
    seizing country), wherever they were seized.
    """
    from geo.spatial.borders import bordering_pairs

    if query.pair in bordering_pairs():
        return sa.and_(
            table.c.border_pair == query.pair, table.c.border_distance_km <= query.border_km
        )
    a, b = query.pair.split("-")
    return sa.and_(_plays_role(table, a, "any"), _plays_role(table, b, "any"))


def where_clauses(query: Query, table: sa.Table = seizures) -> list[sa.ColumnElement[bool]]:
    """Return the SQL conditions that select the records ``query`` describes.

    Parameters
    ----------
    query : Query
        The filters.
    table : sqlalchemy.Table
        The seizures table the conditions refer to (the store passes its own).

    Returns
    -------
    list
        Conditions to AND together (empty for the unrestricted query).
    """
    columns = table.c
    conditions: list[sa.ColumnElement[bool]] = []
    if query.date_from:
        conditions.append(columns.seizure_date >= query.date_from)
    if query.date_to:
        conditions.append(columns.seizure_date <= query.date_to)
    if query.taxon_groups:
        conditions.append(columns.taxon_group.in_(query.taxon_groups))
    if query.taxa:
        names = expand_taxa(query.taxa)
        # a seizure of several taxa is found under each of them (its other_taxa)
        others = sa.or_(*(_contains_code(columns.other_taxa, name) for name in names))
        conditions.append(
            sa.or_(columns.taxon.in_(names), sa.and_(columns.other_taxa.is_not(None), others))
        )
    if query.countries:
        conditions.append(
            sa.or_(*(_plays_role(table, c, query.country_role) for c in query.countries))
        )
    if query.pair:
        conditions.append(pair_condition(query, table))
    for name, column in (
        ("commodities", columns.commodity),
        ("transport_modes", columns.transport_mode),
        ("location_types", columns.location_type),
    ):
        values = getattr(query, name)
        if values:
            conditions.append(column.in_(values))
    return conditions
