"""``python -m player.cli``."""

from player.cli import main

raise SystemExit(main())
