"""The `seizures` command on a store with users: signing in, roles, scopes and the audit log.

Once a store has a user, every command that reads or writes records says who runs it
(``--user`` or ``$SEIZURES_USER``) and gives their password on standard input
(``--password-stdin``).  A refusal is one sentence on stderr and exit code 2; a password is
never printed and never reaches the audit log; a user sees and exports only what their
country's scope allows, and does only what their role allows.
"""

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo import cli
from geo.cli import main
from geo.store.store import Store
from geo.store.tables import audit, batches, seizures, users
from geo.store.users import add_user

ADMIN = "admin-correct-horse-1"
CHEN = "cn-analyst-battery-2"
LAO = "la-analyst-staple-3"
VONG = "la-viewer-paperclip-4"
WRONG = "definitely-not-it-99"
PASSWORDS = {"ada": ADMIN, "chen": CHEN, "lao": LAO, "vong": VONG}

HEADER = "record_id,seizure_date,seizing_country,location_name,taxon,quantity,unit\n"
CN_ROWS = (
    "CN-R-1,2024-03-01,CN,Mohan,Manis javanica,12,kg\n"
    "CN-R-2,2024-04-11,CN,Mengla,Panthera tigris,1,individuals\n"
)
LA_ROWS = "LA-R-1,2024-05-02,LA,Vientiane,Manis javanica,4,kg\n"


@pytest.fixture(autouse=True)
def _no_user_in_the_environment(monkeypatch):
    monkeypatch.delenv("SEIZURES_USER", raising=False)


@dataclass
class Run:
    code: int
    out: str
    err: str

    def sentence(self) -> str:
        """The one line on stderr of a refusal (exit 2, one sentence, no traceback)."""
        lines = self.err.strip().splitlines()
        assert self.code == 2, (self.code, self.out, self.err)
        assert len(lines) == 1, lines
        assert lines[0].startswith("seizures: ") and "Traceback" not in lines[0]
        return lines[0]

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def run(monkeypatch, capsys):
    """Run `seizures WORDS MORE...` (WORDS split at spaces) with ``stdin`` as standard input."""

    def seizures(words: str, *more: str, stdin: str = "") -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main([*words.split(), *more])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return seizures


@pytest.fixture
def as_user(run):
    """Run a command signed in as one of the users, their password on standard input."""

    def signed(name: str, words: str, *more: str, password: str | None = None) -> Run:
        password = PASSWORDS[name] if password is None else password
        return run(words, *more, "--user", name, "--password-stdin", stdin=password + "\n")

    return signed


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "atlas.duckdb")  # not engine_url's store.duckdb


def _add_admin(run, location: str) -> None:
    added = run(
        "users add ada --role admin --country TH --password-stdin --db", location, stdin=ADMIN
    )
    assert added.code == 0, added.err


def _add(run, location: str, name: str, role: str, country: str) -> None:
    added = run(
        f"users add {name} --role {role} --country {country} --user ada --password-stdin --db",
        location,
        stdin=f"{ADMIN}\n{PASSWORDS.get(name, name + '-password')}\n",
    )
    assert added.code == 0, added.err


def _write(path: Path, rows: str) -> str:
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


def _raw(location: str, table: sa.Table) -> list[sa.Row]:
    """Return every row of a table, past any scope (what a database administrator sees)."""
    store = Store(location)
    try:
        with store.engine.connect() as connection:
            return list(connection.execute(sa.select(table)))
    finally:
        store.close()


def _exported_ids(path: Path) -> set[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["record_id"] for row in csv.DictReader(handle)}


@pytest.fixture
def agencies(run, as_user, tmp_path):
    """Make a store with an admin, a CN and an LA analyst and an LA viewer, and records.

    The CN analyst imported two restricted records, the LA analyst one (restricted by
    default): the Chinese records are not shared with Lao users.
    """

    def make(location: str) -> str:
        _add_admin(run, location)
        _add(run, location, "chen", "analyst", "CN")
        _add(run, location, "lao", "analyst", "LA")
        _add(run, location, "vong", "viewer", "LA")
        cn = _write(tmp_path / "cn.csv", CN_ROWS)
        done = as_user("chen", "import --sensitivity restricted --json", cn, "--db", location)
        assert done.code == 0, done.err
        assert done.json_lines()[0]["accepted"] == 2
        done = as_user(
            "lao", "import --json", _write(tmp_path / "la.csv", LA_ROWS), "--db", location
        )
        assert done.code == 0, done.err
        assert done.json_lines()[0]["accepted"] == 1
        return location

    return make


def test_the_command_offers_the_store_s_roles():
    import geo.cli
    from geo.store.access import ROLES

    assert geo.cli.ROLES == ROLES


# --- the first user, and signing in -------------------------------------------------------


def test_the_first_user_must_be_an_admin_and_is_stored_as_an_argon2id_hash(run, db):
    first = run(
        "users add vera --role viewer --country LA --password-stdin --db",
        db,
        stdin="viewer-password-1\n",
    )
    assert "first user must be an admin" in first.sentence()
    assert "viewer-password-1" not in first.out + first.err
    assert _raw(db, users) == []

    added = run("users add ada --role admin --country TH --password-stdin --db", db, stdin=ADMIN)
    assert added.code == 0 and "added ada" in added.out
    assert ADMIN not in added.out + added.err
    ((name, role, country, _scope, hashed, *_),) = _raw(db, users)
    assert (name, role, country) == ("ada", "admin", "TH")
    assert hashed.startswith("$argon2id$") and ADMIN not in hashed


def test_a_short_password_is_refused_in_one_sentence(run, db):
    short = run("users add ada --role admin --country TH --password-stdin --db", db, stdin="short")
    assert "at least 10 characters" in short.sentence()
    assert _raw(db, users) == []


def test_once_users_exist_a_command_without_user_is_refused(run, db):
    _add_admin(run, db)
    refused = run("stats --db", db)
    sentence = refused.sentence()
    assert "--user" in sentence and "--password-stdin" in sentence
    assert refused.out == ""

    as_json = run("stats --json --db", db)
    as_json.sentence()
    (answer,) = as_json.json_lines()
    assert "--user" in answer["error"]


def test_a_user_without_a_password_on_stdin_is_refused(run, db):
    _add_admin(run, db)
    assert "--password-stdin" in run("stats --user ada --db", db).sentence()
    empty = run("stats --user ada --password-stdin --db", db, stdin="")
    assert "standard input ended" in empty.sentence()


@pytest.mark.parametrize(
    ("name", "says", "reason"),
    [
        ("ada", "wrong password for 'ada'", "wrong_password"),
        ("nemo", "there is no user 'nemo'", "unknown_user"),
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_a_refused_sign_in_is_one_sentence_and_never_shows_the_password(
    run, db, name, says, reason
):
    _add_admin(run, db)
    for extra in ("", " --json"):
        refused = run(f"stats{extra} --user {name} --password-stdin --db", db, stdin=WRONG)
        assert says in refused.sentence()
        assert WRONG not in refused.out + refused.err
        if extra:  # one JSON object: the error, no statistics
            assert [set(answer) for answer in refused.json_lines()] == [{"error"}]
        else:
            assert refused.out == ""
    events = _raw(db, audit)
    assert WRONG not in repr(events) and ADMIN not in repr(events)
    failed = [event for event in events if event.action == "login_failed"]
    assert len(failed) == 2 and {event.actor for event in failed} == {name}
    assert all(json.loads(event.detail)["reason"] == reason for event in failed)


def test_the_password_is_the_line_without_its_line_ending(run, db):
    spaced = "  spaces count too  "
    added = run(
        "users add ada --role admin --country TH --password-stdin --db", db, stdin=spaced + "\r\n"
    )
    assert added.code == 0, added.err
    assert run("stats --user ada --password-stdin --db", db, stdin=spaced + "\n").code == 0
    trimmed = run("stats --user ada --password-stdin --db", db, stdin=spaced.strip())
    assert "wrong password" in trimmed.sentence()


def test_on_a_terminal_the_password_is_asked_for_unseen(run, db, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return ADMIN

    _add_admin(run, db)
    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr(sys, "stdin", Terminal("typed where it would show\n"))
    assert main(["stats", "--db", db, "--user", "ada"]) == 0
    assert asked == ["password of ada: "]


def test_seizures_user_works_like_user(run, db, monkeypatch):
    _add_admin(run, db)
    monkeypatch.setenv("SEIZURES_USER", "ada")
    assert run("stats --password-stdin --db", db, stdin=ADMIN).code == 0
    refused = run("stats --password-stdin --db", db, stdin=WRONG)
    assert "wrong password for 'ada'" in refused.sentence()
    other = run("stats --user nemo --password-stdin --db", db, stdin=ADMIN)  # --user wins
    assert "no user 'nemo'" in other.sentence()


def test_a_store_without_users_refuses_user_and_ignores_seizures_user(run, db, monkeypatch):
    refused = run("stats --user ada --password-stdin --db", db, stdin=ADMIN)
    assert "no users yet" in refused.sentence() and "seizures users add" in refused.sentence()
    monkeypatch.setenv("SEIZURES_USER", "ada")  # a standing setting: single-user mode still
    assert run("stats --db", db).code == 0


# --- roles and scopes ---------------------------------------------------------------------


def test_each_user_exports_only_what_their_role_and_country_allow(
    as_user, agencies, engine_url, tmp_path
):
    location = agencies(engine_url)

    viewer = as_user("vong", "export --db", location, "--out", str(tmp_path / "vong.csv"))
    sentence = viewer.sentence()
    assert "vong (viewer) may not export records" in sentence and "analyst" in sentence
    assert not (tmp_path / "vong.csv").exists()

    lao = as_user("lao", "export --db", location, "--out", str(tmp_path / "lao.csv"))
    assert lao.code == 0, lao.err
    assert _exported_ids(tmp_path / "lao.csv") == {"LA-R-1"}

    chen = as_user("chen", "export --db", location, "--out", str(tmp_path / "chen.csv"))
    assert chen.code == 0, chen.err
    assert _exported_ids(tmp_path / "chen.csv") == {"CN-R-1", "CN-R-2"}

    stats = as_user("vong", "stats --json --db", location)  # a viewer reads what LA sees
    assert stats.code == 0 and json.loads(stats.out)["records"] == 1


def test_a_viewer_may_not_import_and_an_analyst_may_not_enrich(as_user, agencies, db, tmp_path):
    agencies(db)
    more = _write(tmp_path / "more.csv", LA_ROWS.replace("R-1", "R-9"))
    assert (
        "vong (viewer) may not import files"
        in as_user("vong", "import", more, "--db", db).sentence()
    )
    assert "admin" in as_user("lao", "enrich --db", db).sentence()
    admin = as_user("ada", "enrich --db", db)
    assert admin.code == 0, admin.err


def test_an_analyst_may_undo_only_their_own_batch_an_admin_any(run, as_user, db, tmp_path):
    _add_admin(run, db)
    _add(run, db, "lao", "analyst", "LA")
    _add(run, db, "somsak", "analyst", "LA")
    done = as_user("lao", "import --json", _write(tmp_path / "la.csv", LA_ROWS), "--db", db)
    batch = done.json_lines()[0]["batch_id"]

    other = as_user("somsak", "undo", batch, "--db", db, password="somsak-password")
    assert "may undo only their own imports" in other.sentence()
    assert len(_raw(db, seizures)) == 1

    admin = as_user("ada", "undo", batch, "--db", db)
    assert admin.code == 0 and f"removed batch {batch}" in admin.out
    assert _raw(db, seizures) == []


# --- the audit log and the user list ------------------------------------------------------


def test_audit_json_says_who_did_what_and_to_how_many_records(as_user, agencies, db, tmp_path):
    agencies(db)
    as_user("lao", "stats --db", db, password=WRONG)
    as_user("lao", "export --db", db, "--out", str(tmp_path / "lao.csv"))

    shown = as_user("ada", "audit --json --limit 0 --db", db)
    assert shown.code == 0, shown.err
    events = shown.json_lines()
    assert set(events[0]) == {"occurred_at", "actor", "action", "records", "detail"}
    times = [event["occurred_at"] for event in events]
    assert times == sorted(times, reverse=True)
    by_action: dict[str, list[dict]] = {}
    for event in events:
        by_action.setdefault(event["action"], []).append(event)
    assert {"login", "login_failed", "import", "export", "user_add"} <= set(by_action)
    assert {event["actor"] for event in by_action["login_failed"]} == {"lao"}
    assert {event["actor"] for event in by_action["login"]} >= {"ada", "chen", "lao"}
    imports = sorted((event["actor"], event["records"]) for event in by_action["import"])
    assert imports == [("chen", 2), ("lao", 1)]
    assert [(e["actor"], e["records"]) for e in by_action["export"]] == [("lao", 1)]
    added = sorted(event["detail"]["user"] for event in by_action["user_add"])
    assert added == ["ada", "chen", "lao", "vong"]
    for password in (*PASSWORDS.values(), WRONG):
        assert password not in shown.out
        assert password not in repr(_raw(db, audit))

    only = as_user("ada", "audit --json --action import --db", db)
    assert {event["action"] for event in only.json_lines()} == {"import"}
    assert len(as_user("ada", "audit --json --limit 2 --db", db).json_lines()) == 2
    text = as_user("ada", "audit --db", db)
    assert text.code == 0 and " lao export 1 record " in text.out


def test_only_an_admin_reads_the_audit_log(run, as_user, db):
    _add_admin(run, db)
    _add(run, db, "vong", "viewer", "LA")
    refused = as_user("vong", "audit --json --db", db)
    assert "vong (viewer) may not read the audit log" in refused.sentence()
    assert [set(answer) for answer in refused.json_lines()] == [{"error"}]


def test_users_list_never_shows_a_hash(run, as_user, db):
    _add_admin(run, db)
    _add(run, db, "vong", "viewer", "LA")
    oidc = as_user(
        "ada", "users add mai@example.org --role analyst --country VN --scope la,kh --oidc --db", db
    )
    assert oidc.code == 0 and "identity provider" in oidc.out

    for extra in ("", " --json"):
        listed = as_user("ada", f"users list{extra} --db", db)
        assert listed.code == 0, listed.err
        assert "$argon2" not in listed.out and "hash" not in listed.out
        assert ADMIN not in listed.out and VONG not in listed.out
    rows = {row["name"]: row for row in listed.json_lines()}
    assert set(rows) == {"ada", "vong", "mai@example.org"}
    assert rows["mai@example.org"]["sign_in"] == "oidc"
    assert rows["mai@example.org"]["scope"] == ["KH", "LA", "VN"]
    assert rows["vong"]["sign_in"] == "password" and rows["vong"]["role"] == "viewer"

    assert "may not list users" in as_user("vong", "users list --db", db).sentence()
    no_password = run("stats --user mai@example.org --password-stdin --db", db, stdin=WRONG)
    assert "OIDC" in no_password.sentence()


def test_passwords_are_set_by_their_user_or_an_admin(run, as_user, db):
    _add_admin(run, db)
    _add(run, db, "vong", "viewer", "LA")
    new, stolen, reset = "vong-new-password-6", "stolen-password-77", "reset-by-admin-88"
    own = run(
        "users set-password vong --user vong --password-stdin --db", db, stdin=f"{VONG}\n{new}\n"
    )
    assert own.code == 0, own.err
    assert new not in own.out + own.err
    assert "wrong password" in as_user("vong", "stats --db", db).sentence()

    others = run(
        "users set-password ada --user vong --password-stdin --db", db, stdin=f"{new}\n{stolen}\n"
    )
    assert "may not set other users' passwords" in others.sentence()

    admin = run(
        "users set-password vong --user ada --password-stdin --db", db, stdin=f"{ADMIN}\n{reset}\n"
    )
    assert admin.code == 0, admin.err
    assert as_user("vong", "stats --db", db, password=reset).code == 0
    removed = as_user("ada", "users remove vong --db", db)
    assert removed.code == 0, removed.err
    assert [row.name for row in _raw(db, users)] == ["ada"]
    for password in (new, stolen, reset):
        assert password not in repr(_raw(db, audit))


# --- migrate ------------------------------------------------------------------------------


def test_migrate_copies_users_with_their_hashes_for_an_admin_only(
    run, as_user, agencies, db, engine_url
):
    agencies(db)
    assert "--user" in run("migrate --from", db, "--to", engine_url).sentence()
    analyst = as_user("lao", "migrate --from", db, "--to", engine_url)
    assert "lao (analyst) may not" in analyst.sentence()

    moved = as_user("ada", "migrate --json --from", db, "--to", engine_url)
    assert moved.code == 0, moved.err
    tables = json.loads(moved.out)["tables"]
    assert tables["users"] == 4 and tables["seizures"] == 3
    assert sorted(_raw(engine_url, users)) == sorted(_raw(db, users))
    assert sorted(row.owner_country for row in _raw(engine_url, batches)) == ["CN", "LA"]
    assert "migrate" in [event.action for event in _raw(db, audit)]

    # the copy is the same store: the same people sign in, and see the same records
    lao = as_user("lao", "stats --json --db", engine_url)
    assert lao.code == 0 and json.loads(lao.out)["records"] == 1


def test_the_dashboard_refuses_a_network_address_while_the_store_has_no_users(
    tmp_path, capsys, monkeypatch
):
    """`seizures dashboard --address 0.0.0.0` on a store without users never starts a server."""
    started = []
    monkeypatch.setattr(cli, "_start_dashboard", lambda *a, **k: started.append(a) or 0)
    db = str(tmp_path / "store.duckdb")
    assert cli.main(["dashboard", "--db", db, "--address", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "has no users, so the dashboard serves only this computer" in err
    assert "will not listen on 0.0.0.0" in err
    assert started == []
    # on this computer it starts, bound to the loopback address
    assert cli.main(["dashboard", "--db", db]) == 0
    command = started[0][0]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"


def test_the_dashboard_may_listen_on_the_network_once_the_store_has_users(
    tmp_path, capsys, monkeypatch
):
    started = []
    monkeypatch.setattr(cli, "_start_dashboard", lambda *a, **k: started.append(a) or 0)
    db = str(tmp_path / "store.duckdb")
    with Store(db) as store:
        add_user(store, "ana", "admin", "CN", password="admin-password-1")
    assert cli.main(["dashboard", "--db", db, "--address", "0.0.0.0", "--port", "8600"]) == 0
    command, env = started[0][0], started[0][1]
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[command.index("--server.port") + 1] == "8600"
    assert env["SEIZURES_DB"] == db
