"""Themes found in the comments' Swedish words, on our own server: nothing leaves it."""
