"""The job summary of a pull request: incidents added, changed and removed, and the validator's warnings.

    python .github/scripts/pr_summary.py BASE HEAD [--incidents DIR] >> "$GITHUB_STEP_SUMMARY"

Compares the two git refs (`git diff --name-status BASE...HEAD`, what the pull request
changes since it branched; a file 90% the same under another name is a renamed incident)
and validates the checked-out folder of records. Prints Markdown.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import yaml

from generator.validate import validate_tree

HEADINGS = {"added": "Added", "changed": "Changed", "removed": "Removed"}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def changes(base: str, head: str, incidents: str) -> dict[str, list[tuple[str, str, str]]]:
    """Incident files by kind of change: (ref to read the file at, path, note)."""
    record = re.compile(rf"^{re.escape(incidents.strip('/'))}/\d+/[^/]+\.yaml$")
    fields = git("diff", "--name-status", "-z", "-M90%", f"{base}...{head}", "--", incidents).split("\0")
    found: dict[str, list] = {kind: [] for kind in HEADINGS}
    while len(fields) > 1:
        status = fields.pop(0)
        old = fields.pop(0)
        new = fields.pop(0) if status[0] in "RC" else old
        if status[0] == "R" and record.match(old) and record.match(new):
            found["changed"].append((head, new, f"renamed from `{Path(old).stem}`"))
        elif status[0] in "RC":
            if record.match(old) and status[0] == "R":
                found["removed"].append((base, old, ""))
            if record.match(new):
                found["added"].append((head, new, ""))
        elif record.match(old):
            kind = {"A": "added", "D": "removed"}.get(status[0], "changed")
            found[kind].append((base if kind == "removed" else head, old, ""))
    return found


def title(ref: str, path: str) -> str:
    try:
        text = yaml.safe_load(git("show", f"{ref}:{path}"))["title"]
    except Exception:  # a file that does not parse: the validator's annotations say why
        return ""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(str(text).split()))


def summary(base: str, head: str, incidents: str) -> str:
    found = changes(base, head, incidents)
    lines = ["## Incidents in this pull request"]
    if not any(found.values()):
        lines += ["", "No incident file added, changed or removed."]
    for kind, entries in found.items():
        if entries:
            lines += ["", f"### {HEADINGS[kind]} ({len(entries)})", ""]
        for ref, path, note in sorted(entries, key=lambda entry: entry[1]):
            about = ": ".join(filter(None, (title(ref, path), note)))
            lines.append(f"- `{Path(path).stem}`" + (f": {about}" if about else ""))
    result = validate_tree(Path(incidents))
    touched = {Path(path).stem for entries in found.values() for _, path, _ in entries}
    warnings = [
        p
        for p in result.problems
        if not p.is_error and (Path(p.path).stem in touched or any(f"'{t}'" in p.message for t in touched))
    ]
    if warnings:
        lines += ["", f"### Validator warnings ({len(warnings)})", ""]
        lines += [f"- `{p.path}:{p.line}`: {p.text()}" for p in warnings]
    if result.errors:
        lines += ["", f"**{len(result.errors)} error(s)**: see the annotations on the changed files."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the branch the pull request goes into, e.g. origin/main")
    parser.add_argument("head", help="the pull request's commit, e.g. HEAD")
    parser.add_argument("--incidents", default="incidents", help="folder of records (default: incidents)")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(summary(args.base, args.head, args.incidents))
    except subprocess.CalledProcessError as error:
        print(f"git failed: {error.stderr.strip()}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
