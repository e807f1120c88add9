"""What a browser would send back for a page's form, so that the load test's editors submit the
real forms (every field as the page filled it in, CSRF token included) and change only what they
mean to change."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects each <form>'s successful controls, in page order, as (name, value) pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        present = {key for key, _ in attrs}
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        elif self._form is None or "disabled" in present:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in present:
                return
            self._form.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = (a.get("value"), "selected" in present), []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        elif self._option is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option
            if value is None:  # an option without a value sends its text
                value = "".join(self._option_text).strip()
            self._options.append((value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:  # a browser sends a single select's first option
                chosen = [self._options[0][0]]
            self._form.extend((self._select, value) for value in chosen)
            self._select = None


def form_fields(page: str, field: str) -> list[tuple[str, str]]:
    """The controls of the page's first form that has a control named `field`, as a browser
    would submit them."""
    reader = _FormReader()
    reader.feed(page)
    for form in reader.forms:
        if any(name == field for name, _ in form):
            return form
    raise LookupError(f"no form on the page has a field named {field!r}")


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with each named control's value replaced (the first of that name)."""
    out, done = [], set()
    for name, value in fields:
        if name in values and name not in done:
            out.append((name, values[name]))
            done.add(name)
        else:
            out.append((name, value))
    return out
