"""Errors of the index package; each message names the bad value and the fix."""


class IndexProblem(Exception):
    """Base class: the index cannot be built or used as it is."""


class SeedError(IndexProblem):
    """The seeds folder is missing, empty, or holds no readable report."""


class ReportReadError(IndexProblem):
    """One report file cannot be read (undecodable, binary or empty); the build skips it."""


class ReportNameError(IndexProblem):
    """A report cannot be added or removed under this name (a clash, a path outside the seeds folder)."""


class MetadataError(IndexProblem, ValueError):
    """A declared title, place or date is not valid (empty, too long, not YYYY[-MM[-DD]])."""


class IndexMissingError(IndexProblem):
    """No index at the given directory."""


class IndexCorruptError(IndexProblem):
    """A file of the index is missing, truncated or fails its checksum."""


class IndexStaleError(IndexProblem):
    """The seeds or the model changed since the index was built."""
