-- Released and expired holds are history nobody reads after a while (every cart edit on a
-- channel that reserves at add-to-cart leaves one); the sweeper deletes them by age.
CREATE INDEX inventory_reservations_settled ON inventory_reservations (updated_at)
  WHERE status IN ('released', 'expired');
