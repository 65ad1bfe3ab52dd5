"""A recommendation's reason in the listener's language.

The recommender gives each pick a :class:`~player.recommend.reasons.Why`
(plain data, worded in English for the command line); this words it through
the window's translations, piece by piece, so "similar timbre and tempo to your
liked X; same genre" reads naturally in any language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from player.recommend.reasons import Why


def _audio_word(group: str) -> str:
    words = {
        "timbre": QCoreApplication.translate("ForYouReasons", "timbre"),
        "texture": QCoreApplication.translate("ForYouReasons", "sound texture"),
        "dynamics": QCoreApplication.translate("ForYouReasons", "dynamics"),
        "harmony": QCoreApplication.translate("ForYouReasons", "harmony"),
        "tempo": QCoreApplication.translate("ForYouReasons", "tempo"),
        "space": QCoreApplication.translate("ForYouReasons", "stereo image"),
    }
    return words.get(group, group)


def _tag_word(field: str) -> str:
    words = {
        "artist": QCoreApplication.translate("ForYouReasons", "artist"),
        "genre": QCoreApplication.translate("ForYouReasons", "genre"),
        "era": QCoreApplication.translate("ForYouReasons", "era"),
        "composer": QCoreApplication.translate("ForYouReasons", "composer"),
    }
    return words.get(field, field)


def _both(words: list[str]) -> str:
    """ "a", "a and b", "a and b and c"."""
    text = words[0] if words else ""
    for word in words[1:]:
        text = QCoreApplication.translate("ForYouReasons", "{first} and {second}").format(
            first=text, second=word
        )
    return text


def _reference(why: Why) -> str:
    track = why.ref_title
    if why.ref_artist:
        track = QCoreApplication.translate("ForYouShelves", "{title} by {artist}").format(
            title=why.ref_title, artist=why.ref_artist
        )
    forms = {
        "your": QCoreApplication.translate("ForYouReasons", "your {track}"),
        "seed": QCoreApplication.translate("ForYouReasons", "your seed {track}"),
        "liked": QCoreApplication.translate("ForYouReasons", "your liked {track}"),
        "finished": QCoreApplication.translate("ForYouReasons", "the finished {track}"),
        "favourite": QCoreApplication.translate("ForYouReasons", "your favourite {track}"),
        "mix": QCoreApplication.translate("ForYouReasons", "{track} (also in this mix)"),
    }
    return forms.get(why.ref_kind, "{track}").format(track=track)


def reason_text(why: Why) -> str:
    """``why`` worded for the window."""
    if why.kind == "favourite":
        if why.liked:
            return QCoreApplication.translate("ForYouReasons", "a favourite: you liked it")
        if why.rating:
            return QCoreApplication.translate(
                "ForYouReasons", "a favourite: you rated it {stars} of 5"
            ).format(stars=QLocale().toString(why.rating))
        if why.days:
            return QCoreApplication.translate(
                "ForYouReasons", "a favourite: you played it through on {days} days"
            ).format(days=QLocale().toString(why.days))
        if why.times == 1:
            return QCoreApplication.translate("ForYouReasons", "a favourite: you finished it once")
        return QCoreApplication.translate(
            "ForYouReasons", "a favourite: you finished it {count} times"
        ).format(count=QLocale().toString(why.times))
    if why.kind == "new":
        return QCoreApplication.translate("ForYouReasons", "something you have not heard yet")
    if why.kind == "library":
        return QCoreApplication.translate("ForYouReasons", "from your library")
    if why.kind in ("album", "artist", "genre"):
        return _fresh_text(why)
    ref = _reference(why)
    parts = []
    if why.audio:
        sounds = _both([_audio_word(g) for g in why.audio])
        parts.append(
            QCoreApplication.translate("ForYouReasons", "similar {sounds} to {track}").format(
                sounds=sounds, track=ref
            )
        )
    if why.tags:
        fields = _both([_tag_word(f) for f in why.tags])
        if parts:
            parts.append(
                QCoreApplication.translate("ForYouReasons", "same {fields}").format(fields=fields)
            )
        else:
            parts.append(
                QCoreApplication.translate("ForYouReasons", "same {fields} as {track}").format(
                    fields=fields, track=ref
                )
            )
    if not parts:
        return QCoreApplication.translate("ForYouReasons", "sounds close to {track}").format(
            track=ref
        )
    text = parts[0]
    for part in parts[1:]:
        text = QCoreApplication.translate("ForYouReasons", "{first}; {then}").format(
            first=text, then=part
        )
    return text


def _fresh_text(why: Why) -> str:
    """A pick of a mix with no taste behind it: its album, artist or genre and decade."""
    if why.kind == "album":
        if why.ref_artist:
            return QCoreApplication.translate(
                "ForYouReasons", "from {album} by {artist}, an album you have not opened yet"
            ).format(album=why.album, artist=why.ref_artist)
        return QCoreApplication.translate(
            "ForYouReasons", "from {album}, an album you have not opened yet"
        ).format(album=why.album)
    if why.kind == "artist":
        return QCoreApplication.translate(
            "ForYouReasons", "{artist}, an artist you have not played yet"
        ).format(artist=why.ref_artist)
    if why.genre and why.decade:
        return QCoreApplication.translate("ForYouReasons", "{genre} from the {decade}s").format(
            genre=why.genre, decade=why.decade
        )
    if why.genre:
        return why.genre
    return QCoreApplication.translate("ForYouReasons", "from the {decade}s").format(
        decade=why.decade
    )
