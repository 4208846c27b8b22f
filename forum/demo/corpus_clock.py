"""When the demo community is active: weekdays more than weekends, recent weeks a little
more than older ones, and mostly during the working day of its customers."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta


def as_utc(now: datetime) -> datetime:
    """``now`` in UTC; raises ValueError when it is naive, since the demo must not guess."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def busy_days(now: datetime, window: int) -> tuple[list[date], list[float]]:
    """The ``window`` calendar days up to ``now``, newest first, with how busy each one is."""
    days = [now.date() - timedelta(days=ago) for ago in range(window)]
    weights = [
        (0.75 + 0.5 * (1 - ago / window)) * (1.0 if day.weekday() < 5 else 0.4)
        for ago, day in enumerate(days)
    ]
    return days, weights


def busy_hour(rng: random.Random) -> float:
    """An hour of the day (UTC, fractional), clustered around the customers' working day."""
    if rng.random() < 0.8:
        return min(max(rng.gauss(14.5, 3.2), 0.0), 23.99)
    return rng.uniform(0.0, 23.99)


def moment_on(day: date, hour: float) -> datetime:
    """The UTC moment ``hour`` hours into ``day``, to the second."""
    return datetime.combine(day, time(), UTC) + timedelta(seconds=round(hour * 3600))
