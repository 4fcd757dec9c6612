"""nbgrader in the Kubernetes single-user image: nbexchange instead of a shared exchange folder.

Each user's pod has only its own volume, so the file-system exchange of the one-server hub
(deploy/hub/jupyter/nbgrader_config.py) cannot work; nbexchange is a JupyterHub service that
stores releases, submissions and feedback and hands each user only their own.
"""

import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("SPINECOURSE_COURSE_ID", "stem-cells-spinal-stenosis")
c.Exchange.path_includes_course = True
c.ExchangeFactory.exchange = "nbexchange.plugin.Exchange"
c.ExchangeFactory.fetch_assignment = "nbexchange.plugin.ExchangeFetchAssignment"
c.ExchangeFactory.fetch_feedback = "nbexchange.plugin.ExchangeFetchFeedback"
c.ExchangeFactory.release_assignment = "nbexchange.plugin.ExchangeReleaseAssignment"
c.ExchangeFactory.release_feedback = "nbexchange.plugin.ExchangeReleaseFeedback"
c.ExchangeFactory.list = "nbexchange.plugin.ExchangeList"
c.ExchangeFactory.submit = "nbexchange.plugin.ExchangeSubmit"
c.ExchangeFactory.collect = "nbexchange.plugin.ExchangeCollect"
