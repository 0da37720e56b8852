"""Addresses on the forge that hosts the records: the one place that knows its URL patterns.

The site links every record to the forge's own pages: the editor of its file, a new issue
from the correction form, the new-file page the form at /new/ fills in. Nothing runs on a
server: these are plain links, and the forge makes the fork and the pull request.

The repository comes from mkdocs' own settings, `repo_url` and `edit_uri` (whose first
folder after `edit/` is the branch). Only GitHub's patterns are written down; another forge
(GitLab, Forgejo) is one more entry in PATTERNS with its own addresses, checked by hand
against that forge, and its host in HOSTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import yaml

from .load import REGISTRY_MAX_BYTES, Document, load_document

# {repo}: repo_url without its trailing slash; {branch}, {path}: quoted for a URL's path.
PATTERNS = {
    "github": {
        "name": "GitHub",
        "edit_uri": r"(?:edit|blob)/(?P<branch>[^/]+)/",  # how mkdocs' edit_uri names the branch
        "edit": "{repo}/edit/{branch}/{path}",
        "line": "{repo}/blob/{branch}/{path}#L{line}",
        "new_file": "{repo}/new/{branch}?{query}",  # query: filename=<path>&value=<text>
        "new_issue": "{repo}/issues/new?{query}",  # query: template=<form>&<field id>=<value>
    },
}
HOSTS = {"github.com": "github"}
CORRECTION_FORM = "correction.yml"  # .github/ISSUE_TEMPLATE/correction.yml


@dataclass(frozen=True)
class Forge:
    kind: str
    repo: str  # the repository's address, no trailing slash
    branch: str
    incidents: str = "incidents"  # the folder of records, from the repository's root

    @property
    def name(self) -> str:
        return PATTERNS[self.kind]["name"]

    def _url(self, pattern: str, **values) -> str:
        quoted = {key: quote(value, safe="/") for key, value in values.items() if key != "query"}
        return PATTERNS[self.kind][pattern].format(
            repo=self.repo, branch=quote(self.branch, safe=""), query=values.get("query", ""), **quoted
        )

    def record_path(self, incident_id: str, year: int) -> str:
        return f"{self.incidents}/{year:04d}/{incident_id}.yaml"

    def registry_path(self, registry: str) -> str:
        return f"{self.incidents}/{registry}.yaml"

    def edit(self, path: str) -> str:
        """The forge's editor of a file (it offers a fork to those who may not write)."""
        return self._url("edit", path=path)

    def line(self, path: str, line: int) -> str:
        """A file shown at one of its lines."""
        return self._url("line", path=path, line=str(line))

    def new_file(self, path: str, text: str | None = None) -> str:
        """The new-file page, named and (with `text`) filled in."""
        query = {"filename": path} | ({"value": text} if text is not None else {})
        return self._url("new_file", query=_query(query))

    def new_issue(self, form: str, fields: dict[str, str]) -> str:
        """A new issue from an issue form, its fields filled in by their ids."""
        return self._url("new_issue", query=_query({"template": form} | fields))

    def correction(self, incident_id: str, address: str) -> str:
        return self.new_issue(CORRECTION_FORM, {"incident": incident_id, "address": address})

    def patterns(self) -> dict[str, str]:
        """What the form's script needs to make the new-file page's address itself."""
        return {"new_file": self._url("new_file", query="")}


def _query(values: dict[str, str]) -> str:
    """A query string; `/` and `:` stay as they are (RFC 3986 allows them in a query), which
    keeps an address in a value readable and every incident page a few bytes shorter."""
    return urlencode(values, quote_via=lambda text, *_: quote(text, safe="/:"))


def forge_of(repo_url: str | None, edit_uri: str | None, incidents: str = "incidents", kind: str = ""):
    """The forge of mkdocs' `repo_url` and `edit_uri`, or None: without them, or on a host
    whose patterns are unknown, the site has no edit links (and says nothing false)."""
    if not repo_url:
        return None
    kind = kind or HOSTS.get((urlsplit(repo_url).hostname or "").lower(), "")
    if kind not in PATTERNS:
        return None
    branch = re.match(PATTERNS[kind]["edit_uri"], (edit_uri or "").lstrip("/"))
    return Forge(kind, repo_url.rstrip("/"), branch["branch"] if branch else "main", incidents.strip("/"))


def entry_lines(path: Path) -> dict[str, int]:
    """The line of each entry of a registry file (towns.yaml, groups.yaml), by id."""
    try:
        loaded = load_document(str(path), path.read_bytes(), REGISTRY_MAX_BYTES)
    except OSError:
        return {}
    if not isinstance(loaded, Document) or not isinstance(loaded.root, yaml.MappingNode):
        return {}
    return {
        key.value: key.start_mark.line + 1 for key, _ in loaded.root.value if isinstance(key, yaml.ScalarNode)
    }
