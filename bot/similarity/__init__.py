"""Similar ideas: the words that matter in an idea, and the search for ideas that say the same thing."""
