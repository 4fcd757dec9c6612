"""nbgrader settings for EVERY user of the department hub (residents and instructors).

The hub puts this folder on JUPYTER_CONFIG_PATH (deploy/hub/jupyterhub_config.py), so the
Assignments tab, `nbgrader fetch_assignment/submit/fetch_feedback` and the formgrader all see
one course and one exchange. The instructor's own course settings (gradebook, time limit,
feedback preprocessors) are in ~instructor/course/nbgrader_config.py, written by hubsetup.py.
"""
import os
import sys

c = get_config()  # noqa: F821 (provided by traitlets)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # spinecourse_hub_exchange

# One course on this hub. A second course: its own id, its own instructors' course folder.
c.CourseDirectory.course_id = os.environ.get("SPINECOURSE_COURSE_ID", "stem-cells-spinal-stenosis")
# The exchange root: 0777, as nbgrader documents (hubsetup.py makes it). nbgrader creates
# <course_id>/{outbound (0755), inbound (2733: write-only), feedback (0711: traverse-only)}.
c.Exchange.root = os.environ.get("SPINECOURSE_EXCHANGE", "/srv/nbgrader/exchange")
# Submissions carry a random suffix (nbgrader's default) and, with these two classes, belong to
# the resident's private group: a classmate can neither list, guess nor read them.
c.ExchangeFactory.submit = "spinecourse_hub_exchange.PrivateSubmit"
c.ExchangeFactory.release_feedback = "spinecourse_hub_exchange.PrivateReleaseFeedback"
