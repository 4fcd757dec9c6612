"""What the site fixture (tests/site/conftest.py) records for the tests and the summary."""

BUILD_SECONDS: list[float] = []  # the from-scratch build, once per session
BUILT_OFFLINE: list[list[str]] = []  # the network-namespace prefix the build ran under, if any
