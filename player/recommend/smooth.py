"""Order a list so each track flows into the next: close tempo, compatible key, similar loudness.

A greedy walk from the first track: each step takes the remaining track that
costs least to move to. Tempo compares on a log scale and forgives half and
double time; keys compare on the circle of fifths (Camelot wheel), where the
relative major/minor is a neighbour; loudness in dB. Unknown values cost a
fixed, middling amount so they neither attract nor repel.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TypeVar

from player.recommend.features import NOTE_NAMES

T = TypeVar("T")
UNKNOWN = 0.5

#: (bpm, key, LUFS) of a track; any may be None / "".
Facts = tuple[float | None, str, float | None]


def camelot(key: str) -> tuple[int, bool] | None:
    """(position 0..11 on the wheel, minor) of a key name like "A" or "F#m"."""
    if not key:
        return None
    minor = key.endswith("m")
    name = key[:-1] if minor else key
    name = {"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#"}.get(name, name)
    if name not in NOTE_NAMES:
        return None
    tonic = NOTE_NAMES.index(name)
    if minor:
        tonic = (tonic + 3) % 12  # the relative major shares the wheel position
    return (tonic * 7) % 12, minor


def transition_cost(a: Facts, b: Facts) -> float:
    """How jarring it is to go from a track with facts ``a`` to one with ``b`` (0 = seamless)."""
    cost = 0.0
    if a[0] and b[0]:
        ratio = abs(math.log2(b[0] / a[0]))
        ratio = min(ratio, abs(ratio - 1.0))  # half/double time flows too
        cost += ratio / 0.08  # 8 % apart costs 1
    else:
        cost += UNKNOWN
    ka, kb = camelot(a[1]), camelot(b[1])
    if ka and kb:
        steps = abs(ka[0] - kb[0])
        steps = min(steps, 12 - steps)
        cost += (steps + (0.5 if ka[1] != kb[1] else 0.0)) / 2.0
    else:
        cost += UNKNOWN
    if a[2] is not None and b[2] is not None:
        cost += abs(a[2] - b[2]) / 3.0
    else:
        cost += UNKNOWN
    return cost


def smooth_order(items: Sequence[T], facts: Sequence[Facts]) -> list[T]:
    """``items`` reordered (first kept first) so consecutive ones are compatible."""
    if len(items) <= 2:
        return list(items)
    remaining = list(range(1, len(items)))
    order = [0]
    while remaining:
        last = facts[order[-1]]
        best = min(remaining, key=lambda j: (transition_cost(last, facts[j]), j))
        remaining.remove(best)
        order.append(best)
    return [items[i] for i in order]


def path_cost(facts: Sequence[Facts]) -> float:
    """Total transition cost of playing ``facts`` in order."""
    return sum(transition_cost(a, b) for a, b in itertools.pairwise(facts))
