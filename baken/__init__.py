"""Baken: the regional platform against human trafficking and exploitation."""
