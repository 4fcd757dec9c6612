"""nbgrader settings for EVERY user of the department hub (residents and instructors).

The hub puts this folder on JUPYTER_CONFIG_PATH (deploy/hub/jupyterhub_config.py), so the
Assignments tab, `nbgrader fetch_assignment/submit/fetch_feedback` and the formgrader all see
one course and one exchange. The instructor's own course settings (gradebook, time limit,
feedback preprocessors) are in ~instructor/course/nbgrader_config.py, written by hubsetup.py.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets)

# One course on this hub. A second course: its own id, its own instructors' course folder.
c.CourseDirectory.course_id = os.environ.get("SPINECOURSE_COURSE_ID", "stem-cells-spinal-stenosis")
# The exchange root: root-owned, 1777 (sticky: nobody renames or removes what another user made there).
# hubsetup.py makes it and the course folder, owned by the instructor: <course_id>/{outbound 0755,
# inbound 3733 (write-only, sticky), feedback 0711 (traverse-only)}. See deploy/README.md, threat model.
c.Exchange.root = os.environ.get("SPINECOURSE_EXCHANGE", "/srv/nbgrader/exchange")
# The hardened exchange (spinecourse/grading/exchange.py): private submissions and feedback (the
# resident's own group), collect checks each folder's owner against the name it claims, takes the
# server's time (ctime) for lateness, copies regular files only under size caps, and skips (with a
# reason) what it cannot take instead of stopping for the class; release_feedback likewise.
c.ExchangeFactory.submit = "spinecourse.grading.exchange.PrivateSubmit"
c.ExchangeFactory.collect = "spinecourse.grading.exchange.SafeCollect"
c.ExchangeFactory.release_feedback = "spinecourse.grading.exchange.PrivateReleaseFeedback"
