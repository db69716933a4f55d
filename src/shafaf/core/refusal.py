"""One way to refuse (docs/architecture.md, convention 13 of the design).

An action that will not do what it was asked raises :class:`Refused` (or a subclass
named for its area) with a code and the figures a reader needs: the core and the
actions never write the sentence. Each app words its codes in one place; one helper
turns a refusal into a message on a page, a 409 in the API and an exit status at the
command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class Refused(Exception):
    """A step refused. ``code`` says why, as a stable identifier the wording is keyed
    on; ``params`` holds the values its message shows (a limit, a date, a position)."""

    code: str
    params: Mapping[str, object]

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = MappingProxyType(dict(params))

    def __repr__(self) -> str:
        params = "".join(f", {name}={value!r}" for name, value in self.params.items())
        return f"{type(self).__name__}({self.code!r}{params})"


class Hidden(Refused):
    """A refusal that must look like absence: asking for what belongs to someone else
    is answered as if it did not exist (404), so that it tells nothing."""
