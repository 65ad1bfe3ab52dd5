"""The Comments tab and what hangs off it: cards, account, posting, pending items, counts and moments."""
