"""PostgreSQL row-level security: the second wall behind the store's own scope conditions.

The store adds each reader's visibility condition to every statement (see
:mod:`geo.store.access`).  On PostgreSQL the server checks it again: a read made for a
reader with a limited scope runs as the role ``seizures_reader`` (``SET LOCAL ROLE``), whose
only policy on ``seizures`` is

    sensitivity = 'public' OR owner_country = ANY (scope) OR scope = '*'

with the scope passed as the transaction-local setting ``seizures.scope``.  So a statement
that forgot the condition still returns nothing it should not.  The import batches and their
quarantined rows (a file's raw cells) have policies of their own, as the store's
:meth:`~geo.store.store.Store.batches` and :meth:`~geo.store.store.Store.quarantined` show
them (``seizures.user`` and ``seizures.admin`` name the reader); the reader role may not read
``duplicates`` or ``users`` at all, and of the audit log only the time of each event.

Writes run as the connecting user, who owns the tables and is not subject to the policies
(row security is enabled, not forced), so bulk ``COPY`` keeps working.

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
# The reader role reads these; never ``users`` (password hashes) nor ``duplicates``.
_READ_TABLES = ("seizures", "quarantine", "batches", "meta", "mappings")

_ALL = "current_setting('seizures.scope', true) = '*'"
_IN_SCOPE = "= ANY (string_to_array(current_setting('seizures.scope', true), ','))"
# A batch's own rows: its importer's, its country's, or (imported before users) everyone's.
_OWN_BATCH = (
    f"b.owner_country IS NULL OR b.owner_country {_IN_SCOPE} "
    "OR b.imported_by = current_setting('seizures.user', true)"
)
_POLICIES = {
    "seizures": f"""
CREATE POLICY seizures_visible ON seizures FOR SELECT TO {READER_ROLE} USING (
    {_ALL} OR sensitivity = 'public' OR owner_country {_IN_SCOPE}
)""",
    "batches": f"""
CREATE POLICY batches_visible ON batches FOR SELECT TO {READER_ROLE} USING (
    {_ALL} OR current_setting('seizures.admin', true) = 'on'
    OR {_OWN_BATCH.replace("b.", "batches.")}
)""",
    "quarantine": f"""
CREATE POLICY quarantine_visible ON quarantine FOR SELECT TO {READER_ROLE} USING (
    {_ALL} OR batch_id IN (SELECT b.batch_id FROM batches b WHERE {_OWN_BATCH})
)""",
}


def install_row_security(connection: sa.Connection) -> None:
    """Create the reader role (if allowed), its grants and the policy on ``seizures``.

    Idempotent; run in the transaction that creates the tables.  A user who may not create
    roles gets the policy without the role, and reads keep the store's own conditions.
    """
    for table in _POLICIES:
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
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
    # a store made before these policies granted more: take it back
    connection.exec_driver_sql(f"REVOKE SELECT ON duplicates, audit FROM {READER_ROLE}")
    # the data version's "latest event" is all a reader reads of the audit log
    connection.exec_driver_sql(f"GRANT SELECT (occurred_at) ON audit TO {READER_ROLE}")
    for table, policy in _POLICIES.items():
        name = policy.split()[2]
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
        connection.exec_driver_sql(policy)


def row_security_state(connection: sa.Connection) -> bool:
    """Tell whether reads on this connection can run as the reader role (the second wall)."""
    found = connection.exec_driver_sql(
        "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %(role)s",
        {"role": READER_ROLE},
    ).first()
    return bool(found and found[0])


def set_row_scope(
    connection: sa.Connection,
    scope: tuple[str, ...] | None,
    as_reader: bool = False,
    user: str = "",
    admin: bool = False,
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
    user : str
        The reader's name (their own import batches are theirs to see).
    admin : bool
        The reader is an admin (who sees every import batch, not every quarantined row).
    """
    value = "*" if scope is None else ",".join(scope)
    connection.exec_driver_sql(
        "SELECT set_config('seizures.scope', %(scope)s, true), "
        "set_config('seizures.user', %(user)s, true), "
        "set_config('seizures.admin', %(admin)s, true)",
        {"scope": value, "user": user, "admin": "on" if admin else "off"},
    )
    if as_reader:
        connection.exec_driver_sql(f"SET LOCAL ROLE {READER_ROLE}")
