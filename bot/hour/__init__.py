"""The idea hour: a scheduled chat of questions in a challenge's channels, its summary, report and harvest."""
