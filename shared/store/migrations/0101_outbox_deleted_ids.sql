-- The event ids (original_start_key -> id) of the rows a hub delete removed, kept with its outbox
-- entry until pushed. When the provider's change wins over that delete (modify-wins, or manual
-- parking it), its rows come back under these ids: the event the product deleted is the same event
-- restored (conflict.recorded, outcome `recreated`, names it), not an unrelated-looking new one.
ALTER TABLE outbox ADD COLUMN deleted_ids jsonb;
