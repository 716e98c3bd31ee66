namespace McpPlatform.Quota.Engine;

/// <summary>
/// The engine's Lua. Every check runs before any write, so a denied call changes nothing (no
/// rate token taken, no slot held), and the whole decision is atomic in Redis. "Now" comes from
/// the application's TimeProvider (ARGV), never from Redis TIME, so window rollover is testable.
/// </summary>
public static class QuotaScripts
{
    /// <summary>Reason numbers the admit script returns, in check order.</summary>
    public enum Outcome
    {
        /// <summary>Granted.</summary>
        Granted = 0,

        /// <summary>Partition concurrency cap.</summary>
        ConcurrencyTenant = 1,

        /// <summary>Principal concurrency cap.</summary>
        ConcurrencyPrincipal = 2,

        /// <summary>Partition rate.</summary>
        RateTenant = 3,

        /// <summary>Principal rate.</summary>
        RatePrincipal = 4,

        /// <summary>Tokens this hour.</summary>
        TokensHour = 5,

        /// <summary>Tokens today.</summary>
        TokensDay = 6,

        /// <summary>Cost this hour.</summary>
        CostHour = 7,

        /// <summary>Cost today.</summary>
        CostDay = 8,
    }

    /// <summary>
    /// Admit. KEYS: 1 partition leases, 2 principal leases, 3 partition bucket, 4 principal
    /// bucket, 5 budget (day), 6 lease record. ARGV: 1 now ms, 2 lease member, 3 lease ttl ms,
    /// 4 partition cap, 5 principal cap, 6/7 partition rate/burst, 8/9 principal rate/burst,
    /// 10 tokens/hour, 11 tokens/day, 12 cost/hour, 13 cost/day (micros), 14 estimated tokens,
    /// 15 estimated cost, 16 hour index, 17 budget key ttl s, 18 lease record ttl ms.
    /// Returns {0, expiry} when granted, {reason, used, waitMs} when denied.
    /// </summary>
    public static readonly QuotaScript Admit = new("""
        local now = tonumber(ARGV[1])
        local ttl = tonumber(ARGV[3])

        -- Every redis.call costs; the script makes as few as the decision needs (docs/benchmarks.md).
        local function held(key, cap)
          if cap < 0 then return -1 end
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          return redis.call('ZCARD', key)
        end

        local tcap = tonumber(ARGV[4])
        local theld = held(KEYS[1], tcap)
        if tcap >= 0 and theld >= tcap then return {1, theld, 0} end
        local pcap = tonumber(ARGV[5])
        local pheld = held(KEYS[2], pcap)
        if pcap >= 0 and pheld >= pcap then return {2, pheld, 0} end

        -- A bucket is one string "tokens:timestamp".
        local function refill(key, rate, burst)
          if rate < 0 then return nil, nil end
          local s = redis.call('GET', key)
          if not s then return burst, now end
          local sep = string.find(s, ':', 1, true)
          local tokens = tonumber(string.sub(s, 1, sep - 1))
          local ts = tonumber(string.sub(s, sep + 1))
          -- An instance whose clock is behind never refills backwards.
          if now > ts then
            tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
            ts = now
          end
          return tokens, ts
        end

        local trate = tonumber(ARGV[6])
        local tburst = tonumber(ARGV[7])
        local ttok, tts = refill(KEYS[3], trate, tburst)
        if ttok ~= nil and ttok < 1 then return {3, 0, math.ceil((1 - ttok) * 1000 / trate)} end
        local prate = tonumber(ARGV[8])
        local pburst = tonumber(ARGV[9])
        local ptok, pts = refill(KEYS[4], prate, pburst)
        if ptok ~= nil and ptok < 1 then return {4, 0, math.ceil((1 - ptok) * 1000 / prate)} end

        local hour = ARGV[16]
        local b = redis.call('HMGET', KEYS[5], 'th:' .. hour, 'td', 'ch:' .. hour, 'cd')
        local est_t = tonumber(ARGV[14])
        local est_c = tonumber(ARGV[15])
        local function over(used, limit, est)
          if limit < 0 then return false end
          return used >= limit or used + est > limit
        end
        local th = tonumber(b[1]) or 0
        if over(th, tonumber(ARGV[10]), est_t) then return {5, th, 0} end
        local td = tonumber(b[2]) or 0
        if over(td, tonumber(ARGV[11]), est_t) then return {6, td, 0} end
        local ch = tonumber(b[3]) or 0
        if over(ch, tonumber(ARGV[12]), est_c) then return {7, ch, 0} end
        local cd = tonumber(b[4]) or 0
        if over(cd, tonumber(ARGV[13]), est_c) then return {8, cd, 0} end

        -- A set's expiry follows its latest lease: extend (GT) or, on a new set, set it (NX).
        local function track(key, member, expiry)
          redis.call('ZADD', key, expiry, member)
          if redis.call('PEXPIRE', key, ttl, 'GT') == 0 then redis.call('PEXPIRE', key, ttl, 'NX') end
        end

        local expiry = now + ttl
        local member = ARGV[2]
        track(KEYS[1], member, expiry)
        if pcap >= 0 then track(KEYS[2], member, expiry) end
        if ttok ~= nil then
          redis.call('SET', KEYS[3], (ttok - 1) .. ':' .. tts, 'PX', math.ceil(tburst * 1000 / trate) + 1000)
        end
        if ptok ~= nil then
          redis.call('SET', KEYS[4], (ptok - 1) .. ':' .. pts, 'PX', math.ceil(pburst * 1000 / prate) + 1000)
        end
        if est_t ~= 0 then redis.call('HINCRBY', KEYS[5], 'th:' .. hour, est_t) end
        -- 'td' is always written: its absence marks a new day's hash, which needs its expiry.
        redis.call('HINCRBY', KEYS[5], 'td', est_t)
        if est_c ~= 0 then
          redis.call('HINCRBY', KEYS[5], 'ch:' .. hour, est_c)
          redis.call('HINCRBY', KEYS[5], 'cd', est_c)
        end
        if not b[2] then redis.call('EXPIRE', KEYS[5], ARGV[17]) end
        redis.call('SET', KEYS[6], hour .. ':' .. est_t .. ':' .. est_c, 'PX', ARGV[18])
        return {0, expiry, 0}
        """);

    /// <summary>
    /// Release. KEYS: 1 lease record, 2 partition leases, 3 principal leases, 4 budget (day of
    /// the reservation). ARGV: 1 lease member, 2 actual tokens, 3 actual cost (micros).
    /// Settles actual − reserved into the windows the reservation was booked in.
    /// Returns 1 when this call released the lease, 0 when it was already gone.
    /// </summary>
    public static readonly QuotaScript Release = new("""
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        local r = redis.call('GET', KEYS[1])
        if not r then return 0 end
        redis.call('DEL', KEYS[1])
        local s1 = string.find(r, ':', 1, true)
        local s2 = string.find(r, ':', s1 + 1, true)
        local hour = string.sub(r, 1, s1 - 1)
        local dt = tonumber(ARGV[2]) - tonumber(string.sub(r, s1 + 1, s2 - 1))
        local dc = tonumber(ARGV[3]) - tonumber(string.sub(r, s2 + 1))
        if (dt ~= 0 or dc ~= 0) and redis.call('EXISTS', KEYS[4]) == 1 then
          if dt ~= 0 then
            redis.call('HINCRBY', KEYS[4], 'th:' .. hour, dt)
            redis.call('HINCRBY', KEYS[4], 'td', dt)
          end
          if dc ~= 0 then
            redis.call('HINCRBY', KEYS[4], 'ch:' .. hour, dc)
            redis.call('HINCRBY', KEYS[4], 'cd', dc)
          end
        end
        return 1
        """);

    /// <summary>
    /// Usage (read only). KEYS: 1 partition leases, 2 budget (today). ARGV: 1 now ms, 2 hour index.
    /// Returns {in flight, tokens hour, tokens day, cost hour, cost day}.
    /// </summary>
    public static readonly QuotaScript Usage = new("""
        local held = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
        local b = redis.call('HMGET', KEYS[2], 'th:' .. ARGV[2], 'td', 'ch:' .. ARGV[2], 'cd')
        return {held, tonumber(b[1]) or 0, tonumber(b[2]) or 0, tonumber(b[3]) or 0, tonumber(b[4]) or 0}
        """);
}
