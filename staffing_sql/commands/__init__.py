"""One module per command; staffing_sql.cli registers them. Importing one loads only what it needs."""
