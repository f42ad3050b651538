"""Places: the gazetteer of divisions, the matcher that finds them in text, declared report metadata."""
