"""Small shared helpers with no bounded context of their own."""
