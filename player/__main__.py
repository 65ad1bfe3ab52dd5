"""``python -m player`` and the bundled app's entry point: the ``kindred`` command."""

if __name__ == "__main__":
    # First of all: in a frozen app a worker process started with spawn (Windows,
    # macOS, KINDRED_START_METHOD=spawn) or a multiprocessing helper runs this same
    # executable; freeze_support() turns it into that process and never returns.
    import multiprocessing

    multiprocessing.freeze_support()

    from player.cli import main

    raise SystemExit(main())
