import datetime


def pluralize(count: int, plural: str = "s") -> str:
    return "" if count == 1 else plural


def long_date(value: datetime.date | str | None, empty: str = "—") -> str:
    """'17 September 2024', as GOV.UK writes dates; accepts a date or an ISO string."""
    if not value:
        return empty
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value:%-d %B %Y}"


def describe_duration(duration: datetime.timedelta) -> str:
    """'30 minutes', '12 hours', '1 hour and 30 minutes': a length of time as a person says it."""
    seconds = int(duration.total_seconds())
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = [
        f"{count} {unit}{pluralize(count)}"
        for count, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second"))
        if count
    ]
    if not parts:
        return "0 seconds"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
