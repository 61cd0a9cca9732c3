"""Running the book's notebooks: the one runner, the seed and backend of a run, the build's cache."""
