"""Training data for the threat detector (issue 9)."""
