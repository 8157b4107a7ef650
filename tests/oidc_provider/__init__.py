"""A real OpenID Connect provider for tests (node's oidc-provider), and Python to drive it.

See fixture.py: start_provider() starts server.mjs, sign_in_at_provider() plays the person on its
login page.
"""
