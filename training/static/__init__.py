"""Build the static embedding model the intent cascade reads first (engine.static_embedding)."""
