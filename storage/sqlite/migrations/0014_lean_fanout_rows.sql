-- A fan-out's rows carry less. Digest items are read at digest time by
-- mode and age, once a day, through the few items held: a walk of the
-- table does it, and the index by (mode, created_at) cost every digest
-- item a second index entry, a sixth of its bytes. A delivery due when it
-- is made leaves due_at empty (outbox.go, dueAt); the rows written before
-- keep their due time, which means the same.
DROP INDEX digest_items_due;
