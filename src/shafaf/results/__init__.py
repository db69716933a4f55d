"""Results: each station's forms, their checks, what is adopted, and running totals
(docs/results.md)."""
