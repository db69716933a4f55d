"""The Django project: settings by environment, URLs, the WSGI entry point."""
