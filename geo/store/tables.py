"""Table definitions shared by every backend (SQLAlchemy Core)."""

from __future__ import annotations

import sqlalchemy as sa

from geo.schema import DERIVED_FIELDS, FIELDS

__all__ = [
    "audit",
    "batches",
    "duplicates",
    "mappings",
    "meta",
    "metadata",
    "quarantine",
    "seizures",
    "users",
]

metadata = sa.MetaData()

_TYPES = {
    "text": sa.Text,
    "list": sa.Text,  # ";"-joined ISO codes: the same SQL runs on DuckDB and PostgreSQL
    "date": sa.Date,
    "float": sa.Double,  # sa.Float is 32-bit REAL on DuckDB: coordinates need 64 bits
    "bool": sa.Boolean,
}


def _record_columns() -> list[sa.Column]:
    columns = [sa.Column("record_id", sa.Text, primary_key=True)]
    for name, kind in {**FIELDS, **DERIVED_FIELDS}.items():
        if name != "record_id":
            columns.append(sa.Column(name, _TYPES[kind]()))
    return columns


seizures = sa.Table(
    "seizures",
    metadata,
    *_record_columns(),
    sa.Column("extra", sa.Text),
    # 64-bit hash of the normalised record: duplicate detection across files and batches.
    sa.Column("content_hash", sa.BigInteger, nullable=False),
    sa.Column("source_row", sa.Integer),
    # no secondary indexes: DuckDB keeps ART indexes in memory and scans columns fast
)

quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("batch_id", sa.Text, nullable=False),
    sa.Column("source_row", sa.Integer, nullable=False),
    sa.Column("raw", sa.Text, nullable=False),  # JSON object: the row's cells exactly as read
    sa.Column("problems", sa.Text, nullable=False),  # JSON list of {column, value, reason}
    sa.PrimaryKeyConstraint("batch_id", "source_row"),
)

# The rows of a batch that repeated a record already stored (or an earlier row of the same
# file): not records, but kept so that undoing the batch that holds the record can put the
# repeat back in its place (the record's values, this row's id, place in its file and extra
# cells), and what the files hold stays in the store.
duplicates = sa.Table(
    "duplicates",
    metadata,
    sa.Column("batch_id", sa.Text, nullable=False),
    sa.Column("source_row", sa.Integer, nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("content_hash", sa.BigInteger, nullable=False),
    sa.Column("extra", sa.Text),
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("batch_id", sa.Text, primary_key=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False, unique=True),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("imported_by", sa.Text),
    # the importing user's home country: whose analysts see the batch and its quarantined rows
    sa.Column("owner_country", sa.Text),
    sa.Column("format", sa.Text),
    sa.Column("columns", sa.Text),  # JSON: the file's headers in order, for re-export
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("quarantined", sa.Integer, nullable=False),
    sa.Column("duplicates", sa.Integer, nullable=False),
    sa.Column("report", sa.Text),  # JSON: the import report (problems truncated)
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("occurred_at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("records", sa.Integer),  # how many records the event touched, where it did
    sa.Column("detail", sa.Text),  # JSON; never a password or a record's contents
)

# One user list for every face of a deployment (dashboard, command line).  No users: the
# store belongs to whoever can open it (single-user mode, see geo.store.access).
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),  # viewer, analyst, admin
    sa.Column("country", sa.Text, nullable=False),  # home country, ISO-2
    sa.Column("scope", sa.Text, nullable=False),  # ","-joined ISO-2: restricted records seen
    sa.Column("password_hash", sa.Text),  # Argon2id (PHC string); NULL: signs in by OIDC only
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("last_login_at", sa.DateTime),  # failed sign-ins are in the audit log
)

# Column mappings the users made, by the signature of the headers they were made for: the
# next file with the same headers (the same agency's next month) maps itself.
mappings = sa.Table(
    "mappings",
    metadata,
    sa.Column("signature", sa.Text, primary_key=True),
    sa.Column("mapping", sa.Text, nullable=False),  # TOML, as `seizures import --mapping` reads
    sa.Column("file_name", sa.Text),  # the file it was made for
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.Column("saved_by", sa.Text),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text),
)
