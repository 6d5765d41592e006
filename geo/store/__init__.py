"""The one data-access layer: DuckDB embedded, PostgreSQL for shared deployments."""
