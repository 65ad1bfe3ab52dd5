"""Song identity on the server: aliases, ``POST /songs/resolve`` and comment counts.

A song is an id plus aliases: MusicBrainz recording ID, ISRC, a hash of an
acoustic fingerprint, and the normalised artist + title + rounded duration
(:func:`player.songid.song_key`). A request resolves through its strongest
known alias, and every other alias it carries is attached to that song, so
from then on each of them resolves there too. When its aliases already belong
to two songs, a signed-in request merges them (:mod:`.merge`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from player.songid import song_key

from . import merge, ratelimit
from .apierrors import ApiError
from .auth import ServerState, StateDep, User, ViewerDep
from .clock import now_us
from .models import MAX_ID, CountsOut, ResolveIn, ResolveOut
from .schema import song_aliases, songs

router = APIRouter(tags=["songs"])

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$")
MAX_COUNT_IDS = 500


class _Raced(Exception):
    """Another instance created the same song at the same moment: try again."""


def _printable(text: str) -> str:
    """Tags without control characters (NUL and friends never name a song)."""
    return _CONTROL.sub(" ", text)


def aliases_of(req: ResolveIn) -> list[tuple[str, str]]:
    """The aliases a request carries that the server recognises, strongest first."""
    found: list[tuple[str, str]] = []
    if req.mbid:
        with contextlib.suppress(ValueError):
            found.append(("mbid", str(uuid.UUID(req.mbid.strip()))))
    if req.isrc:
        isrc = re.sub(r"[\s-]", "", req.isrc).upper()
        if _ISRC.match(isrc):
            found.append(("isrc", isrc))
    if req.fingerprint and req.fingerprint.strip():
        digest = hashlib.sha256(req.fingerprint.strip().encode()).hexdigest()
        found.append(("fp", digest))
    if req.artist and req.title:
        key = song_key(_printable(req.artist), _printable(req.title), (req.duration_ms or 0) / 1000)
        if key and len(key) <= 512:
            found.append(("key", key))
    return found


def _named(req: ResolveIn) -> tuple[str, str] | None:
    """The artist and title a request carries, as a listener would read them."""
    artist = " ".join(_printable(req.artist or "").split())[:1000]
    title = " ".join(_printable(req.title or "").split())[:1000]
    return (artist, title) if artist and title else None


def _resolve_once(
    conn: Connection,
    aliases: list[tuple[str, str]],
    create: bool,
    named: tuple[str, str] | None = None,
) -> tuple[int | None, int]:
    rows = conn.execute(
        select(song_aliases.c.kind, song_aliases.c.value, song_aliases.c.song_id).where(
            or_(*(and_(song_aliases.c.kind == k, song_aliases.c.value == v) for k, v in aliases))
        )
    ).all()
    known = {(r.kind, r.value): r.song_id for r in rows}
    song_id = next((known[a] for a in aliases if a in known), None)
    if create and song_id is not None:
        others = {known[a] for a in aliases if a in known}
        if len(others) > 1 and merge.mergeable(conn, sorted(others)):
            song_id = merge.merge_songs(conn, others)
            known = {a: song_id for a in known}
    created = False
    if song_id is None:
        if not create:
            return None, 0
        artist, title = named or (None, None)
        song_id = conn.execute(
            songs.insert()
            .values(created_us=now_us(), comment_count=0, version=0, artist=artist, title=title)
            .returning(songs.c.id)
        ).scalar_one()
        created = True
    elif create and named is not None:  # a song first registered without its tags
        conn.execute(
            songs.update()
            .where(songs.c.id == song_id, songs.c.title.is_(None))
            .values(artist=named[0], title=named[1])
        )
    if create:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        now = now_us()
        for kind, value in aliases:
            if (kind, value) in known:
                continue
            result = conn.execute(
                insert(song_aliases)
                .values(kind=kind, value=value, song_id=song_id, created_us=now)
                .on_conflict_do_nothing()
                .returning(song_aliases.c.song_id)
            ).first()
            if result is None and created:
                raise _Raced
    count = conn.execute(select(songs.c.comment_count).where(songs.c.id == song_id)).scalar_one()
    return song_id, count


def resolve(st: ServerState, req: ResolveIn, user: User | None) -> tuple[int | None, int]:
    """The song a request identifies and its comment count.

    A signed-in ``user`` may create the song and link new aliases (rate-limited);
    anyone else only looks up.
    """
    create = user is not None
    aliases = aliases_of(req)
    if not aliases:
        raise ApiError(
            422,
            "no_identifier",
            "Send an mbid, an isrc, a fingerprint, or an artist and a title.",
        )
    for _attempt in range(5):
        try:
            with st.db.write() if create else st.db.read() as conn:
                if user is not None:
                    ratelimit.hit(conn, st.config, "resolve_user", str(user.id))
                return _resolve_once(conn, aliases, create, _named(req))
        except (_Raced, merge.Raced, IntegrityError):
            continue
    raise ApiError(409, "conflict", "The song changed while resolving it; try again.")


@router.post("/songs/resolve", response_model=ResolveOut)
def resolve_song(
    payload: ResolveIn,
    user: ViewerDep,
    st: StateDep,
) -> JSONResponse:
    """The song id for a recording; signed-in clients register new songs and aliases."""
    song_id, count = resolve(st, payload, user)
    return JSONResponse({"song_id": song_id, "comment_count": count})


@router.get("/songs/counts", response_model=CountsOut)
def comment_counts(
    st: StateDep,
    ids: str = Query(
        max_length=6000,
        pattern=r"^[0-9]{1,10}(,[0-9]{1,10})*$",
        description="Comma-separated song ids (at most 500).",
    ),
) -> JSONResponse:
    """Comment counts for many songs at once (0 for unknown ids)."""
    wanted = list(dict.fromkeys(int(part) for part in ids.split(",")))
    if len(wanted) > MAX_COUNT_IDS:
        raise ApiError(422, "invalid", f"At most {MAX_COUNT_IDS} ids at once.")
    valid = [i for i in wanted if 1 <= i <= MAX_ID]
    counts = dict.fromkeys((str(i) for i in wanted), 0)
    if valid:
        with st.db.read() as conn:
            live = merge.live_song_ids(conn, valid)  # a merged song counts its survivor's
            rows = conn.execute(
                select(songs.c.id, songs.c.comment_count).where(songs.c.id.in_(set(live.values())))
            ).all()
        by_id = {r.id: r.comment_count for r in rows}
        counts.update({str(i): by_id.get(live_id, 0) for i, live_id in live.items()})
    return JSONResponse({"counts": counts})
