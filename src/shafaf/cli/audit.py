"""``shafaf audit verify|checkpoint``: the tamper-evident audit log.

``verify`` checks the local database (Django), or with ``--remote URL`` a site from
outside, over HTTP, with only the package installed (no Django).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shafaf.cli.web import stderr

OK, TAMPERED, BAD_INPUT = 0, 1, 2

BREAKS = {
    "sequence": "an event is missing or was inserted before it",
    "link": "it does not point to the hash of the event before it",
    "content": "its content was altered after it was recorded",
    "pinned": "the pinned hash is no longer in the chain: events were removed at the end",
    "shorter": "the chain ends before the events a signed checkpoint covers: events were "
               "removed at the end",
    "checkpoint": "its hash is not the one a signed checkpoint gives it: the chain was "
                  "rewritten",
}
FAULTS = {
    "unknown_key": "it is signed with a key that is not the commission's published key",
    "signature": "its signature is wrong: it was forged or altered",
    "numbering": "a checkpoint before it is missing",
    "order": "it covers fewer events than a checkpoint signed before it",
    "fork": "it signs another hash for the same event as the checkpoint before it",
}
PIN_HELP = "give the full 64-character hash (spaces around it and upper case are fine)"


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = subparsers.add_parser("audit", help="the tamper-evident audit log")
    audit_commands = audit.add_subparsers(metavar="COMMAND", required=True)
    verify = audit_commands.add_parser(
        "verify", help="walk the hash chain and the signed checkpoints; exit 1 naming the "
                       "first bad event",
        description="Recompute every event's hash and link, and check the chain against "
                    "every signed checkpoint. Exit status 0 if the chain is intact, 1 naming "
                    "the first event altered, removed or inserted (or a bad checkpoint), 2 "
                    "for a mistake on the command line.")
    verify.add_argument("--pinned", metavar="HASH",
                        help="a head hash published earlier, which must still be in the chain")
    verify.add_argument("--remote", metavar="URL",
                        help="check a Shafaf site from outside, through its public audit "
                             "feed (e.g. https://shafaf.example.iq)")
    verify.add_argument("--key", metavar="PUBKEY",
                        help="with --remote: the commission's public key (base64) as "
                             "published independently; default: the key the site serves")
    verify.add_argument("--state", metavar="FILE", type=Path,
                        help="with --remote: where the head seen last is kept, per site "
                             "(default ~/.shafaf/audit-remote.json)")
    verify.set_defaults(run=run_verify)
    checkpoint = audit_commands.add_parser(
        "checkpoint", help="sign the chain's head with the commission's key",
        description="Sign the audit chain's head with the commission's Ed25519 key "
                    "(SHAFAF_AUDIT_SIGNING_KEY) and store the checkpoint. Run it from cron "
                    "every few minutes (e.g. */5 * * * *); nothing new is signed while no "
                    "event was recorded since the last checkpoint.")
    checkpoint.set_defaults(run=run_checkpoint)


def run_verify(args: argparse.Namespace) -> int:
    from shafaf.core import ledger

    pinned = None
    if args.pinned is not None:
        try:
            pinned = ledger.normalise_pin(args.pinned)
        except ledger.BadPin:
            stderr(f"shafaf audit verify: --pinned {args.pinned.strip()!r} is not a hash: "
                   f"{PIN_HELP}.")
            return BAD_INPUT
    if args.remote:
        from shafaf.cli.audit_remote import verify_remote

        return verify_remote(url=args.remote, pinned=pinned, key=args.key, state=args.state)
    if args.key or args.state:
        stderr("shafaf audit verify: --key and --state go with --remote.")
        return BAD_INPUT
    return _verify_local(pinned)


def _verify_local(pinned: str | None) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.core.exceptions import ImproperlyConfigured

    from shafaf.audit.selectors import unsealed, verify

    try:
        verdict = verify(pinned=pinned)
    except ImproperlyConfigured as exc:
        stderr(f"shafaf audit verify: {exc}.")
        return BAD_INPUT
    waiting = unsealed()
    if waiting:
        print(f"Events recorded but not yet sealed into the chain (not checked): {waiting}; "
              "`shafaf audit checkpoint` seals them.")
    fault = verdict.checked.fault
    if fault is not None:
        stderr(f"Signed checkpoint #{fault.number} is NOT VALID: {FAULTS[fault.problem.value]}.")
        return TAMPERED
    broken = verdict.broken
    if broken is None:
        latest = verdict.checked.latest
        if latest is None:
            print(f"The audit chain is intact: {verdict.events} events, head {verdict.head}")
        else:
            print(f"The audit chain is intact up to checkpoint #{latest.number} "
                  f"(event {latest.seq}, signed {latest.at}): {verdict.events} events, "
                  f"head {verdict.head}")
        return OK
    stderr(f"The audit chain is BROKEN at event {broken.seq}: {BREAKS[broken.kind.value]}.")
    if broken.kind.value in ("shorter", "checkpoint"):
        signing = [c for c in verdict.signed if c.seq >= broken.seq]
        if signing:
            stderr(f"Signed checkpoint #{signing[0].number} covers event {signing[0].seq} "
                   f"with hash {signing[0].hash}.")
    stderr(f"The last good hash is {verdict.head}.")
    return TAMPERED


def run_checkpoint(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.core.exceptions import ImproperlyConfigured

    from shafaf.audit.actions import take_checkpoint

    try:
        checkpoint = take_checkpoint()
    except ImproperlyConfigured as exc:
        stderr(f"shafaf audit checkpoint: {exc}.")
        return BAD_INPUT
    print(f"Checkpoint #{checkpoint.number}: event {checkpoint.seq}, head {checkpoint.hash}, "
          f"signed {checkpoint.at.isoformat()} by key {checkpoint.key_id}")
    return OK
