"""Renderers: each turns a result into a string; none decides anything."""
