"""The email domains no council may register: shared by many organisations, or open to anyone.

The list is data, in content/shared-email-domains.txt (its header says where it comes from), so
the migration that reviewed the domains already held reads the same file without the app.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SHARED_DOMAINS_FILE = Path(__file__).resolve().parents[2] / "content" / "shared-email-domains.txt"


@cache
def shared_email_domains() -> dict[str, str]:
    """Each listed domain, and its section: `free-email` or `shared`."""
    domains: dict[str, str] = {}
    section = "shared"
    for raw in SHARED_DOMAINS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line:
            domains[line] = section
    return domains


def why_shared(domain: str) -> str | None:
    """Why no council may register the domain, or None when one may."""
    section = shared_email_domains().get(domain)
    if section == "free-email":
        return f"{domain} is a public email service: anyone can have an address there"
    if section is not None:
        return f"{domain} is shared by many organisations: register your own, like kingston.gov.uk"
    return None
