"""Money is held as integer pence; these turn it into words and back."""

from __future__ import annotations

import re

_POUNDS = re.compile(r"^\s*£?\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?\s*$")


def format_pence(pence: int | None) -> str:
    """£12,500 for whole pounds, £12,500.50 otherwise; an em dash for no figure."""
    if pence is None:
        return "—"
    pounds, rest = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    text = f"{sign}£{pounds:,}"
    return text if rest == 0 else f"{text}.{rest:02d}"


# No council pilot costs a billion pounds; the limit keeps amounts well inside a 64-bit column.
MAX_POUNDS = 1_000_000_000


def parse_pounds(text: str) -> int:
    """Parse '£12,500' or '12500.50' into pence; ValueError says what is wrong."""
    match = _POUNDS.match(text)
    if not match:
        raise ValueError("Enter an amount in pounds, like 12500 or £12,500")
    digits = match.group(1).replace(",", "").lstrip("0") or "0"
    too_much = ValueError(f"Enter an amount no more than £{MAX_POUNDS:,}")
    if len(digits) > 12:  # before int(): a huge string of digits is slow to convert
        raise too_much
    fraction = match.group(3) or ""
    pence = int(digits) * 100 + (int((fraction[1:] + "00")[:2]) if fraction else 0)
    if pence > MAX_POUNDS * 100:  # compared in pence, so £1,000,000,000.01 is over
        raise too_much
    return pence


def cost_band(pence: int | None) -> str | None:
    """The search facet's cost band for an amount."""
    if pence is None:
        return None
    if pence < 10_000_00:
        return "under-10k"
    if pence < 50_000_00:
        return "10k-50k"
    if pence < 250_000_00:
        return "50k-250k"
    return "over-250k"


COST_BANDS = {
    "under-10k": "Under £10,000",
    "10k-50k": "£10,000 to £50,000",
    "50k-250k": "£50,000 to £250,000",
    "over-250k": "Over £250,000",
}


def pounds_text(pence: int) -> str:
    """Pence as an exact decimal number of pounds for open data: 1250050 → '12500.50'."""
    pounds, rest = divmod(abs(pence), 100)
    return f"{'-' if pence < 0 else ''}{pounds}.{rest:02d}"
