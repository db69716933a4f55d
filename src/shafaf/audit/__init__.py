"""The tamper-evident audit log: every action's event, chained by SHA-256."""
