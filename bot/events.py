"""Inbound events: what an adapter turns a platform request into before the core sees it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    """Where something happened: a platform, a conversation, and optionally a message or thread in it."""

    platform: str
    conversation: str | None = None
    thread: str | None = None
    message: str | None = None

    @property
    def channel_ref(self) -> str | None:
        return f"{self.platform}:{self.conversation}" if self.conversation else None


@dataclass(frozen=True)
class Actor:
    platform: str
    user_id: str
    display_name: str = ""
    # Some platforms know one person by two ids and not every event carries both (Teams: the Bot Framework
    # `29:` id always, the Entra object id usually). `alias` is the second id when the event shows both;
    # `is_alias` says user_id is that second id, to be replaced by the primary one once they are linked.
    alias: str | None = None
    is_alias: bool = False

    @property
    def ref(self) -> str:
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True)
class CommandInvoked:
    """`/idea ...` in Slack, `idea ...` in Teams, or a command typed in the playground."""

    actor: Actor
    address: Address
    text: str
    event_id: str | None = None
    # The typed text is itself visible to others (a Teams channel message, unlike a Slack slash command),
    # so it cannot become an anonymous idea.
    text_is_public: bool = False


@dataclass(frozen=True)
class ReactionChanged:
    """An emoji added to or removed from a message (address.message); votes when it is an idea post."""

    actor: Actor
    address: Address
    reaction: str
    added: bool
    event_id: str | None = None


@dataclass(frozen=True)
class ThreadReply:
    """A reply in a thread (address.thread is the parent message): a comment when the parent is an idea post."""

    actor: Actor
    address: Address
    text: str
    message_id: str
    event_id: str | None = None


@dataclass(frozen=True)
class ActionInvoked:
    """A button pressed on a bot message, e.g. Vote (action 'vote', value the idea number)."""

    actor: Actor
    address: Address
    action: str
    value: str
    event_id: str | None = None


@dataclass(frozen=True)
class IdeaFormSubmitted:
    """The submission form (Slack modal, Teams card) was sent."""

    actor: Actor
    address: Address
    challenge_key: str
    text: str
    anonymous: bool
    event_id: str | None = None
    source: str | None = None  # the form's source (IdeaForm.source), e.g. "fika:<group id>"


@dataclass(frozen=True)
class HomeOpened:
    """Someone opened the bot's home page (Slack App Home): show their ideas and the open challenges."""

    actor: Actor
    event_id: str | None = None


@dataclass(frozen=True)
class ConversationSeen:
    """A platform told us how to reach a conversation or person later (Teams conversation references)."""

    platform: str
    key: str
    reference: dict
    challenge_channel: bool = False


@dataclass(frozen=True)
class SignInAddressFound:
    """The platform looked up a person's sign-in address (Teams: their UPN) after the core asked for it
    (Reply.wants_sign_in_address): a fika chat link can name them."""

    actor: Actor
    sign_in_address: str


Event = (CommandInvoked | ReactionChanged | ThreadReply | ActionInvoked | IdeaFormSubmitted | ConversationSeen
         | HomeOpened | SignInAddressFound)
