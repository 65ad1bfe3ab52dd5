"""``python -m player`` and the bundled app's entry point: the ``kindred`` command."""

import os
import sys

if __name__ == "__main__":
    # First of all: in a frozen app a worker process started with spawn (Windows,
    # macOS, KINDRED_START_METHOD=spawn) or a multiprocessing helper runs this same
    # executable; freeze_support() turns it into that process and never returns.
    import multiprocessing

    multiprocessing.freeze_support()

    # a windowed bundle (Windows' kindred.exe) has no console: print into nothing
    for _name in ("stdout", "stderr"):
        if getattr(sys, _name) is None:
            setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

    from player.cli import main

    raise SystemExit(main())
