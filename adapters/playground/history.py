"""What the playground's channels and direct messages hold: in memory, bounded, lost on restart."""

from __future__ import annotations

import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from itertools import count

from bot.message import Message

BOT_NAME = "Crowdbot"


@dataclass
class Entry:
    """One message: a bot post, a person's thread reply, a direct message; with its reactions (emoji name -> who)."""

    id: str
    author: str
    message: Message
    reactions: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class Post(Entry):
    """A channel post with its thread."""

    conversation: str = ""
    replies: list[Entry] = field(default_factory=list)


class History:
    def __init__(self, *, max_posts: int = 300, max_replies: int = 200, max_direct: int = 200) -> None:
        self.max_posts = max_posts
        self.max_replies = max_replies
        self._channels: dict[str, OrderedDict[str, Post]] = {}
        self._direct: dict[str, deque[Entry]] = {}
        self._max_direct = max_direct
        # Ids stay unique across restarts: the core records them as idea posts in the database.
        self._prefix = secrets.token_hex(4)
        self._counter = count(1)

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"

    def posts(self, conversation: str) -> list[Post]:
        return list(self._channels.get(conversation, {}).values())

    def find(self, conversation: str, post_id: str) -> Post | None:
        posts = self._channels.get(conversation)
        return posts.get(post_id) if posts is not None else None

    def add_post(self, conversation: str, message: Message) -> Post:
        channel = self._channels.setdefault(conversation, OrderedDict())
        post = Post(self.new_id(), BOT_NAME, message, conversation=conversation)
        channel[post.id] = post
        while len(channel) > self.max_posts:
            channel.popitem(last=False)
        return post

    def add_reply(self, post: Post, author: str, message: Message, reply_id: str | None = None) -> Entry:
        reply = Entry(reply_id or self.new_id(), author, message)
        post.replies.append(reply)
        del post.replies[:-self.max_replies]
        return reply

    @staticmethod
    def find_reply(post: Post, reply_id: str) -> Entry | None:
        return next((reply for reply in post.replies if reply.id == reply_id), None)

    def direct(self, person: str) -> list[Entry]:
        return list(self._direct.get(person, ()))

    def add_direct(self, person: str, message: Message) -> Entry:
        entry = Entry(self.new_id(), BOT_NAME, message)
        self._direct.setdefault(person, deque(maxlen=self._max_direct)).append(entry)
        return entry
