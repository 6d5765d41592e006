"""Users of a store: signing in, roles, who owns what is imported, and who sees what.

Every test taking ``engine_url`` runs once per engine (see ``tests/conftest.py``).  Hashing
with argon2-cffi's defaults (64 MiB, 3 passes) costs most of a second here, so every test but
the one about the stored hash uses a cheap Argon2id instead (``cheap_hashes``).
"""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

import geo.ingest.importer
import geo.store.users
from geo.ingest.importer import import_file
from geo.store import aggregates
from geo.store.access import AccessDenied, Principal
from geo.store.store import Store, StoreError
from geo.store.tables import audit, users
from geo.store.users import (
    FAILURE_WINDOW,
    SignInRefused,
    add_user,
    authenticate,
    list_users,
    principal_of,
    read_audit,
    recent_failures,
    remove_user,
    set_password,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
ETIS = DATA / "etis_export.csv"  # 10 rows: 9 accepted, 1 quarantined; no sensitivity, no owner
ROUTES = DATA / "routes_air.csv"  # 11 rows, all accepted

PASSWORDS = {
    "ada": "ada-correct-horse-17",
    "lan": "lan-battery-staple-23",
    "lao": "lao-purple-monkey-31",
    "chen": "chen-green-teapot-42",
    "vic": "vic-silver-spoon-58",
    "lee": "lee-paper-lantern-64",
}
# (role, home country, other countries in scope)
PEOPLE = {
    "ada": ("admin", "LA", ()),
    "lan": ("analyst", "LA", ()),
    "lao": ("analyst", "LA", ()),
    "chen": ("analyst", "CN", ()),
    "vic": ("viewer", "LA", ()),
    "lee": ("viewer", "LA", ("CN",)),
}
WRONG = "not-the-password-99"


@pytest.fixture
def store(engine_url):
    """A new store, opened before it had users: its opener may do everything."""
    opened = Store(engine_url)
    yield opened
    opened.close()


def _add_people(store: Store, *names: str) -> None:
    for name in names or PEOPLE:
        role, country, scope = PEOPLE[name]
        add_user(store, name, role, country, scope, password=PASSWORDS[name])


def _as(store: Store, name: str) -> Store:
    """The store as the user ``name`` reads and writes it."""
    who = principal_of(store, name)
    assert who is not None
    return store.scoped(who)


def _table(store: Store, table: sa.Table) -> pd.DataFrame:
    """Every row of a table, straight from the database (no scope, no method of the store)."""
    with store.engine.connect() as connection:
        result = connection.execute(sa.select(table))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _cells(frame: pd.DataFrame) -> list[str]:
    return [str(value) for value in frame.to_numpy().ravel() if value is not None]


# --- signing in ---------------------------------------------------------------------------


def test_a_wrong_password_or_an_unknown_name_is_refused(store):
    _add_people(store, "ada", "lan")
    with pytest.raises(SignInRefused) as refused:
        authenticate(store, "lan", WRONG)
    assert refused.value.reason == "wrong_password"
    with pytest.raises(SignInRefused) as refused:
        authenticate(store, "nemo", PASSWORDS["lan"])
    assert refused.value.reason == "unknown_user"
    with pytest.raises(SignInRefused):
        authenticate(store, "lan", "")
    who = authenticate(store, "lan", PASSWORDS["lan"])
    assert (who.name, who.role, who.country, who.scope) == ("lan", "analyst", "LA", ("LA",))


def test_only_an_argon2id_hash_is_stored_and_no_password_reaches_the_audit_log(store, real_hasher):
    _add_people(store, "ada", "lan")
    new_password = "lan-new-password-77"
    set_password(store, "lan", new_password)
    for password in (WRONG, new_password):
        try:
            authenticate(store, "lan", password)
        except SignInRefused:
            pass
    stored = _table(store, users).set_index("name")
    hasher = PasswordHasher()
    for name, password in (("ada", PASSWORDS["ada"]), ("lan", new_password)):
        hashed = stored.loc[name, "password_hash"]
        assert hashed.startswith("$argon2id$")
        assert hasher.verify(hashed, password)
        assert not hasher.check_needs_rehash(hashed)  # argon2-cffi's default parameters
    secrets = [*PASSWORDS.values(), WRONG, new_password]
    others = stored.drop(columns="password_hash").reset_index()
    logged = _table(store, audit)
    for cell in _cells(others) + _cells(logged):
        assert not any(secret in cell for secret in secrets), cell
    assert not logged["detail"].str.contains("argon2").any()  # nor a hash


def _waits(store: Store, name: str, attempts: int) -> list[float]:
    """Sign in with a wrong password ``attempts`` times; return how long each one waited."""
    waited = []
    for _ in range(attempts):
        slept: list[float] = []
        with pytest.raises(SignInRefused):
            authenticate(store, name, WRONG, sleep=slept.append)
        waited.append(sum(slept))
    return waited


def test_five_failed_sign_ins_slow_the_next_ones_for_known_and_unknown_names(store):
    _add_people(store, "ada", "lan")
    known = _waits(store, "lan", 7)
    assert known[:5] == [0] * 5
    assert known[5] >= 1 and known[6] > known[5]
    # an unknown name waits the same: the wait does not tell who is a user
    assert _waits(store, "nemo", 7) == known
    # the right password still waits first (it is not checked before), then clears the count
    slept: list[float] = []
    authenticate(store, "lan", PASSWORDS["lan"], sleep=slept.append)
    assert sum(slept) > known[6]
    assert recent_failures(store, "lan") == 0
    assert _waits(store, "lan", 1) == [0]
    # failures older than the window no longer count
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + FAILURE_WINDOW + dt.timedelta(1)
    assert recent_failures(store, "nemo") == 7
    assert recent_failures(store, "nemo", now=later) == 0


# --- managing users -----------------------------------------------------------------------


def test_the_first_user_must_be_an_admin(store):
    with pytest.raises(ValueError, match="first user must be an admin"):
        add_user(store, "lan", "analyst", "LA", password=PASSWORDS["lan"])
    assert not store.has_users()
    add_user(store, "ada", "admin", "LA", password=PASSWORDS["ada"])
    assert store.has_users()
    # the store opened again now reads as no one until someone signs in
    again = Store(store.location)
    assert again.principal == Principal.nobody()
    assert again.has_users()  # on PostgreSQL, not through the reader role (no users table)
    again.close()


def test_only_admins_manage_users(store):
    _add_people(store, "ada", "lan", "vic")
    for name in ("lan", "vic"):
        them = _as(store, name)
        with pytest.raises(AccessDenied, match="admin"):
            add_user(them, "eve", "admin", "LA", password=PASSWORDS["lan"])
        with pytest.raises(AccessDenied):
            remove_user(them, "ada")
        with pytest.raises(AccessDenied):
            set_password(them, "ada", "take-over-the-admin-1")
        with pytest.raises(AccessDenied):
            list_users(them)
        with pytest.raises(AccessDenied):
            read_audit(them)
    nobody = Store(store.location)  # with users, opened without signing in
    with pytest.raises(AccessDenied):
        add_user(nobody, "eve", "admin", "LA", password=PASSWORDS["lan"])
    nobody.close()
    admin = _as(store, "ada")
    add_user(admin, "lao", "analyst", "LA", password=PASSWORDS["lao"])
    set_password(admin, "lao", "lao-set-by-admin-8")
    authenticate(store, "lao", "lao-set-by-admin-8")
    remove_user(admin, "lao")
    assert principal_of(store, "lao") is None
    assert sorted(list_users(admin)["name"]) == ["ada", "lan", "vic"]
    with pytest.raises(StoreError, match="already a user"):
        add_user(admin, "lan", "viewer", "LA")


def test_a_user_may_set_their_own_password(store):
    _add_people(store, "ada", "vic")
    vic = _as(store, "vic")
    set_password(vic, "vic", "vic-own-new-password-5")
    authenticate(store, "vic", "vic-own-new-password-5")
    with pytest.raises(SignInRefused):
        authenticate(store, "vic", PASSWORDS["vic"])
    with pytest.raises(ValueError, match="at least"):
        set_password(vic, "vic", "short")


def test_the_last_admin_cannot_be_removed_while_others_remain(store):
    _add_people(store, "ada", "lan")
    admin = _as(store, "ada")
    with pytest.raises(StoreError, match="last admin"):
        remove_user(admin, "ada")
    add_user(admin, "bea", "admin", "LA", password="bea-second-admin-1")
    remove_user(admin, "ada")
    bea = _as(store, "bea")
    remove_user(bea, "lan")
    remove_user(bea, "bea")  # alone: the store goes back to having no users
    assert not store.has_users()


def test_the_user_list_never_holds_a_hash(store):
    _add_people(store)
    listed = list_users(_as(store, "ada"))
    assert sorted(listed["name"]) == sorted(PEOPLE)
    assert "password_hash" not in listed.columns
    assert listed["has_password"].all()
    assert not any("argon2" in cell for cell in _cells(listed))


# --- roles --------------------------------------------------------------------------------


def test_a_viewer_cannot_import_and_the_file_is_not_even_read(store, monkeypatch):
    _add_people(store, "ada", "vic", "lan")
    opened: list = []
    reading = geo.ingest.importer.open_table
    monkeypatch.setattr(
        geo.ingest.importer, "open_table", lambda *a, **k: opened.append(a) or reading(*a, **k)
    )
    monkeypatch.setattr(
        geo.ingest.importer,
        "file_sha256",
        lambda path: pytest.fail("a viewer's import read the file"),
    )
    vic = _as(store, "vic")
    with pytest.raises(AccessDenied, match="vic \\(viewer\\) may not import"):
        import_file(DATA / "no such file.csv", vic)
    with pytest.raises(AccessDenied):
        import_file(ETIS, vic)
    with pytest.raises(AccessDenied), vic.add_batch():
        pass
    assert opened == [] and store.batches().empty
    monkeypatch.undo()
    assert import_file(ETIS, _as(store, "lan")).accepted == 9


def test_an_analyst_undoes_their_own_imports_and_an_admin_any(store):
    _add_people(store, "ada", "lan", "lao", "chen")
    lan, lao, chen = _as(store, "lan"), _as(store, "lao"), _as(store, "chen")
    mine = import_file(ROUTES, lan).batch_id
    theirs = import_file(ETIS, lao).batch_id
    with pytest.raises(AccessDenied, match="only their own imports"):
        lan.undo_batch(theirs)
    # another country's batch is not even there for an analyst who cannot see it
    chinese = import_file(DATA / "fr_douane_semicolon.csv", chen).batch_id
    with pytest.raises(StoreError, match="no import batch"):
        lan.undo_batch(chinese)
    assert lan.undo_batch(mine)["records_removed"] == 11
    with pytest.raises(AccessDenied, match="undo"):
        store.scoped(Principal("vic", "viewer", "LA", ())).undo_batch(theirs)
    admin = _as(store, "ada")
    assert admin.undo_batch(theirs)["records_removed"] == 9
    assert admin.undo_batch(chinese)["records_removed"] == 11
    assert store.count() == 0 and store.batches().empty


# --- who owns an import -------------------------------------------------------------------


def _with_ownership_columns(tmp_path: Path) -> Path:
    """etis_export.csv with sensitivity and owner columns: two rows say, the others don't."""
    lines = ETIS.read_text(encoding="utf-8-sig").splitlines()
    stated = {1: ",public,TH", 2: ",restricted,VN"}
    rows = [lines[0] + ",sensitivity,owner_country"]
    rows += [line + stated.get(number, ",,") for number, line in enumerate(lines) if number]
    path = tmp_path / "etis_with_owners.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _ownership(store: Store) -> pd.DataFrame:
    frame = store.select(
        columns=["source_row", "seizing_country", "sensitivity", "owner_country"],
        order_by_date=False,
    )
    return frame.astype(object).set_index("source_row").sort_index()


def test_an_analysts_import_is_restricted_and_owned_by_their_country(store):
    _add_people(store, "ada", "lan")
    report = import_file(ETIS, _as(store, "lan"))
    owned = _ownership(store)
    assert len(owned) == report.accepted == 9
    assert set(owned["sensitivity"]) == {"restricted"}
    assert set(owned["owner_country"]) == {"LA"}
    batch = store.batches().iloc[0]
    assert (batch["imported_by"], batch["owner_country"]) == ("lan", "LA")


def test_a_files_own_sensitivity_and_owner_win(store, tmp_path):
    _add_people(store, "ada", "lan")
    import_file(_with_ownership_columns(tmp_path), _as(store, "lan"))
    owned = _ownership(store)
    assert tuple(owned.loc[2, ["sensitivity", "owner_country"]]) == ("public", "TH")
    assert tuple(owned.loc[3, ["sensitivity", "owner_country"]]) == ("restricted", "VN")
    rest = owned.drop(index=[2, 3])
    assert len(rest) == 7
    assert set(rest["sensitivity"]) == {"restricted"} and set(rest["owner_country"]) == {"LA"}


def test_an_import_asked_to_be_public_is_public(store):
    _add_people(store, "ada", "lan")
    import_file(ETIS, _as(store, "lan"), sensitivity="public")
    owned = _ownership(store)
    assert set(owned["sensitivity"]) == {"public"} and set(owned["owner_country"]) == {"LA"}
    with pytest.raises(ValueError, match="sensitivity"):
        import_file(ROUTES, _as(store, "lan"), sensitivity="secret")


def test_without_users_an_import_is_public_and_owned_by_the_seizing_country(store):
    import_file(ETIS, store)
    owned = _ownership(store)
    assert set(owned["sensitivity"]) == {"public"}
    assert owned["owner_country"].tolist() == owned["seizing_country"].tolist()
    assert store.batches().iloc[0]["owner_country"] is None


# --- who sees what ------------------------------------------------------------------------


@pytest.fixture
def shared(store):
    """11 public records imported before there were users; 9 restricted ones of China's.

    China's batch also holds one quarantined row.
    """
    assert import_file(ROUTES, store).accepted == 11
    _add_people(store)
    chinese = import_file(ETIS, _as(store, "chen"))
    assert (chinese.accepted, chinese.quarantined) == (9, 1)
    return store


def _figures(reader: Store) -> dict:
    stats = reader.stats()
    return {
        "count": reader.count(),
        "aggregate": aggregates.count(reader, None),
        "grouped": int(aggregates.grouped(reader, None, ["owner_country"])["weight"].sum()),
        "select": len(reader.select(columns=["record_id"])),
        "records": len(reader.records()),
        "exported": sum(len(part) for part in reader.iter_records(chunk_rows=4)),
        "stats": stats["records"],
        "by_batch": sum(stats["by_batch"].values()),
        "quarantined": len(reader.quarantined()),
        "stats_quarantined": stats["quarantined"],
        "batches": len(reader.batches()),
    }


def _seen(records: int, quarantined: int, batches: int) -> dict:
    return {
        **dict.fromkeys(
            ("count", "aggregate", "grouped", "select", "records", "exported", "stats"), records
        ),
        "by_batch": records,
        "quarantined": quarantined,
        "stats_quarantined": quarantined,
        "batches": batches,
    }


def test_another_countrys_restricted_records_are_invisible(shared):
    la_viewer, la_analyst = _as(shared, "vic"), _as(shared, "lan")
    assert _figures(la_viewer) == _seen(11, 0, 1)
    assert _figures(la_analyst) == _seen(11, 0, 1)
    shown = la_viewer.select(columns=["owner_country", "sensitivity"])
    assert not ((shown["owner_country"] == "CN") & (shown["sensitivity"] != "public")).any()
    assert _figures(_as(shared, "chen")) == _seen(20, 1, 2)
    assert _figures(_as(shared, "lee")) == _seen(20, 1, 2)  # LA, with CN in scope
    assert _figures(shared) == _seen(20, 1, 2)  # its opener, before there were users
    nobody = Store(shared.location)
    assert nobody.count() == 11 and nobody.quarantined().empty
    nobody.close()
    with pytest.raises(AccessDenied):
        la_viewer.run_sql("SELECT count(*) AS n FROM seizures")


def test_the_quarantined_rows_of_another_countrys_batch_are_not_shown(shared):
    chinese = _as(shared, "chen").batches()["batch_id"].iloc[0]
    la_analyst = _as(shared, "lan")
    assert la_analyst.quarantined().empty
    assert la_analyst.quarantined(batch_id=chinese).empty
    held = _as(shared, "chen").quarantined(batch_id=chinese)
    assert len(held) == 1 and held["raw"].iloc[0]


@pytest.mark.postgres
def test_postgresql_hides_the_rows_a_statement_forgot_to_scope(postgres_url):
    store = Store(postgres_url)
    try:
        import_file(ROUTES, store)
        _add_people(store)
        import_file(ETIS, _as(store, "chen"))
        raw = "SELECT count(*) FROM seizures"
        la_viewer = _as(store, "vic")
        with la_viewer._reading() as connection:
            assert connection.exec_driver_sql(raw).scalar() == 11
            assert connection.exec_driver_sql("SELECT current_user").scalar() == ("seizures_reader")
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                connection.exec_driver_sql("SELECT password_hash FROM users").all()
        # China's import batch and its quarantined row (the file's raw cells) stay hidden
        # from a statement that forgot the store's conditions on them too
        with la_viewer._reading() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM quarantine").scalar() == 0
            files = connection.exec_driver_sql("SELECT file_name FROM batches").scalars().all()
            assert files == [ROUTES.name]
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                connection.exec_driver_sql("SELECT detail FROM audit").all()
        with la_viewer._reading() as connection:
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                connection.exec_driver_sql("SELECT * FROM duplicates").all()
        with _as(store, "chen")._reading() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM quarantine").scalar() == 1
        with _as(store, "ada")._reading() as connection:  # an admin sees every batch
            assert connection.exec_driver_sql("SELECT count(*) FROM batches").scalar() == 2
        with _as(store, "lee")._reading() as connection:
            assert connection.exec_driver_sql(raw).scalar() == 20
        with store._reading() as connection:  # opened before there were users: everything
            assert connection.exec_driver_sql(raw).scalar() == 20
        with store.engine.connect() as connection:
            policies = connection.exec_driver_sql(
                "SELECT policyname, roles::text FROM pg_policies WHERE tablename = 'seizures'"
            ).all()
            assert [(name, "seizures_reader" in roles) for name, roles in policies] == [
                ("seizures_visible", True)
            ]
            assert connection.exec_driver_sql(
                "SELECT relrowsecurity FROM pg_class WHERE relname = 'seizures'"
            ).scalar()
        # the scope and the role end with the read: the pooled connection reads everything
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT current_user").scalar() != ("seizures_reader")
            assert connection.exec_driver_sql(raw).scalar() == 20
    finally:
        store.close()


# --- the audit log ------------------------------------------------------------------------


def test_the_audit_log_says_who_did_what_and_never_a_password(store):
    _add_people(store, "ada", "lan", "lao")
    admin = _as(store, "ada")
    authenticate(store, "lan", PASSWORDS["lan"])
    with pytest.raises(SignInRefused):
        authenticate(store, "lan", WRONG)
    with pytest.raises(SignInRefused):
        authenticate(store, "nemo", WRONG)
    report = import_file(ETIS, _as(store, "lan"))
    _as(store, "lan").undo_batch(report.batch_id)
    set_password(admin, "lao", "lao-changed-by-ada-3")
    remove_user(admin, "lao")
    log = read_audit(admin).iloc[::-1]  # oldest first
    events = [
        (row.actor, row.action, row.records, json.loads(row.detail)) for row in log.itertuples()
    ]
    acts = [(actor, action) for actor, action, _, _ in events]
    local = store.actor  # the opener of the store before there were users
    assert acts == [
        (local, "user_add"),
        (local, "user_add"),
        (local, "user_add"),
        ("lan", "login"),
        ("lan", "login_failed"),
        ("nemo", "login_failed"),
        ("lan", "import"),
        ("lan", "undo"),
        ("ada", "user_password"),
        ("ada", "user_remove"),
    ]
    by_act = {(actor, action): (records, detail) for actor, action, records, detail in events}
    assert by_act[("lan", "login_failed")][1]["reason"] == "wrong_password"
    assert by_act[("nemo", "login_failed")][1]["reason"] == "unknown_user"
    assert by_act[("lan", "import")][0] == 9
    assert by_act[("lan", "import")][1]["batch_id"] == report.batch_id
    assert by_act[("lan", "undo")][0] == 9
    assert by_act[("ada", "user_password")][1] == {"user": "lao"}
    assert by_act[("ada", "user_remove")][1] == {"user": "lao"}
    added = [detail for _, action, _, detail in events if action == "user_add"]
    assert [detail["user"] for detail in added] == ["ada", "lan", "lao"]
    assert added[1] == {"user": "lan", "role": "analyst", "country": "LA", "scope": ["LA"]}
    secrets = [*PASSWORDS.values(), WRONG, "lao-changed-by-ada-3"]
    for cell in _cells(_table(store, audit)):
        assert not any(secret in cell for secret in secrets), cell
    assert read_audit(admin, action="login_failed")["actor"].tolist() == ["nemo", "lan"]
