-- What each framework version held when imported (FrameworkBundle::content), so that importing
-- the same key and version again can tell the same content from edited content. NULL for
-- frameworks stored before it was kept, and for ESCO releases (stored by their own import).
ALTER TABLE frameworks ADD COLUMN content TEXT;
