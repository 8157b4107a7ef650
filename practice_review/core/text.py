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
