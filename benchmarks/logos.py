"""How fast, and in how much memory, a logo is refused or accepted at registration.

What it measures, each case in a new Python process (so that its peak memory is its
own): ``shafaf.entities.logos.clean`` on

- hostile files: a PNG of 20,000 × 20,000 pixels (400 MP in a small file), a
  one-pixel PNG whose colour profile inflates to 64 MB, a truncated PNG and a PNG
  signature followed by a web page: each must be refused within 1 s and 100 MB;
- logos accepted: a 4,000 × 4,000 JPEG (16 MP, the pixel limit), a 2,400 × 1,600
  PNG and the costliest one, a 4,000 × 4,000 PNG of 16-bit RGBA (128 MB decoded),
  each decoded, scaled to 1,000 pixels and written again.

Figures: the seconds ``clean`` took and the process's peak resident memory above
what it had before the call (``ru_maxrss``, Linux). Printed against the targets,
never asserted: exit 0 whatever they are, 1 if a hostile file was accepted or a
good one refused.

Run it from the project root::

    .venv/bin/python benchmarks/logos.py
"""

from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import sys
import zlib

TARGET_SECONDS = 1.0
TARGET_MB = 100

CASE = """
import json, sys, time
from pathlib import Path
from shafaf.entities import logos

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])  # kB

content = Path(sys.argv[1]).read_bytes()
Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
before = status("VmRSS")
start = time.perf_counter()
try:
    stored = logos.clean(content)
    outcome = f"accepted ({len(stored) // 1024} KB stored)"
except logos.LogoRefused as refused:
    outcome = refused.code
seconds = time.perf_counter() - start
print(json.dumps({"outcome": outcome, "seconds": seconds,
                  "mb": (status("VmHWM") - before) / 1024}))
"""


def chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width: int, height: int, *, depth: int = 8, colour: int = 2, extra: bytes = b"",
        noise: bool = False) -> bytes:
    channels = {0: 1, 2: 3, 6: 4}[colour]
    size = -(-width * channels * depth // 8)
    rng = random.Random(2023)
    compressor = zlib.compressobj(6)
    rows = (b"\x00" + (rng.randbytes(size) if noise else b"\x00" * size) for _ in range(height))
    data = b"".join(compressor.compress(row) for row in rows) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
            + extra + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def jpeg(width: int, height: int) -> bytes:
    """A logo-like picture: a few flat shapes on white (a photograph would not fit
    in the 512 KB an upload may be)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    green = (0x1f, 0x6f, 0x3a)
    draw.ellipse((width // 8, height // 8, width * 7 // 8, height * 7 // 8), fill=green)
    draw.rectangle((width // 3, height // 3, width * 2 // 3, height * 2 // 3), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    return out.getvalue()


def main() -> int:
    import tempfile
    from pathlib import Path

    good = png(240, 160)
    cases = [
        ("20,000 x 20,000 PNG", png(20_000, 20_000, depth=1, colour=0), False),
        ("colour profile inflating to 64 MB", png(1, 1, extra=chunk(
            b"iCCP", b"icc\x00\x00" + zlib.compress(b"\x00" * 64 * 1024 * 1024, 9))), False),
        ("truncated PNG", good[:len(good) // 2], False),
        ("PNG signature, then HTML", b"\x89PNG\r\n\x1a\n<html></html>", False),
        ("4,000 x 4,000 JPEG (16 MP)", jpeg(4000, 4000), True),
        ("2,400 x 1,600 PNG", png(2400, 1600), True),
        ("4,000 x 4,000 PNG, 16-bit RGBA", png(4000, 4000, depth=16, colour=6), True),
    ]
    failed = False
    print(f"{'case':38} {'file':>9} {'outcome':28} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="shafaf-bench-logos-") as folder:
        for name, content, accept in cases:
            path = Path(folder) / "logo"
            path.write_bytes(content)
            run = subprocess.run([sys.executable, "-c", CASE, str(path)],  # noqa: S603
                                 capture_output=True, text=True, check=True)
            figures = json.loads(run.stdout)
            accepted = figures["outcome"].startswith("accepted")
            failed |= accepted != accept
            over = "" if accept or (figures["seconds"] <= TARGET_SECONDS
                                    and figures["mb"] <= TARGET_MB) else "  over target"
            print(f"{name:38} {len(content) // 1024:>6} KB {figures['outcome']:28} "
                  f"{figures['seconds']:>8.3f} {figures['mb']:>8.1f}{over}")
    print(f"target for hostile files: refused within {TARGET_SECONDS:g} s and {TARGET_MB} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
