def pluralize(count, plural="s"):
    return "" if count == 1 else plural


def long_date(value, empty="—"):
    """'17 September 2024', as GOV.UK writes dates; accepts a date or an ISO string."""
    if not value:
        return empty
    if isinstance(value, str):
        import datetime

        value = datetime.date.fromisoformat(value)
    return f"{value:%-d %B %Y}"
