"""Randomised fika: people paired across teams, at random, to talk about the campaign's questions."""
