"""Keys of unordered country pairs ("CN-LA"): the bottom floor, importing nothing of geo."""

from __future__ import annotations

__all__ = ["pair_key", "split_pair"]


def pair_key(a: str, b: str) -> str:
    """Return the key of an unordered country pair: the two ISO-2 codes sorted, joined by "-".

    Parameters
    ----------
    a, b : str
        ISO 3166-1 alpha-2 codes (case is ignored).

    Returns
    -------
    str
        For example ``pair_key("LA", "CN") == "CN-LA"``.
    """
    codes = []
    for code in (a, b):
        if not isinstance(code, str) or len(code.strip()) != 2 or not code.strip().isalpha():
            raise ValueError(f"a country pair needs two ISO-2 codes, got {code!r}")
        codes.append(code.strip().upper())
    if codes[0] == codes[1]:
        raise ValueError(f"a country pair needs two different countries, got {a!r} twice")
    return "-".join(sorted(codes))


def split_pair(pair: str) -> tuple[str, str]:
    """Return the two codes of a pair key, alphabetical: "LA-CN" and "cn–la" give ("CN", "LA").

    Parameters
    ----------
    pair : str
        Two ISO 3166-1 alpha-2 codes joined by "-" (or an en dash), in any order and case.

    Returns
    -------
    tuple of str
        The two codes, alphabetical.

    Raises
    ------
    ValueError
        If ``pair`` is not two different ISO-2 codes, naming the value.
    """
    if not isinstance(pair, str):
        raise ValueError(f"pair should be text such as 'CN-LA', got {pair!r}")
    parts = pair.replace("–", "-").split("-")
    if len(parts) != 2:
        raise ValueError(f"pair should be two ISO alpha-2 codes like 'CN-LA', got {pair!r}")
    first, second = pair_key(parts[0], parts[1]).split("-")
    return first, second
