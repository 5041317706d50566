"""Theme suggestions for community managers: ideas grouped by what they say, never applied automatically."""
