"""The ``hub`` command: run the server, manage kiosk tokens and staff, load a gazetteer."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from hub.config import SettingsError, load_settings
from hub.crypto import Sealer, new_key
from hub.db import make_engine, make_sessions, reseal_all
from hub.devices import create_device, revoke_device
from hub.gazetteer import GazetteerError, load_gazetteer
from hub.schema import SchemaOutOfDate, head, prepare, revision, upgrade
from hub.staff import ROLES, create_staff, disable_staff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub", description="The kiosk estate's server.")
    parser.add_argument("--config", type=Path, default=Path("config/demo/hub.toml"), help="hub settings (TOML)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the hub")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    token = sub.add_parser("create-token", help="create or re-key a kiosk; prints its token once")
    token.add_argument("kiosk_id")
    token.add_argument("--site", required=True)
    token.add_argument("--token-file", type=Path, help="write the token to this file (mode 600) instead")
    revoke = sub.add_parser("revoke-token", help="revoke a kiosk's token")
    revoke.add_argument("kiosk_id")
    gaz = sub.add_parser("load-gazetteer", help="replace the addresses with a CSV file's")
    gaz.add_argument("csv", type=Path)
    staff = sub.add_parser("create-staff", help="create or update a staff account")
    staff.add_argument("username")
    staff.add_argument("--name", required=True, help="name shown to residents and in the audit log")
    staff.add_argument("--role", choices=ROLES, required=True)
    staff.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    staff.add_argument("--site", default="", help="the site whose help requests they see (default: all)")
    staff.add_argument("--pin", default="", help="a personal 6-8 digit PIN for kiosks to check when the hub is down")
    disable = sub.add_parser("disable-staff", help="stop a staff account: no sign-in, sessions ended, PIN withdrawn")
    disable.add_argument("username")
    sub.add_parser("new-key", help="print a new data key for data_key")
    sub.add_parser("rotate-data-key", help="re-seal every stored answer, note and name with data_key "
                   "(after moving the old key to previous_data_keys)")
    db = sub.add_parser("db", help="the database's schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="bring the database to this hub's schema (back it up first)")
    db_sub.add_parser("revision", help="print the database's schema revision and the one this hub needs")
    args = parser.parse_args(argv)

    if args.command == "new-key":
        print(new_key())
        return 0
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    if args.command == "db":
        return _db(args.db_command, engine)
    try:
        prepare(engine)
    except SchemaOutOfDate as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        import uvicorn

        from hub.app import create_app

        engine.dispose()
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        # No access log: request lines would carry handoff tokens and references.
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", access_log=False)
        return 0
    sessions = make_sessions(engine)
    with sessions() as session:
        if args.command == "create-token":
            value = create_device(session, args.kiosk_id, args.site)
            if args.token_file:
                args.token_file.parent.mkdir(parents=True, exist_ok=True)
                args.token_file.touch(mode=0o600)
                args.token_file.write_text(value + "\n")
                print(f"Token for {args.kiosk_id} written to {args.token_file}")
            else:
                print(value)
        elif args.command == "revoke-token":
            if not revoke_device(session, args.kiosk_id):
                print(f"hub: no kiosk called {args.kiosk_id!r}", file=sys.stderr)
                return 1
            print(f"Revoked {args.kiosk_id}")
        elif args.command == "load-gazetteer":
            try:
                count = load_gazetteer(session, args.csv)
            except GazetteerError as exc:
                print(f"hub: {exc}", file=sys.stderr)
                return 2
            print(f"Loaded {count} addresses from {args.csv}")
        elif args.command == "create-staff":
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()
            try:
                create_staff(session, args.username, args.name, args.role, password, args.site, args.pin)
            except ValueError as exc:
                print(f"hub: {exc}", file=sys.stderr)
                return 2
            print(f"Staff account {args.username} ({args.role}) saved")
        elif args.command == "rotate-data-key":
            counts = reseal_all(session, Sealer(settings.data_key, settings.previous_data_keys))
            print("Re-sealed with data_key: " + ", ".join(f"{n} {what}" for what, n in counts.items())
                  + ". previous_data_keys can now be removed.")
        elif args.command == "disable-staff":
            if not disable_staff(session, args.username):
                print(f"hub: no staff account called {args.username!r}", file=sys.stderr)
                return 1
            print(f"Disabled {args.username}: signed out everywhere; their PIN leaves the kiosks at the next sync")
    return 0


def _db(command: str, engine: Engine) -> int:
    if command == "upgrade":
        before, after = upgrade(engine)
        print(f"Database upgraded from {before or 'empty'} to {after}" if before != after
              else f"Database already at {after}")
        return 0
    with engine.connect() as connection:
        have = revision(connection)
    print(f"database: {have or 'none'}\nthis hub needs: {head()}")
    return 0 if have == head() else 1


if __name__ == "__main__":
    sys.exit(main())
