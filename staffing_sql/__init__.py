"""staffing-sql: a DuckDB SQL-first lakehouse layer for staffing data."""

__version__ = "0.1.0"
