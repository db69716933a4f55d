from shafaf.cli.main import main

raise SystemExit(main())
