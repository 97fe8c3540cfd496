"""Finding the right procedure: guided finder, synonyms search and the assistant."""
