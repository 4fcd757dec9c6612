"""The course reaches each user the way hubs do it (nbgitpuller), and updates keep the learner's edits."""

from __future__ import annotations

import pwd
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from hubkit import ROOT, hubsetup

LEARNER = "hubtr3"
EDITED = "01_stenosis_anatomy.ipynb"
CHANGED = "02_standard_care.ipynb"
NOTE = "My note (hubtr3): ask about the 10 mm cut-point in journal club."
UPDATE = "Course update: a new reading list for this module."


def check_server_opens_at_start_page(hub) -> None:
    """The spawner's default URL is the nbgitpuller link that ends at the start page."""
    import urllib.request

    req = urllib.request.Request(f"{hub.url}/user/{LEARNER}/", headers={"Authorization": f"token {hub.token}"})
    with urllib.request.urlopen(req, timeout=60) as response:
        landed = urllib.parse.unquote(response.geturl())
    assert "/git-pull?" in landed, landed
    query = urllib.parse.parse_qs(urllib.parse.urlparse(landed).query)
    assert query["urlpath"] == [f"lab/tree/{hubsetup.COURSE_FOLDER}/{hubsetup.START_PAGE}"], query
    assert query["repo"][0].startswith("git://127.0.0.1:"), query


@pytest.fixture(scope="module")
def learner_server(hub):
    """LEARNER's server, started once for this module (both tests use it); the real course is republished after."""
    assert not hub.user(LEARNER)["servers"]
    hub.start(LEARNER)
    try:
        yield f"git://127.0.0.1:{hub.env['SPINECOURSE_GIT_PORT']}/course.git"
    finally:
        hub.stop(LEARNER)
        hubsetup.publish_course(hub.state)  # back to the real course for the other tests


def test_server_opens_at_start_page_and_pull_keeps_learner_edit(hub, learner_server):
    repo = learner_server
    check_server_opens_at_start_page(hub)
    hub.pull_course(LEARNER, repo)
    path = f"{hubsetup.COURSE_FOLDER}/{EDITED}"
    nb = hub.get_notebook(LEARNER, path)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(NOTE))
    hub.put_notebook(LEARNER, path, nb)

    # The course team publishes a change to another lesson (a copy of course/ stands in for the new release).
    work = Path(tempfile.mkdtemp(prefix="course-update-"))
    try:
        shutil.copytree(ROOT / "course", work / "course")
        changed = nbformat.read(work / "course" / CHANGED, as_version=4)
        changed.cells.append(nbformat.v4.new_markdown_cell(UPDATE))
        nbformat.write(changed, work / "course" / CHANGED)
        (work / "course" / "NEW_IN_THIS_RELEASE.md").write_text(UPDATE + "\n")
        hubsetup.publish_course(hub.state, work / "course")
    finally:
        shutil.rmtree(work)

    hub.pull_course(LEARNER, repo)
    kept = hub.get_notebook(LEARNER, path)
    assert any(NOTE in c.source for c in kept.cells), "the pull overwrote the learner's note"
    updated = hub.get_notebook(LEARNER, f"{hubsetup.COURSE_FOLDER}/{CHANGED}")
    assert any(UPDATE in c.source for c in updated.cells), "the course update did not arrive"
    listing = hub.server_api(LEARNER, "GET", f"api/contents/{hubsetup.COURSE_FOLDER}")
    assert "NEW_IN_THIS_RELEASE.md" in {f["name"] for f in listing["content"]}
    home = hub.server_api(LEARNER, "GET", "api/contents/")
    assert "source" not in {f["name"] for f in home["content"]}
    course_files = {f["name"] for f in listing["content"]}
    assert not any("quiz" in n for n in course_files), f"quiz sources were distributed: {course_files}"


def test_course_links_cannot_pull_outside_the_course_folder(hub, learner_server):
    """Issue 19, finding 7: a crafted course link (nbgitpuller ``targetpath`` absolute or with ``..``, or another
    repository) is refused by the server's guard (deploy/hub/jupyter/spinecourse_pull_guard.py); nothing is cloned."""
    home = Path(pwd.getpwnam(LEARNER).pw_dir)
    attacks = [
        (learner_server, str(home / ".config" / "git")),  # absolute: the red team's link into ~/.config/git
        (learner_server, f"../{LEARNER}/.config/git"),  # relative, climbing out of the home
        (learner_server, f"{hubsetup.COURSE_FOLDER}/../.config/git"),
        ("file:///home/hubts2/evil.git", hubsetup.COURSE_FOLDER),  # another repository into the course folder
    ]
    for url, target in attacks:
        query = urllib.parse.urlencode({"repo": url, "branch": "main", "targetpath": target})
        stream = hub.server_api(LEARNER, "GET", f"git-pull/api?{query}", raw=True, timeout=120)
        assert '"phase": "error"' in stream and "refused" in stream, (
            f"{target} from {url} was pulled:\n{stream[-1500:]}"
        )
    assert not (home / ".config" / "git").exists(), "a course link cloned into ~/.config/git"
    hub.pull_course(LEARNER, learner_server)  # the hub's own link still works
    assert (home / hubsetup.COURSE_FOLDER / hubsetup.START_PAGE).is_file()
