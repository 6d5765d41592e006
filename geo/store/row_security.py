"""PostgreSQL row-level security: the second wall behind the store's own scope conditions.

The store adds each reader's visibility condition to every statement (see
:mod:`geo.store.access`).  On PostgreSQL the server checks it again: a read made for a
reader with a limited scope runs as the role ``seizures_reader`` (``SET LOCAL ROLE``), whose
only policy on ``seizures`` is

    sensitivity = 'public' OR owner_country = ANY (scope) OR scope = '*'

with the scope passed as the transaction-local setting ``seizures.scope``.  So a statement
that forgot the condition still returns nothing it should not.  Writes run as the
connecting user, who owns the tables and is not subject to the policy (row security is
enabled, not forced), so bulk ``COPY`` keeps working.

The connecting user needs to be able to create that role once (a superuser, or one with
``CREATEROLE``); otherwise an administrator runs, once per server::

    CREATE ROLE seizures_reader NOLOGIN;
    GRANT seizures_reader TO <the store's user>;

Without the role the store still applies its own conditions, and says so in
:func:`row_security_state`.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["READER_ROLE", "install_row_security", "row_security_state", "set_row_scope"]

READER_ROLE = "seizures_reader"
# The reader role reads these; never ``users`` (password hashes).
_READ_TABLES = ("seizures", "quarantine", "batches", "duplicates", "audit", "meta", "mappings")

_POLICY = f"""
CREATE POLICY seizures_visible ON seizures FOR SELECT TO {READER_ROLE} USING (
    current_setting('seizures.scope', true) = '*'
    OR sensitivity = 'public'
    OR owner_country = ANY (string_to_array(current_setting('seizures.scope', true), ','))
)
"""


def install_row_security(connection: sa.Connection) -> None:
    """Create the reader role (if allowed), its grants and the policy on ``seizures``.

    Idempotent; run in the transaction that creates the tables.  A user who may not create
    roles gets the policy without the role, and reads keep the store's own conditions.
    """
    connection.exec_driver_sql("ALTER TABLE seizures ENABLE ROW LEVEL SECURITY")
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM pg_roles WHERE rolname = %(role)s", {"role": READER_ROLE}
    ).first()
    if not exists:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(f"CREATE ROLE {READER_ROLE} NOLOGIN")
        except sa.exc.DBAPIError:
            pass  # no CREATEROLE, or another process made it meanwhile
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM pg_roles WHERE rolname = %(role)s", {"role": READER_ROLE}
        ).first()
    if not exists:
        return
    member = connection.exec_driver_sql(
        "SELECT pg_has_role(current_user, %(role)s, 'MEMBER')", {"role": READER_ROLE}
    ).scalar()
    if not member:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(f"GRANT {READER_ROLE} TO current_user")
        except sa.exc.DBAPIError:
            return
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    quoted = '"' + str(schema).replace('"', '""') + '"'
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quoted} TO {READER_ROLE}")
    for table in _READ_TABLES:
        connection.exec_driver_sql(f"GRANT SELECT ON {table} TO {READER_ROLE}")
    connection.exec_driver_sql("DROP POLICY IF EXISTS seizures_visible ON seizures")
    connection.exec_driver_sql(_POLICY)


def row_security_state(connection: sa.Connection) -> bool:
    """Tell whether reads on this connection can run as the reader role (the second wall)."""
    found = connection.exec_driver_sql(
        "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %(role)s",
        {"role": READER_ROLE},
    ).first()
    return bool(found and found[0])


def set_row_scope(
    connection: sa.Connection, scope: tuple[str, ...] | None, as_reader: bool = False
) -> None:
    """Set the scope the policy checks for the rest of this transaction.

    Parameters
    ----------
    connection : sqlalchemy.Connection
        A PostgreSQL connection inside a transaction (the setting and role end with it).
    scope : tuple of str or None
        The reader's countries; None for every record (the store's own writes).
    as_reader : bool
        Also switch to the reader role, so the server enforces the policy.
    """
    value = "*" if scope is None else ",".join(scope)
    connection.exec_driver_sql(
        "SELECT set_config('seizures.scope', %(scope)s, true)", {"scope": value}
    )
    if as_reader:
        connection.exec_driver_sql(f"SET LOCAL ROLE {READER_ROLE}")
