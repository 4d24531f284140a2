"""Sources: resolve mentions of speakers into sources."""
