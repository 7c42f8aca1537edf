"""When things happen in `desk demo`: customers write in office hours, agents work theirs.

Each side has an activity level per local hour of the week, in the workspace timezone:
customers mostly 08:00-18:00 on weekdays, a little in the evening and at weekends; agents
fully within the workspace's business hours, barely outside them. Time for each side runs
at its activity level: "5 minutes later" for an agent at 16:58 on a Friday is early Monday
morning, while a 3 a.m. message gets its first reply soon after the team starts. Random
delays are drawn in such active seconds and turned into real times through a cumulative
table (one entry per hour of the window), so a step costs a bisection, not a loop.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from desk.models.workspace import WEEKDAYS, BusinessHours, default_business_hours

HOUR = 3600
DAY = 86400

# Customers' activity by local hour (0-23), 1.0 = the busiest hour of a weekday.
WEEKDAY_CUSTOMERS = (
    0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.7, 0.95, 1.0, 1.0,
    0.8, 0.9, 1.0, 0.95, 0.85, 0.7, 0.35, 0.2, 0.15, 0.12, 0.08, 0.04,
)  # fmt: skip
WEEKEND_CUSTOMERS = (
    0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.1, 0.16, 0.2, 0.2,
    0.19, 0.18, 0.18, 0.17, 0.16, 0.15, 0.13, 0.12, 0.1, 0.08, 0.05, 0.03,
)  # fmt: skip
# Agents: 1.0 in business hours; outside them someone rarely glances at the inbox.
AGENT_EVENING = 0.01  # weekdays 07-09 and 17-21, weekend daytime
AGENT_NIGHT = 0.0002


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _open(hours: BusinessHours, weekday: int, minute: int) -> bool:
    for start, end in hours.get(WEEKDAYS[weekday], []):
        if _minutes(start) <= minute < _minutes(end):
            return True
    return False


def _agent_level(hours: BusinessHours, weekday: int, minute: int) -> float:
    if _open(hours, weekday, minute):
        return 1.0
    hour = minute // 60
    if weekday < 5:
        return AGENT_EVENING if 7 <= hour < 21 else AGENT_NIGHT
    return AGENT_EVENING if 10 <= hour < 18 else AGENT_NIGHT


def reply_delay(rng: random.Random) -> int:
    """Active agent seconds (business hours): minutes mostly, now and then a day or two."""
    bucket = rng.random()
    if bucket < 0.45:
        return rng.randint(60, 1200)
    if bucket < 0.8:
        return rng.randint(1200, 2 * 3600)
    if bucket < 0.95:
        return rng.randint(2 * 3600, 6 * 3600)
    return rng.randint(8 * 3600, 20 * 3600)


def customer_delay(rng: random.Random) -> int:
    """Active customer seconds (a weekday holds about eleven active hours)."""
    bucket = rng.random()
    if bucket < 0.35:
        return rng.randint(300, 3600)
    if bucket < 0.75:
        return rng.randint(3600, 6 * 3600)
    return rng.randint(6 * 3600, 20 * 3600)


class Side:
    """One side's clock: `at(t)` active seconds since the window start, `real(c)` back."""

    def __init__(self, base: float, levels: list[float]) -> None:
        self.base = base
        self.levels = levels
        self.cumulative = [0.0]
        for level in levels:
            self.cumulative.append(self.cumulative[-1] + level * HOUR)

    def at(self, moment: float) -> float:
        index = min(max(int((moment - self.base) // HOUR), 0), len(self.levels) - 1)
        into = moment - self.base - index * HOUR
        return self.cumulative[index] + self.levels[index] * into

    def real(self, active: float) -> float:
        index = min(max(bisect_right(self.cumulative, active) - 1, 0), len(self.levels) - 1)
        into = (active - self.cumulative[index]) / self.levels[index]
        return self.base + index * HOUR + into

    def after(self, moment: float, active_seconds: float) -> float:
        """The real time `active_seconds` of this side's activity after `moment`."""
        return max(self.real(self.at(moment) + active_seconds), moment + 1.0)

    def between(self, rng: random.Random, earliest: float, latest: float) -> float:
        """A moment in [earliest, latest], as likely as this side is active then."""
        low, high = self.at(earliest), self.at(latest)
        return min(max(self.real(low + rng.random() * (high - low)), earliest), latest)


class Calendar:
    """Customers' and agents' clocks around `now`, in the workspace's timezone and hours."""

    def __init__(
        self,
        now: float,
        timezone: str,
        business_hours: BusinessHours,
        days_before: int,
        days_after: int,
    ) -> None:
        self.now = now
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        if not any(business_hours.get(day) for day in WEEKDAYS):
            business_hours = default_business_hours()
        base = float(int(now - days_before * DAY) // HOUR * HOUR)
        customers: list[float] = []
        agents: list[float] = []
        for index in range((days_before + days_after) * 24):
            # The local time half way through each UTC hour (zones with half-hour offsets).
            local = datetime.fromtimestamp(base + index * HOUR + HOUR / 2, self.zone)
            weekday, hour = local.weekday(), local.hour
            customers.append((WEEKDAY_CUSTOMERS if weekday < 5 else WEEKEND_CUSTOMERS)[hour])
            agents.append(_agent_level(business_hours, weekday, hour * 60 + local.minute))
        self.customers = Side(base, customers)
        self.agents = Side(base, agents)

    def local_morning(self, days_ahead: int, hour: int) -> float:
        """`hour`:00 local time on the first weekday at least `days_ahead` days after today
        (local), as a UTC epoch."""
        today = datetime.fromtimestamp(self.now, self.zone).date()
        day = today + timedelta(days=days_ahead)
        day += timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=self.zone)
        return moment.astimezone(UTC).timestamp()
