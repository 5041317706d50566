"""Deep links into Teams: a chat with several people, for a group the bot cannot gather in one conversation."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

CHAT_LINK = "https://teams.microsoft.com/l/chat/0/0"


def chat_link(emails: Sequence[str], topic: str) -> str | None:
    """A Teams link that opens a chat with these people (Teams names them by sign-in address)."""
    if not emails:
        return None
    # '_' is legal in a query but is markdown emphasis in a card: percent-encode it so the link survives.
    users = ",".join(quote(email, safe="@.").replace("_", "%5F") for email in emails)
    return f"{CHAT_LINK}?users={users}&topicName={quote(topic, safe='')}"
