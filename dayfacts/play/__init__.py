"""The daily game: "which came first?" over a day's notable events."""
