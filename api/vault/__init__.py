"""The pseudonym vault (engine/vault.py has the pure part): sealed, TTL-bound, audited."""
