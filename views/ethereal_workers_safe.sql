-- ethereal_workers_safe: the ethereal_workers sibling with PII masked.
--
-- Produces: workers_safe's columns, source_dataset = 'ethereal_workers'.
-- Grain:    one row per row of ethereal_workers (scenario assignments draw from it).
-- Inputs:   normalised_ethereal_workers; normalised_workers_500k and workers_safe,
--           whose masked values a row identical to its canonical row reuses.
{{ sibling_workers_safe(manifest.dataset('ethereal_workers')) }}
