"""``python -m player`` and the bundled app's entry point: the ``kindred`` command."""

from player.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
