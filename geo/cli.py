"""The ``seizures`` command: import, validate, sample, export, stats, hotspots and more.

Bad input or a failed operation is told in one sentence on stderr, ``seizures: ...``, that
says what is wrong and where, with exit code 2; with ``--json`` stdout also gets one JSON
object with an ``error`` key.  Never a traceback: an unexpected error (a bug) is one sentence
too, and ``SEIZURES_DEBUG=1`` adds its traceback.

Signing in: a store without users belongs to whoever can open it (single-user mode).  Once
it has users, every command that reads or writes records (and ``users``, ``audit``) needs
``--user NAME`` (or ``$SEIZURES_USER``) and the password, read from standard input with
``--password-stdin`` (one line per password; asked for, unseen, on a terminal).  A refused
sign-in or an act the user's role does not allow is one sentence too, with exit code 2; a
password is never printed, logged or put in the audit log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

EXIT_OK = 0
EXIT_UNREADABLE = 2
EXIT_INTERRUPTED = 130

DEBUG_ENV = "SEIZURES_DEBUG"
USER_ENV = "SEIZURES_USER"
REPORT_TO = "the Wildlife Seizure Atlas maintainers"
AUDIT_LIMIT = 100
# geo.store.access.ROLES, least first (a test checks): importing it would load SQLAlchemy
# when the parser is built, and `seizures --help` would no longer be instant.
ROLES = ("viewer", "analyst", "admin")


class _Progress:
    """A one-line progress bar on a terminal: rows, rows per second, percentage if known."""

    def __init__(self, label: str, enabled: bool):
        self.label, self.enabled = label, enabled
        self.started = time.perf_counter()

    def __call__(self, rows: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        self.total = total
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rate = rows / elapsed
        if self.total:
            share = min(rows / self.total, 1.0)
            bar = "#" * int(share * 30)
            text = f"\r{self.label} [{bar:<30}] {share:4.0%} {rows:,} rows, {rate:,.0f} rows/s"
        else:
            text = f"\r{self.label} {rows:,} rows, {rate:,.0f} rows/s"
        sys.stderr.write(text)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _fail(message: str, as_json: bool = False, **fields: Any) -> int:
    """Say what failed in one line on stderr (and one JSON object on stdout); return 2."""
    sys.stderr.write(f"seizures: {message}\n")
    if as_json:
        print(json.dumps({**fields, "error": message}, ensure_ascii=False), flush=True)
    return EXIT_UNREADABLE


def _path_problem(name: str) -> str | None:
    """Why the path given as a file to read is not one, or None."""
    path = Path(name)
    if path.is_dir():
        return f"cannot read {name}: it is a folder, not a file."
    if not path.exists():
        return f"cannot read {name}: there is no such file."
    return None


def _describe(
    error: BaseException, doing: str, typed: Sequence[str], store=None, outcome: str = ""
) -> str:
    """One sentence for an error that reached the command line (traceback on request).

    ``doing`` says where (``importing x.csv``); ``typed`` are the paths the user typed, the
    only ones a sentence may show; ``outcome`` what it left (``nothing from x.csv was added``).
    """
    from geo.store.store import StoreError, database_error_line, is_database_error

    then = f"; {outcome}" if outcome else ""
    refused = _refusal(error)
    if refused is not None:  # before OSError: AccessDenied is a PermissionError
        return f"{refused.rstrip('.')}{then}."
    if isinstance(error, StoreError):
        return f"{doing} failed: {str(error).rstrip('.')}{then}."
    if isinstance(error, MemoryError):
        return f"ran out of memory {doing}{then}; close other programs or split the input."
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        where = f" ({error.filename})" if error.filename and str(error.filename) in typed else ""
        return f"{doing} failed: {reason}{where}{then}."
    if is_database_error(error):
        place = f"the store {_shown_store(store)}" if store is not None else "the store"
        return f"{place} failed {doing}: {database_error_line(error)}{then}."
    return (
        f"internal error {doing} ({type(error).__name__}){then}; please report it to "
        f"{REPORT_TO} with the command you ran ({DEBUG_ENV}=1 shows the details)."
    )


def _debug(error: BaseException) -> None:
    """Print the traceback of an error told in one sentence, when SEIZURES_DEBUG=1."""
    if os.environ.get(DEBUG_ENV) == "1":
        traceback.print_exception(error, file=sys.stderr)


def _shown_store(store) -> str:
    """Return the store as the user named it, without a password a URL may hold."""
    from urllib.parse import urlsplit

    location = store.location
    try:
        password = urlsplit(location).password if "://" in location else None
    except ValueError:
        password = None
    return location.replace(f":{password}@", ":***@", 1) if password else location


class _Passwords:
    """The passwords a command reads, in order: lines of standard input, or prompts.

    With ``--password-stdin`` each password is one line of standard input (its line ending,
    LF or CR LF, is not part of it): first the signing-in user's, then, for
    ``users add`` and ``users set-password``, the new one.  On a terminal each is asked for
    and not shown, with or without the option.  A password is never printed or logged.
    """

    def __init__(self, from_stdin: bool):
        self.from_stdin = from_stdin

    def read(self, whose: str, missing: str) -> str:
        """Return the next password; ``whose`` names it, ``missing`` is the refusal without it."""
        from geo.store.access import AccessDenied

        if _is_terminal(sys.stdin):
            import getpass

            try:
                return getpass.getpass(f"{whose}: ")
            except EOFError:
                raise AccessDenied(f"no {whose} was given.") from None
        if not self.from_stdin:
            raise AccessDenied(missing)
        line = sys.stdin.readline()
        if not line:
            raise AccessDenied(f"--password-stdin: standard input ended before the {whose}.")
        return line.removesuffix("\n").removesuffix("\r")


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _passwords(args: argparse.Namespace) -> _Passwords:
    """Return the command's password reader (one per command: lines are read in order)."""
    reader = getattr(args, "_passwords", None)
    if reader is None:
        reader = _Passwords(getattr(args, "password_stdin", False))
        args._passwords = reader
    return reader


def _named_user(args: argparse.Namespace) -> tuple[str | None, bool]:
    """Return who the command says it runs as, and whether ``--user`` said so (not the env)."""
    typed = getattr(args, "user", None)
    if typed is not None:
        return typed.strip(), True
    return (os.environ.get(USER_ENV) or "").strip() or None, False


def _sign_in(store, args: argparse.Namespace):
    """Return ``store`` as the command's user reads and writes it.

    Without users: the store itself (single-user mode); a ``--user`` is refused, since it
    would sign in as no one (``$SEIZURES_USER`` is a standing setting, and is ignored).
    With users: ``--user`` (or ``$SEIZURES_USER``) and their password are required.

    Raises
    ------
    geo.store.access.AccessDenied
        One sentence: no user named, no password given, or the sign-in refused (unknown
        user, wrong password).
    """
    from geo.store.access import AccessDenied
    from geo.store.users import authenticate

    name, typed = _named_user(args)
    if not store.has_users():
        if typed:
            raise AccessDenied(
                f"this store has no users yet, so --user {name} signs in as no one; leave "
                "--user out, or add the first user (an admin) with `seizures users add NAME "
                "--role admin --country CC --password-stdin`."
            )
        return store
    if not name:
        raise AccessDenied(
            f"this store has users: say who you are with --user NAME (or {USER_ENV}) and "
            "give your password with --password-stdin."
        )
    password = _passwords(args).read(
        f"password of {name}",
        f"give the password of {name} on standard input with --password-stdin.",
    )
    principal = authenticate(store, name, password, method="cli")
    return store.scoped(principal)


def _open(args: argparse.Namespace, location: str | None = None):
    """Open the command's store (``--db``, or ``location``) and sign its user in.

    Every command that reads or writes records opens its store here, so that one rule says
    who may: see :func:`_sign_in`.
    """
    from geo.store.store import open_store

    store = open_store(location or getattr(args, "db", None))
    try:
        return _sign_in(store, args)
    except BaseException:
        store.close()
        raise


def _refusal(error: BaseException) -> str | None:
    """Return the sentence of a refusal (a sign-in, or an act the role forbids), or None."""
    from geo.store.access import AccessDenied

    return str(error) if isinstance(error, AccessDenied) else None


def _batch_ids(store) -> set[str]:
    return set(store.batches()["batch_id"])


def _file_failure(error: Exception, name: str, store, write: bool, before: set[str] | None) -> str:
    """One sentence for an import or check of ``name`` that failed (nothing of it stored).

    A database error when another batch appeared in the store since this import began
    (``before``: the batches then) is the losing side of two imports of the same records at
    once: the other one committed first.
    """
    from geo.store.store import StoreBusy, is_database_error

    _debug(error)
    if isinstance(error, StoreBusy):
        verb, added = ("import", f"nothing from {name} was added; ") if write else ("check", "")
        return (
            f"another process (an import?) kept the store {_shown_store(store)} locked, so "
            f"{name} could not be {verb}ed; {added}run the {verb} again when it has finished."
        )
    if write and before is not None and is_database_error(error):
        try:
            race = _lost_race(name, store, before)
        except Exception:  # the store itself may be failing: say that, not this
            race = None
        if race:
            return race
    if write:
        added = f"nothing from {name} was added"
        return _describe(error, f"importing {name}", [name], store, added)
    return _describe(error, f"checking {name}", [name], store)


def _lost_race(name: str, store, before: set[str]) -> str | None:
    """Say which import added the same file or records first, if one did since ``before``."""
    from geo.ingest.importer import file_sha256

    batches = store.batches()
    new = batches[~batches["batch_id"].isin(before)]
    if new.empty:
        return None
    same = store.batch_by_sha256(file_sha256(name))
    if same is not None and same["batch_id"] in set(new["batch_id"]):
        what = f"the same file first (batch {same['batch_id']})"
    else:
        first = new.iloc[-1]
        what = f"the same records first (batch {first['batch_id']}, {first['file_name']})"
    return (
        f"another import into {_shown_store(store)} was running and added {what}; "
        f"nothing from {name} was added; run the import again."
    )


def _load_mapping(path: str | None):
    from geo.ingest.headers import UserMapping, read_mapping_file

    return read_mapping_file(path) if path else UserMapping()


def _command_import(args: argparse.Namespace, write: bool) -> int:
    from geo.ingest.headers import MappingError
    from geo.ingest.importer import import_file, validate_file
    from geo.ingest.readers import UnreadableFileError
    from geo.store.store import StoreError

    try:
        mapping = _load_mapping(args.mapping)
    except MappingError as error:
        return _fail(str(error), args.json)
    try:
        store = _open(args) if (write or args.db) else None
        if write:
            store.principal.require("import", "import files")
    except StoreError as error:
        return _fail(str(error), args.json)
    status = EXIT_OK
    for name in args.files:
        problem = _path_problem(name)
        if problem is not None:
            status = _fail(problem, args.json, file=name)
            continue
        progress = _Progress(Path(name).name, sys.stderr.isatty() and not args.json)
        before: set[str] | None = None
        try:
            if write:
                before = _batch_ids(store)
                report = import_file(
                    name,
                    store,
                    mapping,
                    sheet=args.sheet,
                    progress=progress,
                    sensitivity=args.sensitivity,
                )
            else:
                report = validate_file(name, mapping, sheet=args.sheet, store=store)
        except UnreadableFileError as error:
            progress.close()
            status = _fail(str(error), args.json, file=name)
            continue
        except KeyboardInterrupt:
            progress.close()
            sys.stderr.write(f"seizures: import of {name} interrupted; nothing was stored.\n")
            return EXIT_INTERRUPTED
        except Exception as error:  # this file failed; the others are still tried
            progress.close()
            message = _file_failure(error, name, store, write, before)
            status = _fail(message, args.json, file=name)
            continue
        progress.close()
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False, default=str), flush=True)
        else:
            _print_report(report)
    return status


def _print_report(report) -> None:
    print(report.summary())
    if report.dayfirst is not None:
        order = "day first (dd/mm)" if report.dayfirst else "month first (mm/dd)"
        print(f"  ambiguous dates read {order}: {report.dayfirst_source}")
    if report.extra_columns:
        print(f"  kept in extra (not record fields): {', '.join(report.extra_columns)}")
    for match in report.columns.values():
        if match["matched_by"] == "extra" and match["note"]:
            print(f"  {match['note']}: name it with --mapping if it is")
    for problem in report.problems[:20]:
        kind = "quarantined" if problem["severity"] == "error" else "warning"
        print(f"  row {problem['row']}, {problem['column']}: {problem['reason']} [{kind}]")
    hidden = report.problems_total + report.warnings_total - min(len(report.problems), 20)
    if hidden > 0:
        print(f"  ... and {hidden} more (use --json for the list)")


def _command_mapping(args: argparse.Namespace) -> int:
    from geo.ingest.headers import MappingError
    from geo.ingest.mapping import file_columns, starting_mapping_toml
    from geo.ingest.readers import UnreadableFileError

    problem = _path_problem(args.file)
    if problem is not None:
        return _fail(problem, args.json, file=args.file)
    try:
        mapping = _load_mapping(args.mapping)
        found = file_columns(args.file, mapping, sheet=args.sheet)
    except (MappingError, UnreadableFileError) as error:
        return _fail(str(error), args.json, file=args.file)
    text = starting_mapping_toml(found, mapping, Path(args.file).name)
    out = Path(args.out)
    if out.is_dir():
        return _fail(f"cannot write {args.out}: it is a folder.", args.json)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        return _fail(f"cannot write {args.out}: {error.strerror}.", args.json)
    columns = {
        m.column: {
            "field": m.field,
            "matched_by": m.how,
            "note": m.suggestion,
            "samples": list(m.samples),
        }
        for m in found.columns
    }
    if args.json:
        print(json.dumps({"file": args.file, "out": args.out, "columns": columns}, default=str))
    else:
        matched = sum(1 for m in found.columns if m.field)
        print(
            f"wrote {args.out}: {len(found.columns)} columns of {Path(args.file).name}, "
            f"{matched} matched to record fields; edit it, then "
            f"`seizures import {args.file} --mapping {args.out}`."
        )
        for match in found.columns:
            if match.field is None and match.suggestion:
                print(f"  {match.suggestion}")
    return EXIT_OK


def _command_sample(args: argparse.Namespace) -> int:
    from geo.ingest.sample import write_sample

    path = write_sample(args.out, rows=args.rows, seed=args.seed)
    print(f"wrote {args.rows} synthetic records to {path}")
    return EXIT_OK


def _command_export(args: argparse.Namespace) -> int:
    from geo.cli_filters import query_from_arguments, report_scope
    from geo.report.aitr import write_aitr
    from geo.report.export import export_records
    from geo.store import aggregates
    from geo.store.query import Query, describe_query
    from geo.store.store import StoreError

    try:
        if args.format == "aitr":
            country, year = report_scope(args)
        else:
            query = query_from_arguments(args)
    except ValueError as error:
        return _fail(str(error))
    try:
        store = _open(args)
        if args.format == "aitr":
            count = write_aitr(store, args.out, country, year)
            print(
                f"wrote the CITES annual illegal trade report of {country} for {year} "
                f"({count} seizures) to {args.out}"
            )
            return EXIT_OK
        count = export_records(store, args.out, args.format, query)
        left_out = aggregates.count(store, query) - count if args.format == "geojson" else 0
    except (StoreError, ValueError) as error:
        return _fail(str(error))
    shown = f" ({describe_query(query)})" if query != Query() else ""
    print(f"exported {count} records{shown} to {args.out}")
    if left_out > 0:
        records = "record" if left_out == 1 else "records"
        print(f"left out {left_out} {records} without coordinates (a GeoJSON feature is a point)")
    return EXIT_OK


def _command_brief(args: argparse.Namespace) -> int:
    from geo.cli_filters import query_from_arguments
    from geo.report.brief import parse_languages, write_briefing
    from geo.store.store import StoreError

    try:
        query = query_from_arguments(args)
        parse_languages(args.lang)
        suffix = Path(args.out).suffix.lower()
        if suffix not in (".pdf", ".pptx"):
            raise ValueError(f"--out: {Path(args.out).name} should end in .pdf or .pptx")
        if not Path(args.out).resolve().parent.is_dir():
            raise ValueError(f"--out: the folder of {args.out} does not exist")
    except ValueError as error:
        return _fail(str(error))
    try:
        store = _open(args)
        out, briefing, ids = write_briefing(store, query, args.lang, args.out)
    except (StoreError, ValueError) as error:
        return _fail(str(error))
    print(
        f"wrote the {'–'.join(briefing.countries)} briefing ({args.lang}) on "
        f"{briefing.records:,} records to {out}"
    )
    if ids is not None:
        print(f"the record ids behind every figure are in {ids}")
    return EXIT_OK


def _command_quarantine(args: argparse.Namespace) -> int:
    from geo.report.export import export_quarantine
    from geo.store.store import StoreError

    try:
        store = _open(args)
        store.principal.require("export", "export quarantined rows")
        known = store.batches() if args.batch else None
        if known is not None and args.batch not in set(known["batch_id"]):
            # `stats` lists only batches that kept records: name the ones that matter here.
            held = known.loc[known["quarantined"] > 0, "batch_id"].tolist()
            if known.empty:
                where = "nothing has been imported into it yet"
            elif not held:
                where = "none of its batches has quarantined rows"
            else:
                more = f" and {len(held) - 5} more" if len(held) > 5 else ""
                where = f"the batches with quarantined rows are {', '.join(held[:5])}{more}"
            return _fail(f"batch {args.batch!r} is not in this store; {where}.")
        count = export_quarantine(store, args.out, args.batch)
    except StoreError as error:
        return _fail(str(error))
    print(f"wrote {count} quarantined rows to {args.out}; fix them and import that file")
    return EXIT_OK


def _command_stats(args: argparse.Namespace) -> int:
    from geo.store.store import StoreError

    try:
        stats = _open(args).stats()
    except StoreError as error:
        return _fail(str(error), args.json)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return EXIT_OK
    print(f"{stats['records']:,} records, {stats['quarantined']:,} quarantined rows")
    for title, key in (
        ("by batch", "by_batch"),
        ("by taxon group", "by_taxon_group"),
        ("by seizing country", "by_seizing_country"),
    ):
        print(f"{title}:")
        for name, count in list(stats[key].items())[:15]:
            print(f"  {name:<20} {count:>10,}")
    return EXIT_OK


def _command_enrich(args: argparse.Namespace) -> int:
    from geo.ingest.enrichment import upgrade_store
    from geo.store.store import StoreError

    try:
        store = _open(args)
        # it rewrites derived columns of every record, whoever may see them: admins only
        store.principal.require("undo_any", "re-enrich every record")
    except StoreError as error:
        return _fail(str(error))
    progress = _Progress("enrich", sys.stderr.isatty())
    try:
        count = upgrade_store(store, progress=progress, force=args.force)
    except StoreError as error:
        progress.close()
        return _fail(str(error))
    progress.close()
    print(f"re-enriched {count:,} records" if count else "the store is up to date")
    return EXIT_OK


def _command_hotspots(args: argparse.Namespace) -> int:
    from geo.reference.species import match_taxon
    from geo.report import views
    from geo.store import aggregates
    from geo.store.query import Query
    from geo.store.store import StoreError

    if not (math.isfinite(args.max_km) and args.max_km > 0):
        return _fail(
            f"--max-km must be a positive number of kilometres, got {args.max_km:g}.", args.json
        )
    taxa: tuple[str, ...] = ()
    if args.taxon:
        match = match_taxon(args.taxon)
        if match is None or not match.known:
            return _fail(f"taxon {args.taxon!r} is not in the species reference.", args.json)
        taxa = (match.taxon,)
    try:
        query = Query(
            date_from=args.date_from,
            date_to=args.date_to,
            taxa=taxa,
            pair=args.pair,
            border_km=args.max_km,
        )
    except ValueError as error:
        return _fail(str(error), args.json)
    try:
        store = _open(args)
        # The page's ranking and sentence: one function and one set of defaults everywhere.
        found = views.hotspot_ranking(store, query, args.resolution, args.confidence)
        in_area = aggregates.count(store, query)
    except StoreError as error:
        return _fail(str(error), args.json)
    except ValueError as error:
        return _fail(str(error), args.json)
    ranked = found.ranking
    if args.json:
        rows = ranked.to_json(orient="records", force_ascii=False, default_handler=str)
        answer = {
            **found.summary(),
            "max_km": args.max_km,
            "resolution": args.resolution,
            "records_in_area": in_area,
            "hotspots": json.loads(rows),
        }
        print(json.dumps(answer, ensure_ascii=False))
        return EXIT_OK
    print(found.sentence)
    print(
        f"{len(ranked)} hot spot{'' if len(ranked) == 1 else 's'} within {args.max_km:g} km "
        f"of the {query.pair} border ({in_area:,} records in the area; H3 resolution "
        f"{args.resolution}, {args.confidence}% confidence after FDR)"
        + (":" if len(ranked) else ".")
    )
    for row in ranked.itertuples():
        taxa_text = ", ".join(f"{name} ({count})" for name, count in row.top_taxa[:3])
        print(
            f"{row.rank:>3}. {row.place}: {row.count:,} seizures, Gi* z={row.gi_z:.1f}, "
            f"{row.confidence}% confidence, {row.border_distance_km:.1f} km from the border; "
            f"{taxa_text}"
        )
    return EXIT_OK


def _command_undo(args: argparse.Namespace) -> int:
    from geo.store.store import StoreError

    try:
        result = _open(args).undo_batch(args.batch_id)
    except StoreError as error:
        return _fail(str(error))
    print(
        f"removed batch {result['batch_id']} ({result['file_name']}): "
        f"{result['records_removed']} records, {result['quarantine_removed']} quarantined rows"
    )
    for later, count in result["restored_to"].items():
        print(f"restored {count} records of batch {later}, whose rows repeated the removed ones")
    return EXIT_OK


def _command_migrate(args: argparse.Namespace) -> int:
    from geo.store.migrate import migrate_store
    from geo.store.store import StoreError

    try:
        # A source with users is copied whole (records, users, password hashes): only by
        # one of its admins.  The target must be empty, so it has no users to ask.
        with _open(args, location=args.source) as source:
            principal = source.principal
    except StoreError as error:
        return _fail(str(error), args.json)
    progress = _Progress("migrate", sys.stderr.isatty() and not args.json)
    try:
        result = migrate_store(
            args.source,
            args.target,
            progress=lambda _table, done, total: progress(done, total),
            principal=principal,
        )
    except StoreError as error:
        progress.close()
        return _fail(str(error), args.json)
    progress.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    print(f"copied {result['from']} to {result['to']}; row counts verified:")
    for name, count in result["tables"].items():
        print(f"  {name:<12} {count:>12,}")
    return EXIT_OK


def _command_users(args: argparse.Namespace) -> int:
    from geo.store.access import parse_scope
    from geo.store.store import StoreError
    from geo.store.users import add_user, list_users, remove_user, set_password

    as_json = getattr(args, "json", False)
    try:
        scope = parse_scope(args.scope) if args.action == "add" else ()
    except ValueError as error:
        return _fail(f"--scope: {error}.", as_json)
    try:
        store = _open(args)
        if args.action == "list":
            return _print_users(list_users(store), as_json)
        if args.action == "remove":
            remove_user(store, args.name)
            print(f"removed the user {args.name}; their imports stay, under their name")
            return EXIT_OK
        if args.action == "set-password":
            password = _passwords(args).read(
                f"new password of {args.name}",
                f"give the new password of {args.name} on standard input with --password-stdin.",
            )
            set_password(store, args.name, password)
            print(f"set the password of {args.name}")
            return EXIT_OK
        password = None
        if args.password_stdin and not args.oidc:
            password = _passwords(args).read(f"password of the new user {args.name}", "")
        added = add_user(store, args.name, args.role, args.country, scope, password)
    except (StoreError, ValueError) as error:
        return _fail(str(error), as_json)
    how = (
        "signs in with a password"
        if password is not None
        else "has no password: signs in only through the identity provider (OpenID Connect)"
    )
    print(
        f"added {added.name}: {added.role} of {added.country}, sees the restricted records "
        f"of {', '.join(added.scope or ())}; {how}"
    )
    return EXIT_OK


def _print_users(frame, as_json: bool) -> int:
    """Print the users (never a hash: :func:`~geo.store.users.list_users` reads none)."""
    rows = [
        {
            "name": row["name"],
            "role": row["role"],
            "country": row["country"],
            "scope": [code for code in str(row["scope"] or "").split(",") if code],
            "sign_in": "password" if bool(row["has_password"]) else "oidc",
            "created_at": _utc_text(row["created_at"]),
            "created_by": _missing_as_none(row["created_by"]),
            "last_login_at": _utc_text(row["last_login_at"]),
        }
        for row in frame.to_dict("records")
    ]
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        return EXIT_OK
    if not rows:
        print(
            "no users: the store is in single-user mode (whoever opens it sees and may do "
            "everything); add the first, an admin, with `seizures users add`"
        )
        return EXIT_OK
    for row in rows:
        print(
            f"{row['name']:<24} {row['role']:<8} {row['country']:<3} "
            f"scope {','.join(row['scope']):<12} {row['sign_in']:<9} "
            f"last sign-in {row['last_login_at'] or 'never'}"
        )
    return EXIT_OK


def _missing_as_none(value: Any) -> Any:
    import pandas as pd

    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _utc_text(value: Any) -> str | None:
    """Return a stored UTC time as ISO 8601 with a ``Z`` (None for none)."""
    value = _missing_as_none(value)
    if value is None:
        return None
    return value.isoformat(sep="T", timespec="seconds") + "Z"


def _command_audit(args: argparse.Namespace) -> int:
    from geo.store.store import StoreError
    from geo.store.users import read_audit

    try:
        store = _open(args)
        events = read_audit(store, limit=args.limit or None, action=args.action)
    except StoreError as error:
        return _fail(str(error), args.json)
    for row in events.to_dict("records"):
        records = _missing_as_none(row["records"])
        event = {
            "occurred_at": _utc_text(row["occurred_at"]),
            "actor": _missing_as_none(row["actor"]),
            "action": row["action"],
            "records": None if records is None else int(records),
            "detail": _detail(row["detail"]),
        }
        if args.json:
            print(json.dumps(event, ensure_ascii=False, default=str), flush=True)
            continue
        counted = "" if records is None else f" {int(records):,} record" + "s" * (records != 1)
        detail = json.dumps(event["detail"], ensure_ascii=False, default=str)
        print(f"{event['occurred_at']} {event['actor']} {event['action']}{counted} {detail}")
    if not args.json and events.empty:
        print("no events" + (f" of action {args.action!r}" if args.action else ""))
    return EXIT_OK


def _detail(text: Any) -> Any:
    """Return an audit event's detail decoded from its JSON text (text if it is not JSON)."""
    text = _missing_as_none(text)
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _command_dashboard(args: argparse.Namespace) -> int:
    """Start ``streamlit run dashboard.py``; refuse a non-local address without users."""
    from geo.paths import DATA_DIR
    from geo.store.access import LOOPBACK_ADDRESSES
    from geo.store.store import StoreError, open_store

    try:
        with open_store(args.db) as store:
            has_users = store.has_users()
            shown = _shown_store(store)
    except StoreError as error:
        return _fail(str(error))
    if args.address not in LOOPBACK_ADDRESSES and not has_users:
        return _fail(
            f"the store {shown} has no users, so the dashboard serves only this computer and "
            f"will not listen on {args.address}: add an admin first (seizures users add NAME "
            "--role admin --country CC --password-stdin), or leave out --address."
        )
    env = dict(os.environ)
    if args.db:
        env["SEIZURES_DB"] = args.db
    command = [
        sys.executable, "-m", "streamlit", "run", str(DATA_DIR.parent / "dashboard.py"),
        "--server.address", args.address, "--server.port", str(args.port),
        "--server.headless", "true",
    ]  # fmt: skip
    return _start_dashboard(command, env, cwd=DATA_DIR.parent)


def _start_dashboard(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run the dashboard in the foreground until it stops (a test replaces this)."""
    import subprocess

    return subprocess.call(command, env=env, cwd=cwd)


def _command_bench(args: argparse.Namespace) -> int:
    from geo.bench import BenchError, format_report, run_bench

    def log(message: str) -> None:
        sys.stderr.write(f"bench: {message}\n")
        sys.stderr.flush()

    try:
        result = run_bench(args.rows, args.db, args.runs, args.browser, log=log)
    except BenchError as error:
        return _fail(str(error), args.json)
    print(json.dumps(result) if args.json else format_report(result))
    return EXIT_OK


_PASSWORD_HELP = (
    "read the password of --user from standard input: its first line (the line ending is not "
    "part of it); on a terminal it is asked for instead, unseen"
)


def _add_sign_in(parser: argparse.ArgumentParser, password_help: str = _PASSWORD_HELP) -> None:
    """Add ``--user`` and ``--password-stdin`` (needed once the store has users)."""
    group = parser.add_argument_group("signing in (needed once the store has users)")
    group.add_argument(
        "--user",
        metavar="NAME",
        help=f"sign in as NAME, a user of the store (default: ${USER_ENV}); a store without "
        f"users refuses --user and ignores ${USER_ENV}",
    )
    group.add_argument("--password-stdin", action="store_true", help=password_help)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number, 0 or more")
    return value


def _add_users_parser(commands, db_help: str) -> None:
    """``seizures users add|remove|set-password|list``."""
    users = commands.add_parser(
        "users",
        help="add, remove and list the store's users, set passwords (admins)",
        description="Manage the store's users. A store without users belongs to whoever can "
        "open it; its first user must be an admin, added without --user. After that an admin "
        "signs in with --user and --password-stdin (a user may set their own password).",
    )
    actions = users.add_subparsers(dest="action", required=True)
    new_password = (
        "read passwords from standard input, one per line: first the password of --user "
        "(when the store has users), then {what}; on a terminal they are asked for instead, "
        "unseen"
    )

    add = actions.add_parser(
        "add",
        help="add a user",
        description="Add a user. With --password-stdin they sign in with a password (at "
        "least 10 characters, stored as an Argon2id hash); without it, or with --oidc, only "
        "through the identity provider (OpenID Connect), NAME being their e-mail address.",
    )
    add.add_argument("name", metavar="NAME", help="one word: a login name, or an e-mail address")
    add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="viewer: reads and makes briefings; analyst: also imports, exports and undoes "
        "their own imports; admin: also manages users, undoes any import, reads the audit log",
    )
    add.add_argument(
        "--country",
        required=True,
        metavar="CC",
        help="home country (ISO-2): owns what they import, and its restricted records they see",
    )
    add.add_argument(
        "--scope",
        metavar="CC,CC",
        help="other countries whose restricted records they see",
    )
    add.add_argument(
        "--oidc",
        action="store_true",
        help="no password: they sign in only through the identity provider (with "
        "--password-stdin, standard input then holds only the password of --user)",
    )
    add.add_argument("--db", help=db_help)
    _add_sign_in(add, new_password.format(what="the new user's password"))

    remove = actions.add_parser("remove", help="remove a user (their imports stay)")
    remove.add_argument("name", metavar="NAME", help="the user to remove")
    remove.add_argument("--db", help=db_help)
    _add_sign_in(remove)

    change = actions.add_parser(
        "set-password", help="set a user's password (an admin's, or your own)"
    )
    change.add_argument("name", metavar="NAME", help="whose password to set")
    change.add_argument("--db", help=db_help)
    _add_sign_in(change, new_password.format(what="the new password of NAME"))

    listing = actions.add_parser("list", help="list the users (never a password or its hash)")
    listing.add_argument("--db", help=db_help)
    listing.add_argument(
        "--json",
        action="store_true",
        help="JSON lines: one object per user (name, role, country, scope, sign_in, "
        "created_at, created_by, last_login_at)",
    )
    _add_sign_in(listing)


def _parser() -> argparse.ArgumentParser:
    # Plain constants, no statistics loaded: the page and the briefing use the same ones.
    from geo.spatial import hotspot_defaults

    parser = argparse.ArgumentParser(
        prog="seizures",
        description="Import, check and export wildlife seizure records.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "DuckDB file or postgresql:// URL (default: $SEIZURES_DB, else the user data dir)"

    for name, help_text in (
        ("import", "import files into the store, one batch per file"),
        ("validate", "check files as an import would, storing nothing"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("files", nargs="+", metavar="FILE")
        command.add_argument("--db", help=db_help)
        command.add_argument("--mapping", metavar="MAP.toml", help="column mapping and options")
        command.add_argument("--sheet", help="XLSX worksheet to read")
        command.add_argument("--json", action="store_true", help="one JSON object per file")
        if name == "import":
            command.add_argument(
                "--sensitivity",
                choices=["public", "restricted"],
                help="for rows whose file states none (default: restricted when a user "
                "imports, shared only with their country's users; public on a store without "
                "users)",
            )
        _add_sign_in(command)

    mapping = commands.add_parser(
        "mapping", help="write a starting column mapping for a file, to edit and import with"
    )
    mapping.add_argument("file", metavar="FILE")
    mapping.add_argument("--out", required=True, metavar="MAP.toml")
    mapping.add_argument("--mapping", metavar="MAP.toml", help="a mapping to start from")
    mapping.add_argument("--sheet", help="XLSX worksheet to read")
    mapping.add_argument("--json", action="store_true", help="the columns as one JSON object")

    sample = commands.add_parser("sample", help="write synthetic, realistic sample records")
    sample.add_argument("--rows", type=int, default=20_000)
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--out", required=True, help="a .csv or .xlsx file")

    export = commands.add_parser(
        "export",
        help="write the records the filters select to a file, or a CITES annual illegal trade "
        "report (--format aitr --country CC --year YYYY)",
    )
    export.add_argument("--db", help=db_help)
    export.add_argument(
        "--format",
        choices=["csv", "xlsx", "geojson", "aitr"],
        default="csv",
        help="aitr: the CITES annual illegal trade report of --country for --year (.xlsx)",
    )
    export.add_argument("--out", required=True)
    from geo.cli_filters import add_filter_arguments  # light: reference tables load on use

    add_filter_arguments(export)
    _add_sign_in(export)

    brief = commands.add_parser(
        "brief",
        help="write the bilingual briefing of a country pair (PDF or PowerPoint)",
    )
    brief.add_argument("--db", help=db_help)
    brief.add_argument(
        "--lang",
        default="en,zh",
        help="the two languages, first one first (default en,zh; any two of en, zh, es, fr, "
        "pt, lo)",
    )
    brief.add_argument("--out", required=True, help="FILE.pdf or FILE.pptx")
    add_filter_arguments(brief)
    _add_sign_in(brief)

    held = commands.add_parser("quarantine", help="write quarantined rows to a CSV to fix")
    held.add_argument("--db", help=db_help)
    held.add_argument("--batch", help="only this batch")
    held.add_argument("--out", required=True)
    _add_sign_in(held)

    stats = commands.add_parser("stats", help="counts by batch, taxon group, seizing country")
    stats.add_argument("--db", help=db_help)
    stats.add_argument("--json", action="store_true")
    _add_sign_in(stats)

    enrich = commands.add_parser("enrich", help="recompute derived geography of stored records")
    enrich.add_argument("--db", help=db_help)
    enrich.add_argument("--force", action="store_true", help="even when up to date")
    _add_sign_in(enrich)

    hot = commands.add_parser("hotspots", help="ranked seizure hot spots along a land border")
    hot.add_argument("--db", help=db_help)
    hot.add_argument("--pair", required=True, help="two ISO codes, e.g. CN-LA")
    hot.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, metavar="DATE")
    hot.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, metavar="DATE")
    hot.add_argument("--taxon", help="scientific or common name, e.g. Manidae, pangolin")
    hot.add_argument(
        "--resolution",
        type=int,
        default=hotspot_defaults.DEFAULT_RESOLUTION,
        choices=hotspot_defaults.RESOLUTIONS,
        help="H3 hexagon size, coarse to fine (default: %(default)s)",
    )
    hot.add_argument("--max-km", type=float, default=50.0, help="distance from the border")
    hot.add_argument(
        "--confidence",
        type=int,
        default=hotspot_defaults.DEFAULT_CONFIDENCE,
        choices=hotspot_defaults.CONFIDENCES,
        help="percent, after the false discovery rate correction (default: %(default)s)",
    )
    hot.add_argument("--json", action="store_true")
    _add_sign_in(hot)

    undo = commands.add_parser(
        "undo", help="remove an import batch (your own; an admin's: anyone's)"
    )
    undo.add_argument("batch_id")
    undo.add_argument("--db", help=db_help)
    _add_sign_in(undo)

    migrate = commands.add_parser(
        "migrate", help="copy a whole store into an empty one (DuckDB to PostgreSQL, or back)"
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="DB", help=db_help)
    migrate.add_argument("--to", dest="target", required=True, metavar="DB", help="empty store")
    migrate.add_argument("--json", action="store_true", help="print one JSON object")
    _add_sign_in(migrate)  # an admin of the source, when it has users

    _add_users_parser(commands, db_help)

    audit = commands.add_parser(
        "audit",
        help="the audit log, newest first: who did what, when, to how many records (admins)",
        description="Print the audit log, newest first: when (UTC), who, what, how many "
        "records, and the details. Admins only (anyone on a store without users).",
    )
    audit.add_argument("--db", help=db_help)
    audit.add_argument(
        "--limit",
        type=_count,
        default=AUDIT_LIMIT,
        metavar="N",
        help="at most N events, the newest (default: %(default)s; 0: all)",
    )
    audit.add_argument(
        "--action",
        metavar="A",
        help="only events of this kind: login, login_failed, import, undo, export, brief, "
        "enrich, migrate, user_add, user_remove, user_password, ...",
    )
    audit.add_argument(
        "--json",
        action="store_true",
        help="JSON lines: one object per event, newest first, with occurred_at (ISO 8601, "
        "UTC), actor, action, records (a number or null) and detail (an object)",
    )
    _add_sign_in(audit)

    serve = commands.add_parser(
        "dashboard",
        help="start the dashboard (refused beyond this computer while the store has no users)",
        description="Start the dashboard on the store. A store without users belongs to "
        "whoever can open it, so it is served on this computer only: another --address is "
        "refused until the store has users (who sign in with a password, or through OpenID "
        "Connect when .streamlit/secrets.toml configures it).",
    )
    serve.add_argument("--db", help=db_help)
    serve.add_argument(
        "--address",
        default="127.0.0.1",
        help="where to listen (default: 127.0.0.1, this computer only; 0.0.0.0: every "
        "network interface, once the store has users)",
    )
    serve.add_argument("--port", type=int, default=8501, help="the port (default: 8501)")

    bench = commands.add_parser("bench", help="time import, pages against SQL, maps, browser")
    bench.add_argument("--rows", type=int, default=1_000_000, help="sample records to import")
    bench.add_argument("--db", help="an empty store to use (default: a temporary DuckDB file)")
    bench.add_argument("--browser", action="store_true", help="also time the map in Chromium")
    bench.add_argument("--runs", type=int, default=5, help="runs per median, after a warm-up")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``seizures`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when every file was processed; 2 when a file or the store could not be read, or
        the store refused the sign-in or the act.
    """
    typed = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(typed)
    handlers = {
        "import": lambda a: _command_import(a, write=True),
        "validate": lambda a: _command_import(a, write=False),
        "mapping": _command_mapping,
        "sample": _command_sample,
        "export": _command_export,
        "brief": _command_brief,
        "quarantine": _command_quarantine,
        "stats": _command_stats,
        "undo": _command_undo,
        "migrate": _command_migrate,
        "enrich": _command_enrich,
        "hotspots": _command_hotspots,
        "users": _command_users,
        "audit": _command_audit,
        "bench": _command_bench,
        "dashboard": _command_dashboard,
    }
    try:
        return handlers[args.command](args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write(f"seizures: {args.command} interrupted.\n")
        return EXIT_INTERRUPTED
    except Exception as error:  # the last resort: one sentence, never a traceback
        refused = _refusal(error)  # a sign-in or a role's refusal: not a bug, no traceback
        if refused is not None:
            return _fail(refused, getattr(args, "json", False))
        _debug(error)
        doing = f"running `seizures {args.command}`"
        return _fail(_describe(error, doing, typed), getattr(args, "json", False))


if __name__ == "__main__":
    sys.exit(main())
