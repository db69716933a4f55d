"""One way to refuse, on every edge: the wording of refusals, which each app
registers for its own kinds, and the one helper that turns a refusal into a
message on a page (:mod:`.pages`), a 404/409 in the API and an exit status at the
command line. It sits below every app and imports none of them."""

from shafaf.refusals.wording import Detail, Explanation, explain, explains, words

__all__ = ["Detail", "Explanation", "explain", "explains", "words"]
