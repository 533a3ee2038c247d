"""Offline training material and scripts; nothing here runs on the request path."""
