"""Pure functions from the core's Message to HTML. Every piece of text is escaped: it is what people typed."""

from __future__ import annotations

import base64
import re
from html import escape

from bot.message import IdeaForm, Message, MessageAction, Section

_CODE_SPAN = re.compile(r"`([^`\n]{1,300})`")


def lines_html(text: str) -> str:
    """Plain text with its line breaks kept."""
    return "<br>".join(text_html(line) for line in text.split("\n"))


def text_html(text: str) -> str:
    """Escaped text, with the bot's inline code (`new ...`) shown as code rather than as literal backticks."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text))


def _fields(message: Message) -> str:
    if not message.fields:
        return ""
    items = "".join(f"<div><dt>{escape(f.label)}</dt><dd>{lines_html(f.value)}</dd></div>" for f in message.fields)
    return f'<dl class="msg-fields">{items}</dl>'


def _section(section: Section) -> str:
    heading = f"<h4>{escape(section.heading)}</h4>" if section.heading else ""
    lines = "".join(f"<li>{text_html(line)}{' ' + _action(action) if action else ''}</li>"
                    for line, action in section.entries())
    return f'<section class="msg-section">{heading}<ul>{lines}</ul></section>'


def _action(action: MessageAction) -> str:
    return (f'<button type="button" class="msg-action" data-action="{escape(action.action_id)}" '
            f'data-value="{escape(action.value)}">{escape(action.label)}</button>')


def _image(message: Message) -> str:
    if not message.image_png:
        return ""
    data = base64.b64encode(message.image_png).decode()
    alt = escape(message.image_alt or message.title or "Chart")
    return f'<img class="msg-image" src="data:image/png;base64,{data}" alt="{alt}">'


def render_form(form: IdeaForm, form_id: str) -> str:
    """An accessible idea form: every control has a label; JavaScript posts it as IdeaFormSubmitted."""
    options = "".join(
        f'<option value="{escape(c.key)}"{" selected" if c.key == form.default_challenge else ""}>'
        f"{escape(c.title)}</option>" for c in form.challenges)
    fid = escape(form_id)
    # Where the form was opened (a fika group's "Share an idea"): sent back so the idea counts as from there.
    source = f'<input type="hidden" name="source" value="{escape(form.source)}">' if form.source else ""
    return (
        f'<form class="idea-form" aria-label="Share an idea">'
        f'<label for="{fid}-challenge">Challenge</label>'
        f'<select id="{fid}-challenge" name="challenge">{options}</select>'
        f'<label for="{fid}-text">Your idea</label>'
        f'<textarea id="{fid}-text" name="text" rows="3" maxlength="{form.max_length}" required></textarea>'
        f'<label class="inline"><input type="checkbox" name="anonymous"> Share anonymously '
        f"(only the bot knows it was you)</label>"
        f"{source}"
        f'<button type="submit">Submit idea</button></form>'
    )


def render_message(message: Message, element_id: str = "msg") -> str:
    """The same content Slack and Teams get: title, body, fields, sections, image, buttons, hint, form."""
    parts = []
    structured = message.title or message.body or message.fields or message.sections
    if message.title:
        parts.append(f'<h3 class="msg-title">{escape(message.title)}</h3>')
    if message.body:
        parts.append(f'<p class="msg-body">{lines_html(message.body)}</p>')
    if not structured:
        parts.append(f'<p class="msg-body">{lines_html(message.text)}</p>')
    parts.append(_fields(message))
    parts.extend(_section(section) for section in message.sections)
    parts.append(_image(message))
    if message.actions:
        parts.append('<div class="msg-actions">' + "".join(_action(a) for a in message.actions) + "</div>")
    if message.context:
        parts.append(f'<p class="msg-context">{lines_html(message.context)}</p>')
    if message.form:
        parts.append(render_form(message.form, f"{element_id}-form"))
    return '<div class="msg">' + "".join(parts) + "</div>"
