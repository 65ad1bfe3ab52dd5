"""The scrobbling settings and names, light enough for the window to import at
start-up (no HTTP client, no credential store: those load on first use)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from player.config import Settings

LISTENBRAINZ = "listenbrainz"
LASTFM = "lastfm"
SERVICES = (LISTENBRAINZ, LASTFM)
NAMES = {LISTENBRAINZ: "ListenBrainz", LASTFM: "Last.fm"}
LISTENBRAINZ_ROOT = "https://api.listenbrainz.org"
LASTFM_ROOT = "https://ws.audioscrobbler.com/2.0/"
LASTFM_AUTH_PAGE = "https://www.last.fm/api/auth/"


@dataclass
class ScrobbleSettings:
    """``"scrobble"`` in the settings file."""

    listenbrainz_url: str = LISTENBRAINZ_ROOT
    lastfm_url: str = LASTFM_ROOT
    lastfm_auth_page: str = LASTFM_AUTH_PAGE
    lastfm_api_key: str = ""
    lastfm_api_secret: str = ""
    radio: bool = False  # scrobble internet radio's titles (30 s heard)
    users: dict[str, str] = field(default_factory=dict)  # service -> name signed in
    sign_in_again: list[str] = field(default_factory=list)  # services whose sign-in expired

    @classmethod
    def of(cls, settings: Settings) -> ScrobbleSettings:
        raw = settings.extra.get("scrobble")
        raw = raw if isinstance(raw, dict) else {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def store(self, settings: Settings) -> None:
        settings.extra["scrobble"] = asdict(self)


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    user: str  # "" when signed out
    sign_in_again: bool
    pending: int
    sent: int
    dropped: int
    last_error: str
