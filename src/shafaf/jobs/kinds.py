"""The kinds of job: each app registers its own (in ``AppConfig.ready``) with the
function that does the work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int], None]
"""(units done, units in all: 0 while unknown)."""


@dataclass(frozen=True)
class Outcome:
    """What a finished job says: its summary's lines and, if any, where to go next."""

    lines: list[str]
    link: str = ""
    data: dict[str, Any] = field(default_factory=dict)


Work = Callable[[dict[str, Any], int | None, Progress], Outcome]
"""The work of a kind: (the job's parameters, the id of the user who asked, progress)."""

_KINDS: dict[str, Work] = {}


def register(kind: str, work: Work) -> None:
    _KINDS[kind] = work


def work_of(kind: str) -> Work | None:
    return _KINDS.get(kind)
