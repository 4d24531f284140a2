"""NLP: the one parse of an article that every later stage reads."""
