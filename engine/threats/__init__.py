"""Threat detection: a trained model over normalized text and its views, scored per head."""
