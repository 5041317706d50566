"""`python -m bot` runs the crowdbot command line."""

from bot.cli import main

main()
