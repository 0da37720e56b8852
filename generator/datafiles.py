"""The data exports and feeds, written beside the pages while they are rendered: by a forked
process (which shares the dataset rather than copying it), or by the build's own process
where the platform cannot fork."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

from .children import as_child
from .exports import export_files
from .feeds import feed_files
from .i18n import ROOT_LANGUAGE
from .model import Dataset
from .output import Folders
from .sitedir import describe


class DataFilesError(Exception):
    """The data files could not be written; the message says why."""


def write_data_files(
    site_dir: Path,
    dataset: Dataset,
    site_url: str,
    changed: dict,
    title: str,
    exports: bool = True,
    language: str = ROOT_LANGUAGE,
) -> None:
    """The exports (unless `exports` is false: an edition but the first links to the first's)
    and the feeds, in the edition's `language`."""
    if exports:
        _write(site_dir, export_files(dataset, site_url))
    _write(site_dir, feed_files(dataset, site_url, changed=changed, site_title=title, language=language))


def _write(site_dir: Path, files) -> None:
    """Files made one at a time, so they are never all in memory at once."""
    folders = Folders()
    for path, content in files.items():
        folders.write(site_dir / path, content if isinstance(content, bytes) else content.encode("utf-8"))


class DataFiles:
    """Starts writing at once where it can fork; `finish` writes (or waits for) them. Takes
    `write_data_files`' arguments."""

    def __init__(self, *args, **options):
        self.args, self.options, self.process = args, options, None
        if "fork" in multiprocessing.get_all_start_methods():
            # forked at once: each process renders the summaries it needs as it goes, so the
            # build's own process does not render every summary before starting its pages
            context = multiprocessing.get_context("fork")
            self.process = context.Process(
                target=_quietly, args=(os.getpid(), *self.args), kwargs=self.options
            )
            self.process.start()

    def finish(self) -> None:
        if self.process is None:
            write_data_files(*self.args, **self.options)
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise DataFilesError(
                f"the data exports and feeds could not be written (exit {self.process.exitcode})"
            )

    def stop(self) -> None:
        """After a failure elsewhere in the build."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _quietly(parent: int, *args, **options) -> None:
    as_child(parent)
    try:
        write_data_files(*args, **options)
    except OSError as error:  # a full disk: the parent fails the build and says so
        print(f"error: the data exports and feeds: {describe(error)}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # the parent fails the build; no traceback reaches the reader
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
