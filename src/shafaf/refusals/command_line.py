"""A refusal at the command line: its lines on standard error, and the exit status
that says the command was refused rather than broken."""

from __future__ import annotations

from collections.abc import Callable

from shafaf.refusals.wording import explain

REFUSED = 2
"""The exit status of a refused command (bad input, a step the state does not allow)."""


def exit_status(error: BaseException, *, write: Callable[[str], object]) -> int:
    """Write the refusal's message and details, one a line; return :data:`REFUSED`."""
    for line in explain(error).lines:
        write(line)
    return REFUSED
