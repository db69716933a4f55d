"""The tamper-evident audit log: actions write events; ``shafaf audit verify`` passes on an
honest chain and names the first bad event of a tampered one; the database refuses to
change or delete events.

Tampering is done the way an insider with database access would: raw SQL, after turning
off the append-only triggers (SQLite: drop and recreate them; PostgreSQL: disable and
enable them). Every test runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from shafaf import signatures
from shafaf.access.roles import Role
from shafaf.accounts import actions as accounts
from shafaf.audit import keys, selectors
from shafaf.audit.actions import as_hashed, record, take_checkpoint
from shafaf.audit.models import AppendOnly, AuditCheckpoint, AuditEvent
from shafaf.audit.selectors import head
from shafaf.cli.main import main
from shafaf.core import checkpoints, ledger
from shafaf.elections.models import Governorate
from tests.audit_triggers import set_triggers

TABLE = "audit_auditevent"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are only actors here; Argon2 itself is tested in test_accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Tampering helpers ----------------------------------------------------------------

def _set_triggers(*, enabled: bool) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):
        pytest.skip(f"no tampering recipe for {connection.vendor}")
    set_triggers(enabled)


@contextmanager
def triggers_off():
    """An insider's way round the append-only triggers, put back afterwards."""
    _set_triggers(enabled=False)
    try:
        yield
    finally:
        _set_triggers(enabled=True)


def sql(statement: str, params: list[object] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def event(seq: int) -> AuditEvent:
    return AuditEvent.objects.get(seq=seq)


def insert_raw(**fields: object) -> None:
    """Insert one event row with raw SQL (the triggers allow appends)."""
    fields = {**fields, "at": connection.ops.adapt_datetimefield_value(fields["at"]),
              "data": json.dumps(fields["data"], ensure_ascii=False)}
    names = ", ".join(fields)
    holes = ", ".join(["%s"] * len(fields))
    sql(f"INSERT INTO {TABLE} ({names}) VALUES ({holes})", list(fields.values()))  # noqa: S608


def forged(*, seq: int, prev_hash: str, **overrides: object) -> dict[str, object]:
    """An event that is internally consistent: its hash is right for its content."""
    content = {"seq": seq, "at": datetime.now(UTC).replace(microsecond=0),
               "actor_id": None, "actor_username": "system", "action": "accounts.create_user",
               "object_type": "accounts.user", "object_id": "999",
               "data": {"username": "ghost", "role": "admin", "governorate": None},
               "prev_hash": prev_hash, **overrides}
    return {**content, "hash": ledger.event_hash(as_hashed(content))}


def resealed(stored: AuditEvent, fields: dict[str, object]) -> str:
    """The hash an insider would recompute for ``stored`` given new ``fields``, in
    the event's own format (with its salt)."""
    return ledger.event_hash(ledger.hashed_form(as_hashed(fields), version=stored.version or 1,
                                                salt=stored.salt))


# --- Running `shafaf audit verify` ----------------------------------------------------

@dataclass
class Verify:
    status: int
    out: str
    err: str


@pytest.fixture
def verify(capsys):
    """``shafaf audit verify`` in this process, on the test database."""

    def run(*extra: str) -> Verify:
        capsys.readouterr()
        status = main(["audit", "verify", *extra])
        captured = capsys.readouterr()
        return Verify(status, captured.out, captured.err)

    return run


def assert_intact(result: Verify, events: int) -> None:
    assert result.status == 0, result.err
    current = head()
    assert result.out.strip() == (f"The audit chain is intact: {events} events, "
                                  f"head {current.hash if current else ledger.GENESIS}")
    assert result.err == ""


def assert_broken_at(result: Verify, seq: int, reason: str, last_good: str) -> None:
    assert result.status == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0].startswith(f"The audit chain is BROKEN at event {seq}: "), result.err
    assert reason in lines[0]
    assert lines[1] == f"The last good hash is {last_good}."


# --- Fixtures ---------------------------------------------------------------------------

@pytest.fixture
def chain(election) -> list[AuditEvent]:
    """Six events written by real actions: the election fixture's two, then users
    created and changed by an administrator, and one with Arabic and nested data (which
    PostgreSQL's jsonb stores with its keys reordered: the hash must not care)."""
    kirkuk = Governorate.objects.get(code="IQ-KI")
    admin = accounts.create_user(actor=None, username="root", password="x" * 12,
                                 role=Role.ADMIN)
    clerk = accounts.create_user(actor=admin, username="kirkuk.clerk", password="x" * 12,
                                 role=Role.CLERK, governorate=kirkuk)
    accounts.change_user(actor=admin, user=clerk, role=Role.OFFICE_MANAGER,
                         governorate=kirkuk, is_active=True)
    with transaction.atomic():
        record(actor=admin, action="test.note", target=kirkuk,
               data={"name": "كركوك", "z": [3, 1, 2], "a": {"y": 1.5, "b": None, "t": True}})
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    return events


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes are committed, so another process can read them (the
    root conftest lifts the audit triggers for pytest-django's flush afterwards)."""
    return


# --- Actions write events ---------------------------------------------------------------

def test_creating_a_user_writes_one_event_with_actor_action_and_data(election):
    kirkuk = Governorate.objects.get(code="IQ-KI")
    admin = accounts.create_user(actor=None, username="root", password="x" * 12,
                                 role=Role.ADMIN)
    before = head()
    assert before.action == "accounts.create_user"
    assert (before.actor_id, before.actor_username) == (None, "system")

    clerk = accounts.create_user(actor=admin, username="kirkuk.clerk", password="x" * 12,
                                 role=Role.CLERK, governorate=kirkuk, full_name="Clerk")

    new = list(AuditEvent.objects.filter(seq__gt=before.seq))
    assert len(new) == 1
    written = new[0]
    assert written.seq == before.seq + 1
    assert written.prev_hash == before.hash
    assert (written.actor_id, written.actor_username) == (admin.pk, "root")
    assert written.action == "accounts.create_user"
    assert (written.object_type, written.object_id) == ("accounts.user", str(clerk.pk))
    assert written.data == {"username": "kirkuk.clerk", "role": "clerk",
                            "governorate": "IQ-KI"}
    assert "password" not in json.dumps(written.data)
    # Format 2: the hash covers the event with its personal values committed to, so
    # that the hashed form can be published without the names in it.
    fields = {name: getattr(written, name) for name in ledger.HASHED_FIELDS}
    form = ledger.hashed_form(as_hashed(fields), version=2, salt=written.salt)
    assert written.version == 2
    assert written.hash == ledger.event_hash(form)
    assert form["actor_username"] == ledger.commitment(written.salt, "actor_username", "root")
    assert form["data"]["username"] == ledger.commitment(written.salt, "data.username",
                                                         "kirkuk.clerk")
    assert form["data"]["role"] == "clerk"
    assert "root" not in json.dumps(form)
    assert "kirkuk.clerk" not in json.dumps(form)


def test_a_refused_action_writes_no_event(election):
    before = AuditEvent.objects.count()
    with pytest.raises(accounts.RoleScopeError):
        accounts.create_user(actor=None, username="nowhere", password="x" * 12,
                             role=Role.CLERK)
    assert AuditEvent.objects.count() == before


def test_an_action_that_fails_after_recording_leaves_neither_change_nor_event(
        committed_db, election, monkeypatch):
    """The change and its event commit together or not at all."""
    before = AuditEvent.objects.count()

    def record_then_fail(**kwargs):
        record(**kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(accounts, "record", record_then_fail)
    with pytest.raises(RuntimeError, match="disk is full"):
        accounts.create_user(actor=None, username="half", password="x" * 12,
                             role=Role.AUDITOR)
    assert AuditEvent.objects.count() == before
    assert not accounts.User.objects.filter(username="half").exists()


def test_recording_outside_a_transaction_is_refused(committed_db):
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record(actor=None, action="test.loose")
    assert not AuditEvent.objects.exists()


# --- Verify: an honest chain ------------------------------------------------------------

def test_verify_passes_on_an_empty_log(db, verify):
    assert_intact(verify(), 0)


def test_verify_passes_on_an_honest_chain_and_prints_the_head(chain, verify, client):
    result = verify()
    assert_intact(result, 6)
    # The head it prints is the one the public pages show, for anyone to pin.
    assert chain[-1].hash in client.get("/audit/").content.decode()
    assert client.get("/api/audit/head").json()["hash"] == chain[-1].hash
    assert_intact(verify("--pinned", chain[-1].hash), 6)
    assert_intact(verify("--pinned", chain[2].hash), 6)  # an older head, still in the chain


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    """The environment that points a separate ``shafaf`` process at the test database."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        auth = f"{user}:{settings['PASSWORD']}" if settings["PASSWORD"] else user
        url = (f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:"
               f"{settings['PORT'] or 5432}/{settings['NAME']}")
    elif connection.vendor == "sqlite":
        # The SQLite test database lives in this process's memory: hand the other
        # process an exact copy, taken with SQLite's online backup.
        copy = tmp_path / "audit-copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        url = f"sqlite:///{copy}"
    else:
        pytest.skip(f"no way to hand a {connection.vendor} test database to a subprocess")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.test",
           "DATABASE_URL": url}
    env.pop("SHAFAF_ENV", None)
    return env


def _run_verify_process(tmp_path: Path, *extra: str) -> Verify:
    done = subprocess.run([sys.executable, "-m", "shafaf", "audit", "verify", *extra],
                          capture_output=True, env=_subprocess_env(tmp_path), cwd=ROOT,
                          check=False, timeout=120)
    return Verify(done.returncode, done.stdout.decode(), done.stderr.decode())


def test_verify_as_a_real_process_passes_then_fails_on_tampering(committed_db, chain,
                                                                  tmp_path):
    honest = _run_verify_process(tmp_path, "--pinned", chain[-1].hash)
    assert_intact(honest, 6)

    with triggers_off():
        sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 4", ["someone.else"])  # noqa: S608
    tampered = _run_verify_process(tmp_path)
    assert_broken_at(tampered, 4, "altered", chain[2].hash)


# --- Verify: a tampered chain -----------------------------------------------------------

def test_altering_an_events_data_is_caught(chain, verify):
    with triggers_off():
        changed = sql(f"UPDATE {TABLE} SET data = %s WHERE seq = 4",  # noqa: S608
                      [json.dumps({"username": "kirkuk.clerk", "role": "admin",
                                   "governorate": None})])
    assert changed == 1
    assert event(4).data["role"] == "admin"
    assert_broken_at(verify(), 4, "its content was altered", chain[2].hash)


@pytest.mark.parametrize(("column", "value"), [
    ("actor_username", "root2"),
    ("actor_id", None),
    ("action", "accounts.create_user"),
    ("object_id", "1"),
])
def test_altering_any_other_recorded_field_is_caught(chain, verify, column, value):
    with triggers_off():
        sql(f"UPDATE {TABLE} SET {column} = %s WHERE seq = 5", [value])  # noqa: S608
    assert_broken_at(verify(), 5, "altered", chain[3].hash)


def test_altering_an_events_time_is_caught(chain, verify):
    earlier = connection.ops.adapt_datetimefield_value(chain[2].at - timedelta(days=1))
    with triggers_off():
        sql(f"UPDATE {TABLE} SET at = %s WHERE seq = 3", [earlier])  # noqa: S608
    assert_broken_at(verify(), 3, "altered", chain[1].hash)


def test_altering_an_event_and_resealing_its_hash_breaks_the_next_link(chain, verify):
    """Recomputing the altered event's own hash does not help: the next event still
    points to the old one."""
    original = {name: getattr(chain[2], name) for name in ledger.HASHED_FIELDS}
    altered = {**original, "data": {**original["data"], "role": "auditor"}}
    with triggers_off():
        sql(f"UPDATE {TABLE} SET data = %s, hash = %s WHERE seq = 3",  # noqa: S608
            [json.dumps(altered["data"]), resealed(chain[2], altered)])
    assert_broken_at(verify(), 4, "does not point to the hash", event(3).hash)


def test_deleting_an_event_is_caught(chain, verify):
    with triggers_off():
        assert sql(f"DELETE FROM {TABLE} WHERE seq = 3") == 1  # noqa: S608
    assert_broken_at(verify(), 3, "missing", chain[1].hash)


def test_deleting_the_first_event_is_caught(chain, verify):
    with triggers_off():
        sql(f"DELETE FROM {TABLE} WHERE seq = 1")  # noqa: S608
    assert_broken_at(verify(), 1, "missing", ledger.GENESIS)


def test_a_forged_event_appended_with_a_wrong_link_is_caught(chain, verify):
    """A forged event with the next sequence number but pointing elsewhere (here, to an
    earlier event, as if the events between had never happened)."""
    insert_raw(**forged(seq=7, prev_hash=chain[2].hash))
    assert_broken_at(verify(), 7, "does not point to the hash", chain[-1].hash)


def test_a_forged_event_that_skips_a_sequence_number_is_caught(chain, verify):
    insert_raw(**forged(seq=8, prev_hash=chain[-1].hash))
    assert_broken_at(verify(), 7, "missing or was inserted", chain[-1].hash)


def test_a_forged_event_reusing_a_sequence_number_is_refused(chain):
    """Two events cannot claim one place in the chain: the unique index refuses it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_raw(**forged(seq=4, prev_hash=chain[2].hash))
    assert AuditEvent.objects.filter(seq=4).get().hash == chain[3].hash


def test_a_forged_event_inserted_in_the_middle_by_renumbering_is_caught(chain, verify):
    """Shift events 4..6 up by one to make room, then slip a well-formed event in at 4
    that links correctly to 3. The forgery itself is self-consistent; the first event
    that proves it is the shifted one after it."""
    with triggers_off():
        for seq in (6, 5, 4):  # from the top, so the unique index never collides
            sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [seq + 1, seq])  # noqa: S608
    insert_raw(**forged(seq=4, prev_hash=chain[2].hash))
    assert_broken_at(verify(), 5, "does not point to the hash", event(4).hash)


def test_shifting_an_events_sequence_number_is_caught(chain, verify):
    """Renumbering alone (6 → 7): a gap at 6."""
    with triggers_off():
        sql(f"UPDATE {TABLE} SET seq = 7 WHERE seq = 6")  # noqa: S608
    assert_broken_at(verify(), 6, "missing or was inserted", chain[4].hash)


def test_swapping_two_events_is_caught(chain, verify):
    with triggers_off():
        sql(f"UPDATE {TABLE} SET seq = 100 WHERE seq = 4")  # noqa: S608
        sql(f"UPDATE {TABLE} SET seq = 4 WHERE seq = 5")  # noqa: S608
        sql(f"UPDATE {TABLE} SET seq = 5 WHERE seq = 100")  # noqa: S608
    assert_broken_at(verify(), 4, "does not point to the hash", chain[2].hash)


def test_removing_the_newest_event_is_caught_only_with_a_pinned_head(chain, verify):
    pinned = chain[-1].hash
    with triggers_off():
        sql(f"DELETE FROM {TABLE} WHERE seq = 6")  # noqa: S608
    # Without a pin the shortened chain is consistent: that is what pinning is for.
    assert_intact(verify(), 5)
    assert_broken_at(verify("--pinned", pinned), 6, "pinned hash is no longer in the chain",
                     chain[4].hash)


def test_rewriting_the_newest_event_is_caught_only_with_a_pinned_head(chain, verify):
    pinned = chain[-1].hash
    original = {name: getattr(chain[-1], name) for name in ledger.HASHED_FIELDS}
    altered = {**original, "data": {"name": "البصرة"}}
    with triggers_off():
        sql(f"UPDATE {TABLE} SET data = %s, hash = %s WHERE seq = 6",  # noqa: S608
            [json.dumps(altered["data"]), resealed(chain[-1], altered)])
    assert_intact(verify(), 6)
    result = verify("--pinned", pinned)
    assert result.status == 1
    assert "pinned hash is no longer in the chain" in result.err


# --- Append-only -------------------------------------------------------------------------

def _refused(statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(statement)


def test_the_database_refuses_raw_update_and_delete(chain, verify):
    _refused(f"UPDATE {TABLE} SET data = '{{}}' WHERE seq = 3")  # noqa: S608
    _refused(f"UPDATE {TABLE} SET seq = seq + 100")  # noqa: S608
    _refused(f"DELETE FROM {TABLE} WHERE seq = 6")  # noqa: S608
    _refused(f"DELETE FROM {TABLE}")  # noqa: S608
    if connection.vendor == "postgresql":
        _refused(f"TRUNCATE {TABLE}")
    assert [e.hash for e in AuditEvent.objects.order_by("seq")] == [e.hash for e in chain]
    assert_intact(verify("--pinned", chain[-1].hash), 6)


def test_the_model_refuses_to_change_or_delete_an_event(chain):
    stored = event(3)
    stored.data = {"role": "observer"}
    with pytest.raises(AppendOnly):
        stored.save()
    with pytest.raises(AppendOnly):
        stored.delete()
    assert event(3).data == chain[2].data


def test_bulk_orm_update_and_delete_are_refused_by_the_database(chain):
    """QuerySet.update() and .delete() never call the model's save() or delete(): only
    the triggers stand in their way."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=4).update(actor_username="someone")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=6).delete()
    assert AuditEvent.objects.count() == 6
    assert event(4).actor_username == "root"


# --- Signed checkpoints ---------------------------------------------------------------------

CHECKPOINTS = "audit_auditcheckpoint"


def rehash_from(seq: int) -> None:
    """An insider's rewrite: recompute every hash and link from ``seq`` on, so that the
    chain is consistent again on its own."""
    previous = event(seq - 1).hash if seq > 1 else ledger.GENESIS
    with triggers_off():
        for stored in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            fields = {name: getattr(stored, name) for name in ledger.HASHED_FIELDS}
            fields["prev_hash"] = previous
            new_hash = resealed(stored, fields)
            sql(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE seq = %s",  # noqa: S608
                [previous, new_hash, stored.seq])
            previous = new_hash


def test_a_checkpoint_signs_the_head_and_verify_says_so(chain, verify, capsys):
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Checkpoint #1: event 6, head {chain[-1].hash}, signed ")
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.number, checkpoint.seq, checkpoint.hash) == (1, 6, chain[-1].hash)
    text = checkpoints.message(number=1, seq=6, hash=chain[-1].hash,
                               at=checkpoint.at.astimezone(UTC).isoformat())
    assert signatures.valid(keys.public_key(), text, checkpoint.signature)
    # Nothing new to sign: no second checkpoint.
    assert take_checkpoint().number == 1
    result = verify()
    assert result.status == 0, result.err
    assert result.out.startswith("The audit chain is intact up to checkpoint #1 (event 6, ")
    assert result.out.rstrip().endswith(f"6 events, head {chain[-1].hash}")


@pytest.mark.parametrize("removed", [1, 3, 6])
def test_removing_the_newest_events_after_a_checkpoint_is_caught_without_a_pin(
        chain, verify, removed):
    """The attack the issue reports: delete the last events (or all of them) and the
    chain alone is still consistent; the signed checkpoint is not."""
    take_checkpoint()
    with triggers_off():
        sql(f"DELETE FROM {TABLE} WHERE seq > %s", [6 - removed])  # noqa: S608
    result = verify()
    assert result.status == 1
    assert result.err.startswith(f"The audit chain is BROKEN at event {7 - removed}: the "
                                 "chain ends before the events a signed checkpoint covers")
    assert f"Signed checkpoint #1 covers event 6 with hash {chain[-1].hash}." in result.err


def test_rewriting_and_rehashing_the_chain_after_a_checkpoint_is_caught(chain, verify):
    take_checkpoint()
    original = {name: getattr(chain[3], name) for name in ledger.HASHED_FIELDS}
    with triggers_off():
        sql(f"UPDATE {TABLE} SET data = %s WHERE seq = 4",  # noqa: S608
            [json.dumps({**original["data"], "role": "admin"})])
    rehash_from(4)
    # Without the checkpoint nothing would show it:
    assert ledger.verify(selectors.chain()).broken is None
    result = verify()
    assert result.status == 1
    assert result.err.startswith("The audit chain is BROKEN at event 6: its hash is not the one "
                                 "a signed checkpoint gives it: the chain was rewritten.")


def test_rewriting_events_and_forging_the_checkpoint_is_caught_by_the_signature(chain, verify):
    """An insider without the commission's key cannot re-sign the new head."""
    take_checkpoint()
    with triggers_off():
        sql(f"UPDATE {TABLE} SET object_id = %s WHERE seq = 2", ["999"])  # noqa: S608
    rehash_from(2)
    assert event(6).hash != chain[-1].hash
    checkpoint = AuditCheckpoint.objects.get()
    with triggers_off():
        sql(f"UPDATE {CHECKPOINTS} SET hash = %s WHERE number = 1",  # noqa: S608
            [event(6).hash])
    result = verify()
    assert result.status == 1
    assert result.err.startswith("Signed checkpoint #1 is NOT VALID: its signature is wrong")
    # And a checkpoint signed with another key (the insider's own) is not the
    # commission's:
    other = signatures.generate()
    at = checkpoint.at.astimezone(UTC).isoformat()
    with triggers_off():
        sql(f"UPDATE {CHECKPOINTS} SET key_id = %s, signature = %s WHERE number = 1",  # noqa: S608
            [signatures.key_id(signatures.public_text(other)),
             signatures.sign(other, checkpoints.message(number=1, seq=6, hash=event(6).hash,
                                                        at=at))])
    result = verify()
    assert result.status == 1
    assert "is not the commission's published key" in result.err


def test_a_forged_checkpoint_appended_by_an_insider_is_caught(chain, verify):
    take_checkpoint()
    later = AuditCheckpoint.objects.get()
    forged_at = connection.ops.adapt_datetimefield_value(later.at)
    sql(f"INSERT INTO {CHECKPOINTS} (number, seq, hash, at, key_id, signature) "  # noqa: S608
        "VALUES (2, 6, %s, %s, %s, %s)", [later.hash, forged_at, later.key_id, "AAAA"])
    result = verify()
    assert result.status == 1
    assert "Signed checkpoint #2 is NOT VALID" in result.err


def test_checkpoints_are_append_only_in_the_database(chain):
    take_checkpoint()
    _refused(f"UPDATE {CHECKPOINTS} SET seq = 1")  # noqa: S608
    _refused(f"DELETE FROM {CHECKPOINTS}")  # noqa: S608
    if connection.vendor == "postgresql":
        _refused(f"TRUNCATE {CHECKPOINTS}")
    stored = AuditCheckpoint.objects.get()
    with pytest.raises(AppendOnly):
        stored.save()
    with pytest.raises(AppendOnly):
        stored.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.all().delete()


def test_a_site_without_a_configured_key_in_production_refuses_to_sign(chain, settings,
                                                                       capsys):
    settings.SHAFAF_AUDIT_SIGNING_KEY = None
    settings.SHAFAF_AUDIT_KEY_GENERATE = False
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 2
    assert "SHAFAF_AUDIT_SIGNING_KEY is required" in capsys.readouterr().err
    assert not AuditCheckpoint.objects.exists()


def test_a_configured_key_signs_whether_given_as_a_pem_file_or_a_base64_seed(
        chain, settings, tmp_path):
    key = signatures.generate()
    pem = tmp_path / "commission.pem"
    pem.write_bytes(signatures.private_pem(key))
    settings.SHAFAF_AUDIT_SIGNING_KEY = str(pem)
    assert keys.public_key() == signatures.public_text(key)
    seed = key.private_bytes_raw()
    settings.SHAFAF_AUDIT_SIGNING_KEY = base64.b64encode(seed).decode()
    assert keys.public_key() == signatures.public_text(key)
    assert take_checkpoint().key_id == signatures.key_id(signatures.public_text(key))


def test_a_seed_whose_base64_begins_with_a_slash_is_a_seed_not_a_path(chain, settings):
    """One seed in 64 is written with a leading "/": it is still the seed."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(b"\xfc" + bytes(range(1, 32)))
    settings.SHAFAF_AUDIT_SIGNING_KEY = base64.b64encode(key.private_bytes_raw()).decode()
    assert settings.SHAFAF_AUDIT_SIGNING_KEY.startswith("/")
    assert keys.public_key() == signatures.public_text(key)


# --- --pinned as people paste it -------------------------------------------------------------

def test_a_pin_in_upper_case_with_spaces_is_the_same_pin(chain, verify):
    assert_intact(verify("--pinned", f"  {chain[-1].hash.upper()} "), 6)


@pytest.mark.parametrize("pin", ["abc123", "0" * 63, "g" * 64, "x"])
def test_a_pin_that_is_not_a_full_hash_is_refused_not_reported_as_tampering(chain, verify,
                                                                           pin):
    result = verify("--pinned", pin if pin != "abc123" else chain[-1].hash[:12])
    assert result.status == 2
    assert result.out == ""
    assert "give the full 64-character hash" in result.err
    assert "BROKEN" not in result.err


# --- The public feed ---------------------------------------------------------------------------

def test_anyone_can_recompute_every_hash_from_the_public_feed(chain, client):
    take_checkpoint()
    feed = client.get("/api/audit/feed?limit=4").json()
    assert [e["seq"] for e in feed["events"]] == [1, 2, 3, 4]
    assert feed["next_after"] == 4
    rest = client.get("/api/audit/feed?after=4&limit=4").json()
    assert [e["seq"] for e in rest["events"]] == [5, 6]
    assert rest["next_after"] is None
    published = feed["events"] + rest["events"]
    # The hashed form alone gives every hash and link: no salt, no database.
    assert ledger.verify(published).broken is None
    for entry, stored in zip(published, chain, strict=True):
        assert entry["hash"] == stored.hash
        assert ledger.event_hash(entry) == stored.hash
        assert "salt" not in entry
        assert stored.salt not in json.dumps(entry)
    text = json.dumps(published, ensure_ascii=False)
    for personal in ("root", "kirkuk.clerk"):  # a governorate's name is no one's
        assert personal not in text
    # Staff can open a commitment by giving out that event's salt.
    fifth = published[4]
    assert fifth["actor_username"] == ledger.commitment(chain[4].salt, "actor_username", "root")


def test_the_feed_and_checkpoints_are_bounded_and_refuse_nonsense_with_422(chain, client):
    for query in ("limit=0", "limit=1001", "after=-1", "after=x", f"after={2**63}"):
        for url in ("/api/audit/feed", "/api/audit/checkpoints"):
            assert client.get(f"{url}?{query}").status_code == 422, (url, query)
    # A NUL is refused before the API sees it, like everywhere on the site.
    assert client.get("/api/audit/feed?limit=%00").status_code == 400
    assert client.get("/api/audit/feed?after=100").json() == {"events": [], "next_after": None}


def test_checkpoints_and_key_are_public_and_check_out(chain, client):
    take_checkpoint()
    record_more = accounts.create_user(actor=None, username="late", password="x" * 12,
                                       role=Role.AUDITOR)
    assert record_more.pk
    take_checkpoint()
    key = client.get("/api/audit/key").json()
    assert key["algorithm"] == "Ed25519"
    assert key["public_key"] == keys.public_key()
    assert key["key_id"] == signatures.key_id(key["public_key"])
    listed = client.get("/api/audit/checkpoints").json()
    assert [c["number"] for c in listed["checkpoints"]] == [1, 2]
    assert [c["seq"] for c in listed["checkpoints"]] == [6, 7]
    for row in listed["checkpoints"]:
        assert signatures.valid(key["public_key"], row["signed_text"], row["signature"])
    page = client.get("/audit/").content.decode()
    assert key["public_key"] in page
    assert "#2" in page
    assert "shafaf audit verify --remote http://testserver --key " in page


# --- Verifying a live site from outside -------------------------------------------------------

@pytest.fixture
def remote(live_server, tmp_path, capsys):
    """``shafaf audit verify --remote`` against this test's live server, over HTTP, with
    a state file of its own."""
    state = tmp_path / "audit-remote.json"

    def run(*extra: str) -> Verify:
        capsys.readouterr()
        status = main(["audit", "verify", "--remote", live_server.url, "--state", str(state),
                       *extra])
        captured = capsys.readouterr()
        return Verify(status, captured.out, captured.err)

    run.state = state
    return run


def test_remote_verify_checks_a_live_site_and_proves_the_chain_extends_the_one_seen_before(
        chain, remote, live_server):
    take_checkpoint()
    first = remote("--key", keys.public_key())
    assert first.status == 0, first.err
    assert first.out.startswith(f"The audit chain of {live_server.url} is intact up to "
                                "checkpoint #1 (event 6, ")
    assert f"6 events, head {chain[-1].hash}" in first.out
    seen = json.loads(remote.state.read_text())[live_server.url]
    assert (seen["seq"], seen["hash"]) == (6, chain[-1].hash)

    accounts.create_user(actor=None, username="late", password="x" * 12, role=Role.AUDITOR)
    again = remote()
    assert again.status == 0, again.err
    assert "7 events" in again.out
    assert f"It extends the chain seen on {seen['at']} (event 6, {chain[-1].hash})." in again.out

    # An insider removes the newest event (not yet in any checkpoint): the chain alone
    # and the checkpoint are still consistent, but it no longer extends what was seen.
    seventh = event(7).hash
    with triggers_off():
        sql(f"DELETE FROM {TABLE} WHERE seq = 7")  # noqa: S608
    assert ledger.verify(selectors.chain()).broken is None
    gone = remote()
    assert gone.status == 1
    assert gone.err.startswith(f"The audit chain of {live_server.url} does NOT extend the one "
                               f"seen on ")
    assert f"event 7 with hash {seventh} is no longer in it" in gone.err
    # A failed check leaves the state as it was: the next run fails too.
    assert json.loads(remote.state.read_text())[live_server.url]["hash"] == seventh
    assert remote().status == 1


def test_remote_verify_fails_on_a_site_rewritten_and_rehashed(chain, remote):
    take_checkpoint()
    assert remote().status == 0
    with triggers_off():
        sql(f"UPDATE {TABLE} SET object_id = %s WHERE seq = 3", ["999"])  # noqa: S608
    rehash_from(3)
    result = remote()
    assert result.status == 1
    assert "does NOT extend the one seen on" in result.err


def test_remote_verify_fails_on_a_site_shortened_below_its_checkpoint_first_time_seen(
        chain, remote):
    """Without any state, the signed checkpoint alone proves the deletion."""
    take_checkpoint()
    with triggers_off():
        sql(f"DELETE FROM {TABLE} WHERE seq > 2")  # noqa: S608
    result = remote()
    assert result.status == 1
    assert "is BROKEN at event 3: the chain ends before the events a signed checkpoint " \
        "covers" in result.err


def test_remote_verify_catches_an_altered_event_in_the_feed_and_a_wrong_key(chain, remote):
    take_checkpoint()
    with triggers_off():
        sql(f"UPDATE {TABLE} SET action = %s WHERE seq = 2", ["elections.other"])  # noqa: S608
    result = remote()
    assert result.status == 1
    assert "is BROKEN at event 2: its content was altered" in result.err
    other = signatures.public_text(signatures.generate())
    wrong_key = remote("--key", other)
    assert wrong_key.status == 1
    assert "Signed checkpoint #1" in wrong_key.err
    assert "not the commission's published key" in wrong_key.err


def test_remote_verify_with_a_pin_and_bad_input(chain, remote, capsys):
    assert remote("--pinned", f" {chain[3].hash.upper()} ").status == 0
    assert remote("--pinned", "f" * 64).status == 1
    assert remote("--pinned", chain[3].hash[:10]).status == 2
    assert remote("--key", "not a key").status == 2
    capsys.readouterr()
    assert main(["audit", "verify", "--remote", "ftp://example.org"]) == 2
    assert "is not an http(s) address" in capsys.readouterr().err
    assert main(["audit", "verify", "--remote", "http://127.0.0.1:9"]) == 2
    assert "cannot read http://127.0.0.1:9" in capsys.readouterr().err


# --- Sealing after commit (PostgreSQL) ---------------------------------------------------------

@pytest.fixture
def sealing_after_commit(committed_db, settings):
    """PostgreSQL's way (tests marked postgresql: SQLite seals in the action's
    transaction, one writer at a time)."""
    assert connection.vendor == "postgresql"
    settings.SHAFAF_AUDIT_SEAL_AFTER_COMMIT = True


def _touch(index: int, count: int, errors: list[BaseException]) -> None:
    from django.db import connections

    try:
        kirkuk = Governorate.objects.get(code="IQ-KI")
        for i in range(count):
            with transaction.atomic():
                Governorate.objects.filter(pk=kirkuk.pk).update(name_en=f"Kirkuk {index}.{i}")
                record(actor=None, action="test.touch", target=kirkuk,
                       data={"writer": index, "i": i})
    except BaseException as exc:  # reported by the test
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.postgresql
def test_concurrent_writers_sealed_after_commit_leave_a_gapless_intact_chain(
        sealing_after_commit, election, verify):
    import threading

    from shafaf.audit.actions import seal_pending

    before = AuditEvent.objects.count()
    errors: list[BaseException] = []
    writers = [threading.Thread(target=_touch, args=(n, 25, errors)) for n in range(6)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    seal_pending(wait=True)  # nothing should be left; this only makes sure
    assert AuditEvent.objects.count() == before + 150
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(
        range(1, before + 151))
    assert_intact(verify(), before + 150)
    # Every writer's every action is there, once.
    touched = AuditEvent.objects.filter(action="test.touch")
    assert sorted((e.data["writer"], e.data["i"]) for e in touched) == [
        (n, i) for n in range(6) for i in range(25)]


@pytest.mark.postgresql
def test_an_event_sealed_after_commit_is_atomic_with_its_action(sealing_after_commit, election,
                                                                monkeypatch):
    before = AuditEvent.objects.count()

    def record_then_fail(**kwargs):
        record(**kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(accounts, "record", record_then_fail)
    with pytest.raises(RuntimeError, match="disk is full"):
        accounts.create_user(actor=None, username="half", password="x" * 12,
                             role=Role.AUDITOR)
    assert AuditEvent.objects.count() == before
    monkeypatch.undo()
    user = accounts.create_user(actor=None, username="whole", password="x" * 12,
                                role=Role.AUDITOR)
    written = AuditEvent.objects.get(action="accounts.create_user", object_id=str(user.pk))
    assert written.seq == before + 1  # sealed as soon as the action committed
    assert written.prev_hash == event(before).hash


@pytest.mark.postgresql
def test_an_event_left_unsealed_by_a_crash_is_sealed_by_the_next_checkpoint(
        sealing_after_commit, election, verify, monkeypatch, capsys):
    from shafaf.audit import actions

    # The event commits unsealed with its action; then the process dies before it
    # can seal it.
    monkeypatch.setattr(actions, "seal_pending", lambda **kwargs: 0)
    accounts.create_user(actor=None, username="orphan", password="x" * 12, role=Role.AUDITOR)
    orphan = AuditEvent.objects.get(seq__isnull=True)
    assert orphan.data["username"] == "orphan"
    # The chain verifies without it (it is not in the chain yet), and says so ...
    waiting = verify()
    assert waiting.status == 0
    assert waiting.out.startswith("Events recorded but not yet sealed into the chain (not "
                                  "checked): 1;")
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 0
    orphan = AuditEvent.objects.get(pk=orphan.pk)
    assert orphan.seq == AuditEvent.objects.count()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.hash) == (orphan.seq, orphan.hash)
    result = verify()
    assert result.status == 0
    assert result.out.startswith(f"The audit chain is intact up to checkpoint #1 (event "
                                 f"{orphan.seq}, ")


def test_the_database_lets_an_event_be_sealed_once_and_nothing_else(chain, verify):
    from shafaf.audit import actions

    sealed = head()
    with transaction.atomic():
        pending = AuditEvent.objects.create(at=datetime.now(UTC), actor_username="system",
                                            action="test.pending", data={}, version=2,
                                            salt="00" * 16)
    _refused(f"UPDATE {TABLE} SET action = 'test.other' WHERE id = {pending.pk}")  # noqa: S608
    _refused(f"UPDATE {TABLE} SET seq = {sealed.seq + 1}, prev_hash = '{sealed.hash}', "  # noqa: S608
             f"hash = 'x', action = 'test.other' WHERE id = {pending.pk}")
    _refused(f"DELETE FROM {TABLE} WHERE id = {pending.pk}")  # noqa: S608
    assert actions.seal_pending(wait=True) == 1
    resealed_row = AuditEvent.objects.get(pk=pending.pk)
    assert resealed_row.seq == sealed.seq + 1
    _refused(f"UPDATE {TABLE} SET seq = NULL, prev_hash = NULL, hash = NULL "  # noqa: S608
             f"WHERE id = {pending.pk}")
    _refused(f"UPDATE {TABLE} SET hash = 'y' WHERE id = {pending.pk}")  # noqa: S608
    assert_intact(verify(), 7)
    # Sealed, the next event links to it, on either way of sealing.
    accounts.create_user(actor=None, username="after", password="x" * 12, role=Role.AUDITOR)
    assert event(8).prev_hash == resealed_row.hash
    assert_intact(verify(), 8)


def test_without_a_configured_key_the_key_endpoint_is_404_and_verify_says_why(
        chain, settings, client, verify):
    take_checkpoint()
    settings.SHAFAF_AUDIT_SIGNING_KEY = None
    settings.SHAFAF_AUDIT_KEY_GENERATE = False
    assert client.get("/api/audit/key").status_code == 404
    page = client.get("/audit/")
    assert page.status_code == 200
    assert "لم يُضبط مفتاح توقيع بعد" in page.content.decode()  # Arabic, the default
    result = verify()
    assert result.status == 2
    assert "SHAFAF_AUDIT_SIGNING_KEY is required" in result.err


def test_the_staff_log_shows_an_event_waiting_to_be_sealed(chain, client, users):
    with transaction.atomic():
        AuditEvent.objects.create(at=datetime.now(UTC), actor_username="system",
                                  action="test.waiting", data={}, version=2, salt="00" * 16)
    client.force_login(users[Role.ADMIN])
    assert "test.waiting" in client.get("/staff/audit/").content.decode()
    listed = client.get("/api/audit/events").json()
    assert any(item["action"] == "test.waiting" and item["seq"] is None
               for item in listed["items"])


@pytest.mark.parametrize(("column", "value"), [
    ("salt", None), ("salt", "zz"), ("salt", "11" * 16), ("version", 1), ("version", 7),
    ("version", None),
])
def test_tampering_with_an_events_format_or_salt_is_caught_not_a_crash(chain, verify, client,
                                                                       column, value):
    with triggers_off():
        sql(f"UPDATE {TABLE} SET {column} = %s WHERE seq = 4", [value])  # noqa: S608
    assert_broken_at(verify(), 4, "altered", chain[2].hash)
    assert client.get("/api/audit/feed").status_code == 200


def test_an_active_site_signs_a_checkpoint_every_few_minutes_without_cron(
        committed_db, election, settings, monkeypatch):
    from shafaf.audit import actions

    settings.SHAFAF_AUDIT_CHECKPOINT_SECONDS = 300
    monkeypatch.setattr(actions, "_next_due", {})
    accounts.create_user(actor=None, username="first", password="x" * 12, role=Role.AUDITOR)
    first = AuditCheckpoint.objects.get()  # none yet: the first write signs one
    assert (first.seq, first.hash) == (head().seq, head().hash)
    accounts.create_user(actor=None, username="second", password="x" * 12, role=Role.AUDITOR)
    assert AuditCheckpoint.objects.count() == 1  # not due for five minutes
    # Five minutes later (for this process), the next write signs again.
    monkeypatch.setattr(actions, "_next_due", {})
    monkeypatch.setattr(actions, "datetime", _Later)
    accounts.create_user(actor=None, username="third", password="x" * 12, role=Role.AUDITOR)
    assert AuditCheckpoint.objects.count() == 2
    assert AuditCheckpoint.objects.order_by("-number").first().seq == head().seq


class _Later(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + timedelta(minutes=6)
