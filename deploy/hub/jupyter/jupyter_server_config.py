"""Jupyter Server settings for EVERY user's server on the department hub (this folder is on JUPYTER_CONFIG_PATH).

nbgitpuller clones wherever a link's ``targetpath`` says, relative to the home or absolute, ``..``
included: a link from a resident could clone into an instructor's ``~/.config/git`` (and run the
resident's git hooks as the instructor on the next pull). The guard confines every pull to the
course folder in the user's own home, from the hub's course repository (spinecourse_pull_guard.py).
"""

import os
import sys

c = get_config()  # noqa: F821 (provided by traitlets)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spinecourse_pull_guard  # noqa: E402

spinecourse_pull_guard.install()
