"""The W3C Nu Html Checker (vnu.jar, from npm's `vnu-jar`, run on Debian's Java) over pages saved
as files. All the pages go through one JVM: starting Java takes seconds, checking a page
milliseconds."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

PROJECT = Path(__file__).resolve().parents[2]
VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass
class SavedPages:
    """Pages' HTML, as the server sent it, saved under `directory` by page name."""

    directory: Path
    files: dict[str, Path] = field(default_factory=dict)

    def save(self, name: str, html: str) -> None:
        path = self.directory / f"page-{len(self.files):03d}.html"
        path.write_text(html, encoding="utf-8")
        self.files[name] = path


def nu_errors(pages: Mapping[str, Path]) -> dict[str, list[str]]:
    """Each page's Nu errors ("line L: message near 'extract'"), by the name `pages` gives its file;
    a page without errors has an empty list."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu Html Checker (make test-deps installs it)"
    assert VNU.exists(), "vnu-jar is missing: run `npm ci` (make test-deps does)"
    names = {path.resolve(): name for name, path in pages.items()}
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--stdout", *map(str, names)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise AssertionError(f"vnu.jar gave no report: {result.stderr or result.stdout}") from error
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in messages:
        path = Path(unquote(urlparse(message.get("url", "")).path)).resolve()
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        extract = f" near {message['extract']!r}" if "extract" in message else ""
        # A message about no file of ours (Java failing to read one, say) fails every page.
        for name in [names[path]] if path in names else errors:
            errors[name].append(f"{where}{message['message']}{extract}")
    return errors
