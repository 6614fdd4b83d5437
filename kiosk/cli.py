"""The ``kiosk`` command: run the kiosk, check journey files, export their JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_CONFIG = Path("config/demo/kiosk.toml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk", description="Council self-service kiosk.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the kiosk full screen")
    run.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    check_config = sub.add_parser("check-config", help="check a kiosk settings file")
    check_config.add_argument("path", type=Path)
    journeys = sub.add_parser("journeys", help="journey files")
    jsub = journeys.add_subparsers(dest="journeys_command", required=True)
    check = jsub.add_parser("check", help="validate journey files (default: config/journeys)")
    check.add_argument("paths", type=Path, nargs="*", default=[Path("config/journeys")])
    jsub.add_parser("schema", help="print the JSON Schema of a journey file")
    lessons = sub.add_parser("lessons", help="ICT taster lesson files")
    lsub = lessons.add_subparsers(dest="lessons_command", required=True)
    lcheck = lsub.add_parser("check", help="validate lesson files (default: config/lessons)")
    lcheck.add_argument("folder", type=Path, nargs="?", default=Path("config/lessons"))
    lcheck.add_argument("--journeys", type=Path, default=Path("config/journeys"),
                        help="journeys that practice runs may name")
    lsub.add_parser("schema", help="print the JSON Schema of a lesson file")
    translations = sub.add_parser("translations", help="languages in config/i18n")
    tsub = translations.add_subparsers(dest="translations_command", required=True)
    tcheck = tsub.add_parser("check", help="list missing or broken translations; non-zero if there are any")
    tcheck.add_argument("folder", type=Path, nargs="?", default=Path("config/i18n"))
    tcheck.add_argument("--journeys", type=Path, default=Path("config/journeys"))
    ttemplate = tsub.add_parser("template", help="print the missing texts of a language as TOML to fill in")
    ttemplate.add_argument("language")
    ttemplate.add_argument("--folder", type=Path, default=Path("config/i18n"))
    ttemplate.add_argument("--journeys", type=Path, default=Path("config/journeys"))
    sub.add_parser("hash-pin", help="make the argon2 hash of a maintenance PIN (read from standard input)")
    args = parser.parse_args(argv)

    if args.command == "hash-pin":
        from argon2 import PasswordHasher

        pin = sys.stdin.readline().strip()
        if not (pin.isdigit() and 4 <= len(pin) <= 8):
            print("kiosk: the PIN must be 4 to 8 digits", file=sys.stderr)
            return 2
        print(PasswordHasher().hash(pin))
        return 0
    if args.command == "lessons":
        return _lessons(args)
    if args.command == "translations":
        return _translations(args)
    if args.command == "journeys":
        from kiosk.workflows.loader import JourneyError, load_journeys
        from kiosk.workflows.model import Journey
        from kiosk.workflows.structs import json_schema

        if args.journeys_command == "schema":
            print(json.dumps(json_schema(Journey), indent=2))
            return 0
        problems = 0
        files: list[Path] = []
        for p in args.paths:
            files.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
        for f in files:
            try:
                load_journeys([f])
            except JourneyError as exc:
                print(exc, file=sys.stderr)
                problems += 1
        if problems == 0:
            try:
                found = load_journeys(files)  # ids must also be unique across files
            except JourneyError as exc:
                print(exc, file=sys.stderr)
                return 1
            print(f"{len(found)} journey file(s) OK")
            return 0
        return 1

    if args.command == "run":
        # Qt first (so its import hook can be tamed), then the attract screen, then the rest,
        # settings checked included (kiosk/boot.py).
        import PySide6.QtCore  # noqa: F401

        from kiosk.pyside_sources import stop_keeping_sources

        stop_keeping_sources()
        from kiosk.boot import run_kiosk
        from kiosk.logs import setup_logging

        setup_logging()
        return run_kiosk(args.config)
    from kiosk.config import ConfigError, load_settings, read_token

    try:
        settings = load_settings(args.path)
        read_token(settings)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    print(f"{args.path}: OK")
    return 0


def _translations(args: argparse.Namespace) -> int:
    from kiosk.ui_texts import resident_ui_texts
    from kiosk.workflows.i18n import TranslationError, check_catalog, load_catalogs
    from kiosk.workflows.loader import JourneyError, load_journeys

    try:
        journeys = load_journeys([args.journeys])
        catalogs = load_catalogs(args.folder)
    except (JourneyError, TranslationError) as exc:
        print(exc, file=sys.stderr)
        return 1
    keys = resident_ui_texts()
    if args.translations_command == "template":
        catalog = catalogs.get(args.language)
        if catalog is None:
            print(f"no language '{args.language}' in {args.folder}", file=sys.stderr)
            return 1
        missing = check_catalog(catalog, keys, journeys)
        print("[ui]")
        for p in missing:
            if p.where == "ui" and p.problem == "missing":
                print(f"{json.dumps(p.text, ensure_ascii=False)} = \"\"")
        for journey in journeys:
            texts = [p.text for p in missing if p.where == f"journey {journey.id}" and p.problem == "missing"]
            if texts:
                print(f"\n# journeys/{journey.id}.toml\n[strings]")
                for text in texts:
                    print(f"{json.dumps(text, ensure_ascii=False)} = \"\"")
        return 0
    problems = 0
    for code, catalog in catalogs.items():
        if code == "en":
            continue
        found = check_catalog(catalog, keys, journeys)
        for problem in found:
            print(problem, file=sys.stderr)
        problems += len(found)
        status = catalog.language.status
        print(f"{code} ({catalog.language.english_name}): {len(found)} problem(s); {status}"
              + (f" by {catalog.language.reviewed_by}" if catalog.language.reviewed_by else ""))
    return 1 if problems else 0


def _lessons(args: argparse.Namespace) -> int:
    from kiosk.workflows.lessons import Lesson, LessonError, load_lessons, parse_lesson
    from kiosk.workflows.loader import JourneyError, load_journeys
    from kiosk.workflows.structs import json_schema

    if args.lessons_command == "schema":
        print(json.dumps(json_schema(Lesson), indent=2))
        return 0
    try:
        journey_ids = {j.id for j in load_journeys([args.journeys])}
    except JourneyError as exc:
        print(exc, file=sys.stderr)
        return 1
    problems = 0
    for f in sorted(args.folder.glob("*.toml")) if args.folder.is_dir() else [args.folder]:
        try:
            parse_lesson(f, journey_ids)
        except LessonError as exc:
            print(exc, file=sys.stderr)
            problems += 1
    if problems:
        return 1
    try:
        found = load_lessons(args.folder, journey_ids)  # ids must also be unique across files
    except LessonError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(found)} lesson file(s) OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
