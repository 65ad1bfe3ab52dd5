"""``python -m player`` and the bundled app's entry point: the ``kindred`` command."""

import os
import sys

from player.cli import main

if __name__ == "__main__":
    # a windowed bundle (Windows' kindred.exe) has no console: print into nothing
    for _name in ("stdout", "stderr"):
        if getattr(sys, _name) is None:
            setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    raise SystemExit(main())
