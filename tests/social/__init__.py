"""Tests of player.social."""
