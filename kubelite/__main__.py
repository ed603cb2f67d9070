"""`python -m kubelite`: the command line (see `kubelite.cli`)."""

from kubelite.cli.main import main

raise SystemExit(main())
