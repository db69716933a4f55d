"""Publish once, serve many: public artefacts (ballot specimens now, the results'
snapshots next) are rendered once, when what they show is settled, written to a
directory with their SHA-256, and served from there as files.
docs/decisions/0012-publish-once.md explains the choice."""
