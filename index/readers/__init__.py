"""Format readers: each turns one kind of file into report text, one paragraph a line (see index.readers.read)."""
