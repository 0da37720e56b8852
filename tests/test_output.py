"""Writing the site's files: exact bytes, a shorter file replacing a longer one, new folders."""

from __future__ import annotations

import os
import stat

from generator.output import Folders, write_file


def test_a_file_holds_exactly_what_was_written_last(tmp_path):
    target = tmp_path / "page.html"
    write_file(target, b"a longer first version\n" * 1000)
    write_file(target, "second, shorter: é\n".encode())
    assert target.read_bytes() == "second, shorter: é\n".encode()


def test_files_get_the_same_permissions_as_with_open(tmp_path):
    write_file(tmp_path / "ours", b"x")
    (tmp_path / "theirs").write_bytes(b"x")
    mode = {name: stat.S_IMODE(os.stat(tmp_path / name).st_mode) for name in ("ours", "theirs")}
    assert mode["ours"] == mode["theirs"]


def test_folders_are_made_as_needed(tmp_path):
    folders = Folders()
    for n in range(3):
        folders.write(tmp_path / "data" / "towns" / f"{n}.csv", b"id\n")
    folders.write(tmp_path / "feed.xml", b"<feed/>")
    assert sorted(p.name for p in (tmp_path / "data" / "towns").iterdir()) == ["0.csv", "1.csv", "2.csv"]
    assert (tmp_path / "feed.xml").read_bytes() == b"<feed/>"
