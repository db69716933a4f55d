"""Django's static files, less what Shafaf never serves.

Installing django-ninja's app (for Swagger's files, docs/deployment.md) also brings
its copy of ReDoc, 4 MB with its source map, which no page uses: collecting and
compressing it would add most of a minute to every `shafaf serve` start."""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns,  # noqa: RUF012 (Django's own)
                       "redoc.standalone.*"]
