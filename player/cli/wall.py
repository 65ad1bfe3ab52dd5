"""``kindred comments top``: the comment wall, the most liked comments of a period.

Each comment is shown with the song it is on and whether this library holds
that song (the same identity as the For You shelf "Loved in the comments").
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from player.app import open_context
from player.cli.common import EXIT_OK, print_json


def add_top(csub: Any, add_server: Callable[[argparse.ArgumentParser], None]) -> None:
    """``comments top`` (the parser lives with ``comments``)."""
    c = csub.add_parser("top", help="the most liked comments of the week, month or all time")
    c.add_argument("--period", choices=("week", "month", "all"), default="week")
    c.add_argument(
        "-n", type=int, default=10, metavar="N", help="how many (default 10, at most 50)"
    )
    c.add_argument("--json", action="store_true")
    add_server(c)


def cmd_top(args: argparse.Namespace) -> int:
    from player.cli.community import _comment_json, _in_library, _song_text

    with open_context(args.db) as ctx:
        from player.app import make_comments

        social = make_comments(ctx, server=args.server)
        wall = social.client.top_comments(args.period, max(1, min(args.n, 50)))
        owned = _in_library(ctx, social.server, [song for _, song in wall if song is not None])
    items = [(c, song, song is not None and song.id in owned) for c, song in wall]
    if args.json:
        print_json(
            [
                _comment_json(c, song, mine) | {"author": c.author.username if c.author else None}
                for c, song, mine in items
            ]
        )
        return EXIT_OK
    if not items:
        print("No comments on the wall yet.")
    for rank, (c, song, mine) in enumerate(items, 1):
        where = _song_text(song) + (" (in your library)" if mine else "")
        who = c.author.username if c.author else "[deleted]"
        likes = f"{c.like_count} like" + ("" if c.like_count == 1 else "s")
        print(f"{rank}. {where} · {who} · {likes} · #{c.id}")
        print("   " + c.body.replace("\n", "\n   "))
    return EXIT_OK
