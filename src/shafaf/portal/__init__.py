"""Public pages and the staff dashboard."""
