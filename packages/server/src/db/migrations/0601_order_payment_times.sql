-- When the payment was authorised and captured. The amounts alone cannot tell: an order made
-- free by a promotion is authorised and captured for 0.
ALTER TABLE orders ADD COLUMN authorised_at timestamptz, ADD COLUMN paid_at timestamptz;
UPDATE orders SET authorised_at = COALESCE(placed_at, updated_at) WHERE authorised_amount > 0;
UPDATE orders SET paid_at = updated_at WHERE captured_amount > 0;
