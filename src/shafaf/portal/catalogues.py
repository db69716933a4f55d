"""Translation catalogues are compiled from the committed .po files when the
application starts, so nobody compiles them by hand and no compiled file is
committed. A catalogue is rebuilt only when its source changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polib


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/*.po`` under ``source`` into ``target``;
    return the catalogues written."""
    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        relative = po.relative_to(source).with_suffix(".mo")
        mo = target / relative
        stamp = mo.with_suffix(".sha256")
        digest = hashlib.sha256(po.read_bytes()).hexdigest()
        if mo.exists() and stamp.exists() and stamp.read_text() == digest:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        catalogue = polib.pofile(str(po))
        partial = mo.with_suffix(".mo.tmp")
        catalogue.save_as_mofile(str(partial))
        partial.replace(mo)  # never leave a half-written catalogue for Django to load
        stamp.write_text(digest)
        written.append(mo)
    return written
