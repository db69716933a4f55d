"""Finding the apps' static files, less what Shafaf never serves.

Installing django-ninja's app (for Swagger's files, docs/deployment.md) also brings
its copy of ReDoc, 4 MB with its source map, which no page uses: collecting and
compressing it would add most of a minute to every `shafaf serve` start."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.staticfiles import finders

UNUSED = ["redoc.standalone.*"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def list(self, ignore_patterns: Iterable[str] | None) -> Iterable[Any]:
        return super().list([*(ignore_patterns or []), *UNUSED])
