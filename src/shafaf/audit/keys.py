"""The commission's checkpoint signing key, from the settings.

``SHAFAF_AUDIT_SIGNING_KEY`` names it (a PEM file's path or a base64 seed). Without
it, outside production (``SHAFAF_AUDIT_KEY_GENERATE``), a key is generated once and
kept in the data directory, readable by its owner only.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shafaf import signatures

GENERATED = "audit-signing-key.pem"

_loaded: dict[str, Ed25519PrivateKey] = {}


def signing_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "SHAFAF_AUDIT_SIGNING_KEY", None)
    if configured:
        source = str(configured)
        if source not in _loaded:
            try:
                _loaded[source] = signatures.load_private_setting(source)
            except signatures.BadKey as exc:
                raise ImproperlyConfigured(f"SHAFAF_AUDIT_SIGNING_KEY: {exc}") from exc
        return _loaded[source]
    if not getattr(settings, "SHAFAF_AUDIT_KEY_GENERATE", False):
        raise ImproperlyConfigured(
            "The environment variable SHAFAF_AUDIT_SIGNING_KEY is required: the commission's "
            "Ed25519 key that signs the audit chain's checkpoints (docs/audit.md)")
    path = Path(settings.DATA_DIR) / GENERATED
    source = str(path)
    if source not in _loaded:
        _loaded[source] = _generated(path)
    return _loaded[source]


def _generated(path: Path) -> Ed25519PrivateKey:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = signatures.generate()
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(signatures.private_pem(key))
    try:
        # A hard link never replaces: two processes starting at once agree on one key.
        os.link(draft, path)
    except FileExistsError:
        return signatures.load_private(path.read_text(encoding="ascii"))
    finally:
        draft.unlink()
    return key


def public_key() -> str:
    """The public key, as published: base64 of its 32 raw bytes."""
    return signatures.public_text(signing_key())


def key_id() -> str:
    return signatures.key_id(public_key())


def known_keys() -> dict[str, str]:
    """Key id → public key of every key whose checkpoints this site accepts."""
    public = public_key()
    return {signatures.key_id(public): public}
