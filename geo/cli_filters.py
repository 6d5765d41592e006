"""The filter options of the ``seizures`` commands, read into a :class:`~geo.store.query.Query`.

``--pair``, ``--from``, ``--to``, ``--year``, ``--taxon`` and ``--country`` mean the same in
every command that takes them (``export``, ``brief``), as the dashboard's filters do.  A value
that cannot be read raises :class:`ValueError` with one sentence naming the option and what was
typed, for the command to print.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from geo.pairs import pair_key, split_pair
from geo.schema import TAXON_GROUPS
from geo.store.query import Query

__all__ = ["add_filter_arguments", "query_from_arguments", "report_scope"]

# The reference tables (pandas) are imported where a value is read, not when a command's
# parser is built: `seizures --help` stays instant.

_YEAR = re.compile(r"\d{4}")


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the filter options to a command's parser.

    Values are kept as typed; :func:`query_from_arguments` reads them, so that a bad value is
    told in one sentence rather than by argparse's usage message.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The sub-command's parser.
    """
    group = parser.add_argument_group("filters (as the dashboard's)")
    group.add_argument(
        "--pair", metavar="CN-LA", help="seizures within 50 km of this pair's land border"
    )
    group.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD")
    group.add_argument("--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD")
    group.add_argument("--year", metavar="YYYY", help="one calendar year (instead of --from/--to)")
    group.add_argument(
        "--taxon",
        action="append",
        default=[],
        metavar="NAME",
        help="a taxon (scientific or common name: Manidae, pangolin) or a taxon group "
        "(mammals, birds, reptiles, ...); repeat for several",
    )
    group.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CC",
        help="a country (ISO code such as CN, or its name) in any role: seizing, origin, "
        "export, transit or destination; repeat for several",
    )


def query_from_arguments(args: argparse.Namespace) -> Query:
    """Return the query the filter options describe.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments of a parser given :func:`add_filter_arguments`.

    Returns
    -------
    Query
        Taxa as the species reference names them (``pangolin`` → ``Manidae``), countries as
        ISO-2 codes in any role, the pair as its sorted key.

    Raises
    ------
    ValueError
        One sentence naming the option and the value, e.g. ``--pair: 'CN-XX' is not two ISO
        country codes joined by '-', such as CN-LA.``
    """
    date_from = _date("--from", args.date_from)
    date_to = _date("--to", args.date_to)
    if args.year is not None:
        if date_from or date_to:
            raise ValueError(
                "--year cannot be combined with --from or --to; give one or the other."
            )
        year = _year(args.year)
        date_from, date_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if date_from and date_to and date_from > date_to:
        raise ValueError(f"--from {date_from} is after --to {date_to}.")
    groups, taxa = _taxa(args.taxon or [])
    return Query(
        date_from=date_from,
        date_to=date_to,
        taxon_groups=groups,
        taxa=taxa,
        countries=tuple(_country("--country", text) for text in args.country or []),
        pair=_pair(args.pair) if args.pair is not None else None,
    )


def report_scope(args: argparse.Namespace) -> tuple[str, int]:
    """Return the Party and the year of a per-country annual report (``--format aitr``).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments of a parser given :func:`add_filter_arguments`.

    Returns
    -------
    tuple of (str, int)
        The reporting country's ISO-2 code and the year.

    Raises
    ------
    ValueError
        One sentence when ``--country`` or ``--year`` is missing or repeated, or when another
        filter would make the report cover less than the Party's whole year.
    """
    if not args.country or args.year is None:
        raise ValueError(
            "--format aitr needs --country (the reporting Party) and --year (the year "
            "reported), e.g. --country CN --year 2024."
        )
    if len(args.country) > 1:
        raise ValueError(
            f"--format aitr reports one Party's seizures: give one --country, not "
            f"{', '.join(args.country)}."
        )
    narrowing = [
        option
        for option, value in (
            ("--pair", args.pair),
            ("--taxon", args.taxon),
            ("--from", args.date_from),
            ("--to", args.date_to),
        )
        if value
    ]
    if narrowing:
        raise ValueError(
            "--format aitr reports all of a Party's seizures in the year: leave out "
            f"{', '.join(narrowing)}."
        )
    return _country("--country", args.country[0]), _year(args.year)


def _date(option: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option}: {text!r} is not a date written YYYY-MM-DD.") from None


def _year(text: str | int) -> int:
    if not _YEAR.fullmatch(str(text).strip()) or int(text) < 1:
        raise ValueError(f"--year: {text!r} is not a year written YYYY.")
    return int(text)


def _country(option: str, text: str) -> str:
    from geo.reference.countries import country_code, is_country_code

    code = country_code(text)
    if code is None or not is_country_code(code):
        raise ValueError(
            f"{option}: {text!r} is not a country (an ISO code such as CN, or a name)."
        )
    return code


def _pair(text: str) -> str:
    from geo.reference.countries import is_country_code

    problem = f"--pair: {text!r} is not two ISO country codes joined by '-', such as CN-LA."
    try:
        first, second = split_pair(text)
    except ValueError:
        raise ValueError(problem) from None
    if not (is_country_code(first) and is_country_code(second)):
        raise ValueError(problem)
    return pair_key(first, second)


def _taxa(names: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split ``--taxon`` values into taxon groups and reference taxa."""
    from geo.reference.species import match_taxon

    groups: list[str] = []
    taxa: list[str] = []
    for name in names:
        key = name.strip().casefold()
        if key in TAXON_GROUPS:
            groups.append(key)
            continue
        match = match_taxon(name)
        if match is None or not match.known:
            raise ValueError(
                f"--taxon: {name!r} is neither a taxon in the species reference nor a taxon "
                f"group ({', '.join(TAXON_GROUPS)})."
            )
        taxa.append(match.taxon)
    return tuple(groups), tuple(taxa)
