"""Laying the context out with the Jinja2 templates in ``templates/``.

HTML is autoescaped. Markdown has no autoescape of its own, so every ``{{ }}``
output goes through ``markdown_escape`` (Jinja's ``finalize``): a template
cannot forget to escape an organisation name or a grade label. The result is
marked ``Markup`` so the environment's HTML autoescape (on only so that macro
output, already escaped, passes through untouched) leaves it alone. The only
unescaped insertions are the SVG strings this package drew (HTML only), passed
in as ``Markup``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

HTML_TEMPLATE = "report.html.j2"
MARKDOWN_TEMPLATE = "report.md.j2"

#: Characters with a meaning in CommonMark/GFM inline text and tables ("$" opens
#: maths on GitHub and GitLab).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|#~$])")


def markdown_escape(value: Any) -> str:
    """Text safe to place anywhere inline in Markdown, table cells included: HTML's
    ``&``, ``<``, ``>`` as entities, Markdown specials behind a backslash, line
    breaks as spaces (a newline would end a table row)."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


def _markdown_finalize(value: Any) -> Markup:
    if isinstance(value, Markup):  # a macro's output: escaped when it was rendered
        return value
    return Markup(markdown_escape(value))


def _environment(templates: Sequence[Path], *, markdown: bool) -> jinja2.Environment:
    """``templates`` is a search path: a user's folder first, then the shipped one, so
    a folder holding only an edited ``report.css`` is enough."""
    options: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader([str(t) for t in templates]),
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if markdown:
        return jinja2.Environment(autoescape=True, finalize=_markdown_finalize, **options)
    return jinja2.Environment(autoescape=True, **options)


def render_html(context: Mapping[str, Any], charts: Mapping[str, str],
                templates: Sequence[Path]) -> str:
    """The self-contained HTML page; ``charts`` maps chart name to SVG text."""
    env = _environment(templates, markdown=False)
    svgs = {name: Markup(svg) for name, svg in charts.items()}  # drawn here, text escaped
    return env.get_template(HTML_TEMPLATE).render(**context, charts=svgs)


def render_markdown(context: Mapping[str, Any], templates: Sequence[Path]) -> str:
    """The Markdown report; charts are referenced as ``charts/<name>.svg``."""
    env = _environment(templates, markdown=True)
    text = env.get_template(MARKDOWN_TEMPLATE).render(**context)
    # Template blocks leave runs of blank lines; one is all Markdown needs.
    return re.sub(r"\n{3,}", "\n\n", text)


def render_text_block(name: str, block: str, values: Mapping[str, Any]) -> str:
    """One block of a shipped plain-text template (no escaping: the text goes into
    the context, which the report's templates escape)."""
    template = _text_environment().get_template(name)
    return "".join(template.blocks[block](template.new_context(dict(values))))


@functools.cache
def _text_environment() -> jinja2.Environment:
    from wres_cli.resources import resource_dir

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
                              undefined=jinja2.StrictUndefined, autoescape=False,
                              trim_blocks=True, lstrip_blocks=True)
