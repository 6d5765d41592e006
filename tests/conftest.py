"""Shared fixtures: the shipped sample in a store, and fresh empty stores on each engine."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from geo.ingest.importer import import_file
from geo.paths import SAMPLE_FILE
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_store_file(tmp_path_factory) -> Path:
    """A DuckDB file with the 20,000 synthetic sample records imported and enriched."""
    path = tmp_path_factory.mktemp("sample-store") / "sample.duckdb"
    with Store(str(path)) as store:  # closed, so the file is whole before it is copied
        import_file(SAMPLE_FILE, store)
    return path


@pytest.fixture
def sample_db(sample_store_file, tmp_path, monkeypatch) -> Path:
    """A private copy of the sample store, set as SEIZURES_DB for the code under test."""
    path = tmp_path / "store.duckdb"
    shutil.copy(sample_store_file, path)
    monkeypatch.setenv("SEIZURES_DB", str(path))
    return path


PG_ENV = "SEIZURES_TEST_PG"
_PG_HOWTO = (
    f"the PostgreSQL cases need a server: set {PG_ENV}=postgresql+psycopg://USER@/DB?host=DIR"
    "&port=PORT (a database on a server where USER may create databases; .ci/run starts a "
    "throwaway cluster as described in PLATFORM.md)"
)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[sa.Engine]:
    """An autocommit engine on the $SEIZURES_TEST_PG server: skips without it, fails in CI."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"CI is set but {PG_ENV} is not: {_PG_HOWTO}")
        pytest.skip(_PG_HOWTO)
    engine = sa.create_engine(
        sa.engine.make_url(url).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    try:
        with engine.connect():
            pass
    except sa.exc.SQLAlchemyError as error:
        pytest.fail(f"{PG_ENV} is set but its server does not answer: {error}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (random name), dropped after the test."""
    name = f"seizures_test_{uuid.uuid4().hex[:12]}"
    with postgres_server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with postgres_server.connect() as connection:
            # FORCE: the stores a test opened may still hold pooled connections
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_url(request, tmp_path) -> str:
    """A fresh, empty store location on each engine: run the test once per engine.

    ``duckdb``: a path to a DuckDB file (not created yet) in the test's temporary directory.
    ``postgresql``: a ``postgresql+psycopg://`` URL of a new database created for this test
    on the ``$SEIZURES_TEST_PG`` server and dropped after it (see ``postgres_url``); skipped
    with a message without that variable, failed when ``CI`` is set.

    Pass it to ``Store(...)``, ``--db`` or ``SEIZURES_DB``; ``request.node.callspec.id``, or
    ``engine_url.startswith("postgresql")``, tells the engine.  Select one engine with
    ``-m postgres`` or ``-m "not postgres"``.
    """
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def real_hasher():
    """Asked for by a test that needs argon2-cffi's default parameters (the stored hash's)."""


@pytest.fixture(autouse=True)
def cheap_password_hashes(request, monkeypatch):
    """Argon2id at its cheapest parameters: a default hash costs half a second here.

    A test that asks for ``real_hasher`` keeps the defaults.  Verifying reads the
    parameters from the stored hash, so either kind signs in.
    """
    if "real_hasher" in request.fixturenames:
        return
    from argon2 import PasswordHasher

    import geo.store.users

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # still Argon2id
    monkeypatch.setattr(geo.store.users, "_HASHER", cheap)
    monkeypatch.setattr(geo.store.users, "_DECOY", cheap.hash("not a password of anyone's"))
