"""Settings by environment: ``development`` (the embedded default and the demo),
``test`` and ``production``. Each reads what varies from environment variables."""
