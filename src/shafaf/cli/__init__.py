"""The ``shafaf`` command. Commands that need no database run without Django."""
