"""Telling people: deliveries, channels and preferences arrive with the notifications issue."""
