"""What the commands write replaces a file only once written whole, and writes into a
device or pipe instead of renaming onto it (`kompass report … --output /dev/null`, run as
root, once replaced the machine's /dev/null with an ordinary file)."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from kompass.output_files import written_whole


def test_a_file_is_replaced_only_once_written_whole(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with written_whole(target) as partial:
            partial.write_bytes(b"half")
            raise RuntimeError("the render failed")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    with written_whole(target) as partial:
        partial.write_bytes(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_a_pipe_is_written_into_not_replaced(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    with written_whole(pipe) as target:
        target.write_bytes(b"%PDF-1.7")
    reader.join(timeout=10)
    assert received == [b"%PDF-1.7"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
