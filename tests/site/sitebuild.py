"""What the site fixture (tests/site/conftest.py) records for the tests and the summary."""

BUILD_SECONDS: list[float] = []  # the from-scratch build, once per session
BUILT_OFFLINE: list[list[str]] = []  # the network-namespace prefix the build ran under, if any
BUILD_OUTPUT: list[str] = []  # what the build printed (e.g. the launch links it left out)
# The launch configuration the session's build uses: the hub configured, Binder still the placeholder,
# so one build shows both states (a link built correctly; a link left out, and the build saying so).
LAUNCH_ENV = {
    "SPINECOURSE_HUB_URL": "https://hub.test.invalid",
    "SPINECOURSE_HUB_COURSE_REPO": "https://git.test.invalid/spinecourse.git",
    "SPINECOURSE_HUB_BRANCH": "main",
    "SPINECOURSE_HUB_FOLDER": "stem-cells-course",
    "SPINECOURSE_REPO_URL": "https://github.com/OWNER/REPO",
}
