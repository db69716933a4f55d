"""Shafaf (شفاف, "transparent"): run an election the way Iraq's electoral commission does,
and let civil society check every step of it."""

__version__ = "0.1.0"
