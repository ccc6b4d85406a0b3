"""Rating service: prices usage records with their account's plan and stores rated records."""
