"""The public web pages."""
