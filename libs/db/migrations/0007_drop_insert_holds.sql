-- Group-committed drop holds in one round trip (docs/adr/0023). The caller sends a batch of holds
-- of one SKU; the function locks the SKU row, then (each statement of a VOLATILE function taking
-- a fresh snapshot under READ COMMITTED) recounts the SKU's held units after the lock, so it sees
-- every hold committed by earlier lockers, and decides each hold in order exactly as
-- ReservationsRepository documents: a used idempotency key, an active hold, stock, then the
-- member's limit. Accepted holds are inserted; one row per input comes back, in input order.
CREATE OR REPLACE FUNCTION drop_insert_holds(
  p_brand uuid,
  p_drop uuid,
  p_sku text,
  p_ids uuid[],
  p_members uuid[],
  p_quantities integer[],
  p_keys text[],
  p_expires timestamptz[]
) RETURNS TABLE (o_ord integer, o_outcome text, o_created_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_stock integer;
  v_sold integer;
  v_limit integer;
  v_taken integer;
  v_used integer;
  v_holding boolean;
BEGIN
  SELECT s.stock, s.sold, s.per_member_limit INTO v_stock, v_sold, v_limit
    FROM drop_skus s
   WHERE s.brand_id = p_brand AND s.drop_id = p_drop AND s.id = p_sku
     FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT i, 'sku'::text, NULL::timestamptz FROM generate_subscripts(p_ids, 1) AS i;
    RETURN;
  END IF;
  SELECT v_sold + coalesce(sum(r.quantity), 0)::integer INTO v_taken
    FROM drop_reservations r
   WHERE r.brand_id = p_brand AND r.drop_id = p_drop AND r.sku_id = p_sku AND r.status = 'held';
  FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
    o_ord := i;
    o_created_at := NULL;
    IF EXISTS (
      SELECT 1 FROM drop_reservations r
       WHERE r.brand_id = p_brand AND r.drop_id = p_drop
         AND r.member_id = p_members[i] AND r.idempotency_key = p_keys[i]
    ) THEN
      o_outcome := 'duplicate_key';
      RETURN NEXT;
      CONTINUE;
    END IF;
    SELECT coalesce(sum(r.quantity) FILTER (WHERE r.status IN ('held', 'confirmed')), 0)::integer,
           coalesce(bool_or(r.status = 'held'), false)
      INTO v_used, v_holding
      FROM drop_reservations r
     WHERE r.brand_id = p_brand AND r.drop_id = p_drop AND r.sku_id = p_sku
       AND r.member_id = p_members[i];
    IF v_holding THEN
      o_outcome := 'active_hold';
    ELSIF v_taken + p_quantities[i] > v_stock THEN
      o_outcome := 'stock';
    ELSIF v_used + p_quantities[i] > v_limit THEN
      o_outcome := 'limit';
    ELSE
      INSERT INTO drop_reservations AS r
        (brand_id, id, drop_id, sku_id, member_id, quantity, idempotency_key, expires_at)
      VALUES
        (p_brand, p_ids[i], p_drop, p_sku, p_members[i], p_quantities[i], p_keys[i], p_expires[i])
      ON CONFLICT DO NOTHING
      RETURNING r.created_at INTO o_created_at;
      IF FOUND THEN
        o_outcome := 'held';
        v_taken := v_taken + p_quantities[i];
      ELSE
        o_outcome := 'active_hold';
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;
