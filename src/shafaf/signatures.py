"""Ed25519 signatures: the commission signs, anyone with its public key checks.

Keys are written the way people copy them: a public key as the standard base64 of
its 32 raw bytes; a private key as a PEM file (PKCS#8) or the base64 of its 32-byte
seed. A key's id is the first 16 hex digits of the SHA-256 of the raw public key, so
that a reader can tell which key signed without comparing 44 characters.

No Django here: the command line checks a remote site's signatures with only the
package installed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class BadKey(ValueError):
    """The text given is not an Ed25519 key in any form Shafaf reads."""


def generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_private(text: str) -> Ed25519PrivateKey:
    """A private key from PEM text or the base64 of a 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError) as exc:
            raise BadKey("not a readable PEM private key") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise BadKey("the PEM key is not an Ed25519 key")
        return key
    seed = _base64(text)
    if len(seed) != 32:
        raise BadKey("an Ed25519 seed is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def load_private_setting(value: str) -> Ed25519PrivateKey:
    """The setting's value: a path to a PEM file (or to a file holding a base64
    seed), else the base64 seed itself."""
    path = Path(value).expanduser()
    # A seed's base64 may itself begin with "/" (one in 64 does): a value that is a
    # whole seed and no file is the seed.
    if path.is_file() or (value.startswith(("/", "~", ".")) and not _is_seed(value)):
        try:
            return load_private(path.read_text(encoding="ascii"))
        except OSError as exc:
            raise BadKey(f"cannot read the key file {path}: {exc.strerror}") from exc
    return load_private(value)


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as the base64 of its 32 raw bytes."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public(text: str) -> Ed25519PublicKey:
    raw = _base64(text.strip())
    if len(raw) != 32:
        raise BadKey("an Ed25519 public key is 32 bytes (44 characters of base64)")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(public: str) -> str:
    """The short id of a public key given as text."""
    return hashlib.sha256(_base64(public.strip())).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, message: str) -> str:
    """The base64 signature of ``message`` (UTF-8)."""
    return base64.b64encode(key.sign(message.encode("utf-8"))).decode("ascii")


def valid(public: str, message: str, signature: str) -> bool:
    """Whether ``signature`` (base64) is ``public``'s signature of ``message``."""
    try:
        load_public(public).verify(_base64(signature), message.encode("utf-8"))
    except (BadKey, InvalidSignature):
        return False
    return True


def _is_seed(text: str) -> bool:
    try:
        return len(_base64(text)) == 32
    except BadKey:
        return False


def _base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadKey("not base64") from exc
