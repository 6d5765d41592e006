"""Who reads the store, and what they may see and do: principals, roles and country scopes.

Every read of seizure records goes through a :class:`~geo.store.store.Store` bound to one
:class:`Principal`, and the store adds the principal's visibility condition to every
statement it runs (:func:`visible_condition`): a page, an aggregate, a Gi* ranking, an
export or a briefing never sees a record its reader may not see, so none can count one.

A record is visible when it is ``public``, or when its ``owner_country`` is in the reader's
scope.  A missing sensitivity counts as restricted: sharing is a decision someone made.

Roles (what a user may do, not what they see):

- ``viewer``: reads the dashboard and makes briefings;
- ``analyst``: also imports files, undoes their own batches and exports records;
- ``admin``: also manages users, undoes any batch and reads the audit log.

A store with no users belongs to whoever can open it (single-user mode): the principal is
:meth:`Principal.local`, who sees everything.  Once a user exists, a store opened without a
principal reads as :meth:`Principal.nobody` (public records only) until someone signs in.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import sqlalchemy as sa

__all__ = [
    "ACTIONS",
    "LOOPBACK_ADDRESSES",
    "ROLES",
    "AccessDenied",
    "Principal",
    "parse_scope",
    "visible_condition",
]

ROLES = ("viewer", "analyst", "admin")

# Where a store without users may be served: this computer only.
LOOPBACK_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

# What each role may do; each role may also do everything of the roles before it.
ACTIONS = {
    "read": "viewer",
    "brief": "viewer",
    "import": "analyst",
    "export": "analyst",
    "undo": "analyst",
    "users": "admin",
    "audit": "admin",
    "undo_any": "admin",
}


class AccessDenied(PermissionError):
    """The principal may not do this (the message says who, what, and which role may)."""


@dataclass(frozen=True)
class Principal:
    """Who is reading or writing: a user, or the single user of a store without users.

    Attributes
    ----------
    name : str
        The user name (as in the audit log).
    role : str
        ``viewer``, ``analyst`` or ``admin``.
    country : str or None
        Home country (ISO-2): the owner of the records and batches this user imports.
    scope : tuple of str or None
        The countries whose restricted records this user sees (always including
        ``country``); ``None`` means every country's (single-user mode only).
    """

    name: str
    role: str = "viewer"
    country: str | None = None
    scope: tuple[str, ...] | None = ()

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role should be one of {', '.join(ROLES)}, got {self.role!r}")
        if self.country is not None and not _is_code(self.country):
            raise ValueError(
                f"country should be a two-letter code such as LA, got {self.country!r}"
            )
        if self.scope is not None:
            if isinstance(self.scope, str) or not all(_is_code(code) for code in self.scope):
                raise ValueError(
                    f"scope should be two-letter country codes such as ('CN', 'LA'), got "
                    f"{self.scope!r}"
                )
            codes = set(self.scope) | ({self.country} if self.country else set())
            object.__setattr__(self, "scope", tuple(sorted(codes)))

    @classmethod
    def local(cls) -> Principal:
        """Return the single user of a store without users, who sees and may do everything."""
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "local"
        return cls(name=name, role="admin", country=None, scope=None)

    @classmethod
    def nobody(cls) -> Principal:
        """Return no one: a store with users, before sign-in (public records, no writes)."""
        return cls(name="(not signed in)", role="viewer", country=None, scope=())

    @property
    def sees_everything(self) -> bool:
        """True in single-user mode: no record is hidden from this principal."""
        return self.scope is None

    def may(self, action: str) -> bool:
        """Tell whether the role allows ``action`` (a key of :data:`ACTIONS`)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
        if self.name == Principal.nobody().name:
            return action == "read"
        return ROLES.index(self.role) >= ROLES.index(ACTIONS[action])

    def require(self, action: str, what: str) -> None:
        """Raise :class:`AccessDenied` unless the role allows ``action``.

        Parameters
        ----------
        action : str
            A key of :data:`ACTIONS`.
        what : str
            The words for the act, for the message ("export records").
        """
        if not self.may(action):
            needed = ACTIONS[action]
            raise AccessDenied(
                f"{self.name} ({self.role}) may not {what}: that needs the {needed} role"
                + (" or higher." if needed != "admin" else ".")
            )

    def sees_country(self, code: str | None) -> bool:
        """Tell whether restricted records owned by ``code`` are visible to this principal."""
        return self.scope is None or (code is not None and code in self.scope)


def _is_code(code: object) -> bool:
    """Tell an upper-case two-letter code (so never the policy's ``*``)."""
    return (
        isinstance(code, str)
        and len(code) == 2
        and code.isascii()
        and code.isalpha()
        and code.isupper()
    )


def parse_scope(text: str | None) -> tuple[str, ...]:
    """Read a scope as written on the command line or stored: ``"CN,LA"`` → ``("CN", "LA")``.

    Raises
    ------
    ValueError
        If an element is not a two-letter country code.
    """
    codes = [part.strip().upper() for part in (text or "").split(",") if part.strip()]
    for code in codes:
        if len(code) != 2 or not code.isalpha():
            raise ValueError(f"a scope lists two-letter country codes such as CN,LA; got {code!r}")
    return tuple(sorted(set(codes)))


def visible_condition(principal: Principal, table: sa.Table) -> sa.ColumnElement[bool] | None:
    """Return the SQL condition of the records ``principal`` may see (None: all of them).

    Parameters
    ----------
    principal : Principal
        The reader.
    table : sqlalchemy.Table
        The seizures table.

    Returns
    -------
    sqlalchemy condition or None
        ``sensitivity = 'public' OR owner_country IN (scope)``; None in single-user mode.
    """
    if principal.sees_everything:
        return None
    public = table.c.sensitivity == "public"
    if not principal.scope:
        return public
    return sa.or_(public, table.c.owner_country.in_(list(principal.scope)))
