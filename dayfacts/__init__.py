"""dayfacts: a page for every day of the year."""
