"""``shafaf results devices import``, ``late``, ``keygen`` and ``sign``: counting
devices' keys, late stations, and a device simulator (docs/results-transmission.md).

``keygen`` and ``sign`` need no database: they are what a device (or a test, or a
demonstration) does. The others run at the server, as the system or, with ``--as``,
under a user's role and governorate; exit 0 with a summary, 2 when refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shafaf.cli import problems_out
from shafaf.cli.web import stderr


def add_subcommands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    devices = commands.add_parser(
        "devices", help="register counting devices' keys",
        description="Counting devices: each station's device and its Ed25519 public key.")
    what = devices.add_subparsers(metavar="WHAT", required=True)
    load = what.add_parser(
        "import", help="register devices from a CSV or XLSX file, all or nothing",
        description="Register counting devices from a file with the columns serial, "
                    "station_code, public_key (the base64 of the 32-byte Ed25519 key), "
                    "before the polls open. Every problem is listed and nothing is written "
                    "until the file has none.")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--election", required=True, metavar="CODE")
    _as(load)
    problems_out.add_argument(load)
    load.set_defaults(run=run_import)

    late = commands.add_parser(
        "late", help="record the stations whose transmission is late",
        description="Settle every station with no electronic result (or paper tape) once "
                    "its transmission window has passed, so it is recorded as late.")
    late.add_argument("--election", required=True, metavar="CODE")
    _as(late)
    late.set_defaults(run=run_late)

    keygen = commands.add_parser(
        "keygen", help="make a counting device's key pair",
        description="Write a new Ed25519 private key (PEM) to FILE and print its public "
                    "key, the text registered for the device.")
    keygen.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="where to write the private key (it must not exist)")
    keygen.set_defaults(run=run_keygen)

    sign = commands.add_parser(
        "sign", help="sign a form as a counting device would (shafaf-transmission/1)",
        description="Read an unsigned shafaf-transmission/1 document (JSON; - for standard "
                    "input), sign its canonical bytes with the device's private key and "
                    "print the signed document, ready to POST to /api/results/transmissions.")
    sign.add_argument("form", metavar="FORM")
    sign.add_argument("--key", required=True, type=Path, metavar="FILE",
                      help="the device's private key (PEM, or the base64 of its seed)")
    sign.add_argument("--out", type=Path, metavar="FILE", help="write here, not to stdout")
    sign.set_defaults(run=run_sign)


def _as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="username", metavar="USERNAME",
                        help="act as this user, within their role and governorate "
                             "(default: the system)")


def run_keygen(args: argparse.Namespace) -> int:
    from shafaf import signatures

    path: Path = args.out
    key = signatures.generate()
    try:
        with path.open("xb") as out:
            out.write(signatures.private_pem(key))
        path.chmod(0o600)
    except FileExistsError:
        stderr(f"{path} exists: a key is never overwritten.")
        return 2
    except OSError as exc:
        stderr(f"Cannot write {path}: {exc.strerror}")
        return 2
    print(signatures.public_text(key))
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from shafaf import signatures
    from shafaf.core import transmission as wire

    try:
        raw = (sys.stdin.buffer.read(wire.MAX_BODY + 1) if args.form == "-"
               else Path(args.form).read_bytes())
        key = signatures.load_private(args.key.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError) as exc:
        stderr(f"Cannot read the form or the key: {getattr(exc, 'strerror', exc)}")
        return 2
    except signatures.BadKey as exc:
        stderr(f"{args.key}: {exc}")
        return 2
    try:
        document = wire.load(raw)
        document.pop("signature", None)
        wire.parse(document, signed=False)
    except wire.Malformed as exc:
        stderr(f"{args.form}: not a shafaf-transmission/1 document: {exc.reason}")
        return 2
    document["signature"] = signatures.sign(key, wire.canonical(document).decode("utf-8"))
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        stderr(f"Cannot write {args.out}: {exc.strerror}")
        return 2
    return 0


def _context(args: argparse.Namespace) -> tuple[object, object] | int:
    """The acting user and the election, or the exit status of a refusal."""
    from shafaf.accounts.models import User
    from shafaf.elections.models import Election

    actor = None
    if args.username:
        actor = User.objects.filter(username=args.username).first()
        if actor is None:
            stderr(f"No user {args.username!r}. Nothing was written.")
            return 2
    election = Election.objects.filter(code=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
        stderr(f"No election {args.election!r} (elections: {known}). Nothing was written.")
        return 2
    return actor, election


def run_import(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from shafaf.refusals.command_line import exit_status
    from shafaf.results.refusals import ResultsRefused
    from shafaf.results.transmissions import register_devices
    from shafaf.tabular import ImportRejected

    with translation.override("en"):
        found = _context(args)
        if isinstance(found, int):
            return found
        actor, election = found
        path: Path = args.file
        written = None
        try:
            with problems_out.problems_file(args.problems_out) as written, \
                    path.open("rb") as stream:
                summary = register_devices(actor=actor, election=election,  # type: ignore[arg-type]
                                           name=path.name, content=stream)
        except ImportRejected as rejected:
            for line in problems_out.report(rejected, name=path.name, written=written,
                                            path=args.problems_out,
                                            outcome="nothing was written."):
                stderr(line)
            return 2
        except ResultsRefused as refused:
            return exit_status(refused, write=stderr)
        except OSError as exc:
            stderr(f"Cannot read or write {exc.filename or path}: {exc.strerror}. "
                   "Nothing was written.")
            return 2
        except PermissionDenied:
            stderr(f"{args.username} may not register counting devices. Nothing was written.")
            return 2
        print(summary.text())
        return 0


def run_late(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from shafaf.refusals.command_line import exit_status
    from shafaf.results.refusals import ResultsRefused
    from shafaf.results.transmissions import settle_late

    with translation.override("en"):
        found = _context(args)
        if isinstance(found, int):
            return found
        actor, election = found
        try:
            settled = settle_late(actor=actor, election=election)  # type: ignore[arg-type]
        except ResultsRefused as refused:
            return exit_status(refused, write=stderr)
        except PermissionDenied:
            stderr(f"{args.username} may not settle late stations. Nothing was written.")
            return 2
        print(f"{settled} late station(s) settled.")
        return 0
