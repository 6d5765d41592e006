"""The store's users: adding and removing them, passwords (Argon2id) and signing in.

Passwords are hashed with Argon2id (argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes) and
only the hash is stored.  Neither a password nor its hash reaches the audit log, whose
events name the user, the act and the outcome.

Failed sign-ins are audit events (``login_failed``, with the name tried as the actor), so
the count of recent failures is the same for a known and an unknown name, and survives a
restart.  From the fifth failure on, each further attempt for that name waits before its
password is checked: 1 s, then 2, 4, ... up to :data:`MAX_DELAY_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo.store.access import ROLES, AccessDenied, Principal, parse_scope
from geo.store.store import Store, StoreError
from geo.store.tables import audit, users

__all__ = [
    "FAILURES_BEFORE_DELAY",
    "MAX_DELAY_SECONDS",
    "MIN_PASSWORD_LENGTH",
    "SignInRefused",
    "add_user",
    "authenticate",
    "list_users",
    "login_delay",
    "principal_of",
    "read_audit",
    "recent_failures",
    "remove_user",
    "set_password",
    "sign_in_external",
]

FAILURES_BEFORE_DELAY = 5
MAX_DELAY_SECONDS = 30.0
# Failures older than this (and failures before the last good sign-in) no longer count.
FAILURE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

_HASHER = PasswordHasher()  # argon2id
# Verified against for an unknown name, so that it costs as long as a known one.
_DECOY = _HASHER.hash("not a password of anyone's")


class SignInRefused(AccessDenied):
    """A sign-in was refused: ``reason`` is ``unknown_user`` or ``wrong_password``."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200 or any(ch.isspace() for ch in name):
        raise ValueError(f"a user name is one word of up to 200 characters, got {name!r}")
    return name


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def _check_country(country: str) -> str:
    codes = parse_scope(country)
    if len(codes) != 1:
        raise ValueError(f"a home country is one two-letter code such as LA, got {country!r}")
    return codes[0]


def _manage(store: Store, what: str) -> None:
    """Only an admin manages users; on a store without users, whoever opened it."""
    store.principal.require("users", what)


def add_user(
    store: Store,
    name: str,
    role: str,
    country: str,
    scope: tuple[str, ...] = (),
    password: str | None = None,
) -> Principal:
    """Add a user.

    Parameters
    ----------
    store : Store
        The store, opened by an admin (or, for the first user, by anyone who can open it).
    name : str
        One word (a login name or, for OpenID Connect, the e-mail address).
    role : str
        ``viewer``, ``analyst`` or ``admin``.
    country : str
        Home country, ISO-2: owner of what the user imports, and always in their scope.
    scope : tuple of str
        Other countries whose restricted records the user sees.
    password : str, optional
        At least :data:`MIN_PASSWORD_LENGTH` characters; without one the user signs in only
        through OpenID Connect.

    Returns
    -------
    Principal
        The new user as a principal.

    Raises
    ------
    ValueError
        For a malformed name, role, country, scope or password, or a first user who is not
        an admin (no one could then manage the others).
    StoreError
        If the name is taken.
    AccessDenied
        If the store's principal may not manage users.
    """
    _manage(store, "add users")
    name = _check_name(name)
    if role not in ROLES:
        raise ValueError(f"role should be one of {', '.join(ROLES)}, got {role!r}")
    country = _check_country(country)
    scope = tuple(sorted(set(scope) | {country}))
    parse_scope(",".join(scope))
    if password is not None:
        _check_password(password)
    first = not store.has_users()
    if first and role != "admin":
        raise ValueError(
            "the first user must be an admin (--role admin), who can then add the others"
        )
    row = {
        "name": name,
        "role": role,
        "country": country,
        "scope": ",".join(scope),
        "password_hash": _HASHER.hash(password) if password is not None else None,
        "created_at": _now(),
        "created_by": store.actor,
    }
    with store.transaction() as connection:
        taken = connection.execute(sa.select(users.c.name).where(users.c.name == name)).first()
        if taken:
            raise StoreError(f"there is already a user {name!r}; remove them first to re-add.")
        connection.execute(users.insert().values(**row))
        store.log(
            connection,
            "user_add",
            {"user": name, "role": role, "country": country, "scope": list(scope)},
        )
    return Principal(name=name, role=role, country=country, scope=scope)


def remove_user(store: Store, name: str) -> None:
    """Remove a user (their imports stay, under their name).

    Raises
    ------
    StoreError
        If there is no such user, or they are the last admin while other users remain.
    """
    _manage(store, "remove users")
    with store.transaction() as connection:
        found = connection.execute(sa.select(users.c.role).where(users.c.name == name)).first()
        if found is None:
            raise StoreError(f"there is no user {name!r} in {store.location}.")
        if found.role == "admin":
            admins = connection.execute(
                sa.select(sa.func.count()).select_from(users).where(users.c.role == "admin")
            ).scalar()
            others = connection.execute(
                sa.select(sa.func.count()).select_from(users).where(users.c.name != name)
            ).scalar()
            if admins == 1 and others:
                raise StoreError(
                    f"{name!r} is the last admin; add another admin before removing them."
                )
        connection.execute(users.delete().where(users.c.name == name))
        store.log(connection, "user_remove", {"user": name})


def set_password(store: Store, name: str, password: str) -> None:
    """Set a user's password (an admin for anyone; every user for themselves)."""
    if store.principal.name != name:
        _manage(store, "set other users' passwords")
    _check_password(password)
    with store.transaction() as connection:
        changed = connection.execute(
            users.update().where(users.c.name == name).values(password_hash=_HASHER.hash(password))
        ).rowcount
        if not changed:
            raise StoreError(f"there is no user {name!r} in {store.location}.")
        store.log(connection, "user_password", {"user": name})


def list_users(store: Store) -> pd.DataFrame:
    """Return the users (name, role, country, scope, sign-in kinds, dates): never hashes."""
    _manage(store, "list users")
    statement = sa.select(
        users.c.name,
        users.c.role,
        users.c.country,
        users.c.scope,
        users.c.password_hash.is_not(None).label("has_password"),
        users.c.created_at,
        users.c.created_by,
        users.c.last_login_at,
    ).order_by(users.c.name)
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def principal_of(store: Store, name: str) -> Principal | None:
    """Return the user ``name`` as a principal, or None if there is no such user."""
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        return None
    return Principal(
        name=row.name, role=row.role, country=row.country, scope=parse_scope(row.scope)
    )


def login_delay(failures: int) -> float:
    """Return how long an attempt waits after ``failures`` recent failures (seconds)."""
    if failures < FAILURES_BEFORE_DELAY:
        return 0.0
    return min(2.0 ** (failures - FAILURES_BEFORE_DELAY), MAX_DELAY_SECONDS)


def recent_failures(store: Store, name: str, now: dt.datetime | None = None) -> int:
    """Count the failed sign-ins for ``name`` since its last good one, within the window."""
    now = now or _now()
    with store.engine.connect() as connection:
        last_good = connection.execute(
            sa.select(sa.func.max(audit.c.occurred_at)).where(
                audit.c.action == "login", audit.c.actor == name
            )
        ).scalar()
        since = max(filter(None, [last_good, now - FAILURE_WINDOW]))
        return int(
            connection.execute(
                sa.select(sa.func.count())
                .select_from(audit)
                .where(
                    audit.c.action == "login_failed",
                    audit.c.actor == name,
                    audit.c.occurred_at > since,
                )
            ).scalar()
        )


def authenticate(
    store: Store,
    name: str,
    password: str,
    method: str = "password",
    sleep: Callable[[float], None] = time.sleep,
) -> Principal:
    """Check a user's password; return them as a principal, or refuse.

    Every attempt is audited (``login`` or ``login_failed``, never the password).  After
    :data:`FAILURES_BEFORE_DELAY` recent failures for the name, the attempt first waits
    :func:`login_delay` seconds.

    Parameters
    ----------
    store : Store
        Any store on the database (its principal does not matter).
    name, password : str
        What the user gave.
    method : str
        Where the attempt came from, for the audit log (``password``, ``cli``, ...).
    sleep : callable
        Waits the given seconds (a test passes one that records instead).

    Raises
    ------
    SignInRefused
        For an unknown user or a wrong password (``reason`` tells which).
    """
    delay = login_delay(recent_failures(store, name))
    if delay:
        sleep(delay)
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.name == name)).first()
    stored = row.password_hash if row is not None else None
    try:
        _HASHER.verify(stored or _DECOY, password or "")
        good = stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        good = False
    if not good:
        reason = "unknown_user" if row is None else "wrong_password"
        store.audit_event("login_failed", {"method": method, "reason": reason}, actor=name)
        if row is None:
            raise SignInRefused(f"there is no user {name!r} in this store.", reason)
        if stored is None:
            raise SignInRefused(f"{name!r} has no password: they sign in through OIDC.", reason)
        raise SignInRefused(f"wrong password for {name!r}.", reason)
    if _HASHER.check_needs_rehash(stored):
        with store.engine.begin() as connection:
            connection.execute(
                users.update()
                .where(users.c.name == name)
                .values(password_hash=_HASHER.hash(password))
            )
    return _signed_in(store, name, method)


def sign_in_external(store: Store, name: str, method: str = "oidc") -> Principal:
    """Sign in a user whom an identity provider vouched for (OpenID Connect).

    Raises
    ------
    SignInRefused
        If no user of that name (the e-mail address) exists: the provider says who someone
        is, the store says what they may see.
    """
    if principal_of(store, name) is None:
        store.audit_event("login_failed", {"method": method, "reason": "unknown_user"}, actor=name)
        raise SignInRefused(
            f"{name} signed in with the identity provider but is not a user of this atlas; "
            "ask an admin to add them.",
            "unknown_user",
        )
    return _signed_in(store, name, method)


def _signed_in(store: Store, name: str, method: str) -> Principal:
    with store.engine.begin() as connection:
        connection.execute(users.update().where(users.c.name == name).values(last_login_at=_now()))
        store.log(connection, "login", {"method": method}, actor=name)
    principal = principal_of(store, name)
    assert principal is not None
    return principal


def read_audit(store: Store, limit: int | None = 1000, action: str | None = None) -> pd.DataFrame:
    """Return the audit log, newest first (admins only).

    Parameters
    ----------
    store : Store
        Opened by an admin (or single-user).
    limit : int, optional
        At most this many events.
    action : str, optional
        Only events of this kind (``login``, ``login_failed``, ``import``, ``undo``,
        ``export``, ``brief``, ``user_add``, ...).

    Returns
    -------
    DataFrame
        ``occurred_at`` (UTC), ``actor``, ``action``, ``records``, ``detail`` (JSON text).
    """
    store.principal.require("audit", "read the audit log")
    statement = sa.select(
        audit.c.occurred_at, audit.c.actor, audit.c.action, audit.c.records, audit.c.detail
    ).order_by(audit.c.occurred_at.desc(), audit.c.event_id)
    if action:
        statement = statement.where(audit.c.action == action)
    if limit:
        statement = statement.limit(limit)
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
