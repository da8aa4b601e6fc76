-- workers_100k_safe: the workers_100k sibling with PII masked.
--
-- Produces: workers_safe's columns, source_dataset = 'workers_100k'.
-- Grain:    one row per row of workers_100k.
-- Inputs:   normalised_workers_100k; normalised_workers_500k and workers_safe,
--           whose masked values a row identical to its canonical row reuses.
-- Same rows as workers_safe for the same worker_id: count workers from
-- workers_safe alone, or filter on source_dataset, never sum the relations.
{{ sibling_workers_safe(manifest.dataset('workers_100k')) }}
