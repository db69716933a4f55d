"""Background jobs: long work (a national import, duplicate detection) run by a
worker process off the request, with its progress on a page (docs/jobs.md)."""
