"""JSON inside an HTML page's `<script type="application/ld+json">`.

The HTML parser ends a script element at the first `</script`, whatever the JSON around it says,
so a pilot titled `</script><script>alert(1)</script>` would otherwise close the data and run. JSON
lets any character be written as `\\uXXXX`: `<`, `>` and `&` are, so the element's text can hold no
tag and no `<!--` (which changes how the parser reads the rest), and the JSON value is unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(data: Any) -> Markup:
    """`data` as JSON that is safe as the text of a script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES)
    return Markup(text)  # noqa: S704 (every character that could end the element is escaped)
