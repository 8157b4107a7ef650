"""Reading settings from the environment: environs, which stops start-up naming the variable
when a value is not of its type, with two habits of deployments kept:

- a blank variable is read as not set (`DEBUG=${DEBUG}` in a compose file or a systemd unit
  leaves it empty), so its default applies rather than a refusal to start;
- spaces around a value are ignored (`DEBUG= true `).
"""

from environs import Env


class Environment(Env):
    # environs reads every variable through this one method (its version is pinned in the
    # locks; tests/unit/test_settings_environment.py proves the behaviour).
    def _get_value(self, env_key, default):  # type: ignore[no-untyped-def]
        value = super()._get_value(env_key, default)
        if isinstance(value, str):
            return value.strip() or default
        return value
