-- Group-committed drop holds in one round trip (docs/adr/0023). The caller sends a batch of holds
-- of one SKU; the function locks the SKU row, then (each statement of a VOLATILE function taking
-- a fresh snapshot under READ COMMITTED) reads, after the lock, the SKU's held units and the
-- batch members' usage and idempotency keys, so it sees every hold committed by earlier lockers.
-- It decides each hold in order — a used idempotency key, an active hold, stock, then the
-- member's limit — inserts the accepted ones in one statement, and returns one row per input,
-- in input order. Set-based reads and one insert: the cost per hold is a few in-memory checks.
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
  v_usage jsonb;
  v_keys text[];
  v_holding text[] := '{}';
  v_outcomes text[] := '{}';
  v_accept integer[] := '{}';
  v_inserted uuid[];
  v_member text;
  v_used integer;
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
  SELECT coalesce(jsonb_object_agg(u.member_id::text, u.used), '{}'),
         coalesce(array_agg(u.member_id::text) FILTER (WHERE u.holding), '{}')
    INTO v_usage, v_holding
    FROM (
      SELECT r.member_id,
             coalesce(sum(r.quantity) FILTER (WHERE r.status IN ('held', 'confirmed')), 0) AS used,
             coalesce(bool_or(r.status = 'held'), false) AS holding
        FROM drop_reservations r
       WHERE r.brand_id = p_brand AND r.drop_id = p_drop AND r.sku_id = p_sku
         AND r.member_id = ANY (p_members)
       GROUP BY r.member_id
    ) u;
  SELECT coalesce(array_agg(r.member_id::text || ':' || r.idempotency_key), '{}') INTO v_keys
    FROM drop_reservations r
   WHERE r.brand_id = p_brand AND r.drop_id = p_drop
     AND r.member_id = ANY (p_members) AND r.idempotency_key = ANY (p_keys);
  FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
    v_member := p_members[i]::text;
    v_used := coalesce((v_usage ->> v_member)::integer, 0);
    IF (v_member || ':' || p_keys[i]) = ANY (v_keys) THEN
      v_outcomes := array_append(v_outcomes, 'duplicate_key');
    ELSIF v_member = ANY (v_holding) THEN
      v_outcomes := array_append(v_outcomes, 'active_hold');
    ELSIF v_taken + p_quantities[i] > v_stock THEN
      v_outcomes := array_append(v_outcomes, 'stock');
    ELSIF v_used + p_quantities[i] > v_limit THEN
      v_outcomes := array_append(v_outcomes, 'limit');
    ELSE
      v_outcomes := array_append(v_outcomes, 'held');
      v_accept := v_accept || i;
      v_taken := v_taken + p_quantities[i];
      v_holding := v_holding || v_member;
      v_keys := v_keys || (v_member || ':' || p_keys[i]);
    END IF;
  END LOOP;
  WITH inserted AS (
    INSERT INTO drop_reservations
      (brand_id, id, drop_id, sku_id, member_id, quantity, idempotency_key, expires_at)
    SELECT p_brand, p_ids[a], p_drop, p_sku, p_members[a], p_quantities[a], p_keys[a], p_expires[a]
      FROM unnest(v_accept) AS a
    ON CONFLICT DO NOTHING
    RETURNING id
  )
  SELECT coalesce(array_agg(id), '{}') INTO v_inserted FROM inserted;
  -- A row the insert skipped (a unique index raced by a writer outside this lock) is refused.
  RETURN QUERY
    SELECT i,
           CASE WHEN v_outcomes[i] = 'held' AND NOT p_ids[i] = ANY (v_inserted)
                THEN 'active_hold' ELSE v_outcomes[i] END,
           CASE WHEN v_outcomes[i] = 'held' AND p_ids[i] = ANY (v_inserted) THEN now() END
      FROM generate_subscripts(p_ids, 1) AS i;
END
$$;
