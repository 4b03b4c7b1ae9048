"""The rules core: pure functions from facts, a day and a rule pack to a verdict."""
