"""The personal data in sampling's records (core/personal_data.py). Called from
SamplingConfig.ready()."""


def register_personal_data():
    """Registered by the extract's helper (see docs/sampling.md); nothing yet."""
