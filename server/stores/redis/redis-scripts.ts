/**
 * The Redis key layout and the Lua scripts that change it: every change of more than one key
 * is one script, so it is atomic across replicas (Redis runs one script at a time) and costs
 * one round trip. Nothing here reads, changes and writes back from Node.
 *
 * Keys, all under `<prefix>:` (SANDBOX_STATE_PREFIX):
 *   rev                  INCR counter: every journal revision, for every namespace
 *   j:order              ZSET id -> creation revision: the whole journal, capped at SANDBOX_JOURNAL_SIZE
 *   j:revs               ZSET id -> revision of its last change
 *   j:ns:<ns>            ZSET id -> creation revision: one namespace's entries (listing, reset)
 *   j:e:<id>             HASH json (the record without bytes), ns, seq, rev, held (bytes kept), blobs
 *   j:b:<id>:<blob>      STRING bytes of one upload, the mask or one output (with a TTL)
 *   j:held               ZSET id -> creation revision: committed entries whose bytes are kept
 *   j:bytes              running total of the bytes kept (SANDBOX_JOURNAL_BYTES)
 *   j:gone               ZSET "<ns> <id>" -> revision of its removal: the newest removals, for `since` reads
 *   j:gone:floor         the newest revision whose removal j:gone no longer holds
 *   s:order:<ns>         ZSET scenario id -> arming order
 *   s:def:<ns>           HASH scenario id -> {"scenario","times","match"}
 *   s:left:<ns>          HASH scenario id -> uses left
 *   s:namespaces         SET of namespaces with armed scenarios (resetAll)
 *   f:file:<name>        HASH bytes, type, ns, exp of one url file, expiring with PEXPIREAT
 *   f:all                ZSET name -> expiry: every url file (bounds, oldest first)
 *   f:meta               HASH name -> "<size> <ns>"
 *   f:bytes              running total of url file bytes (SANDBOX_MAX_STORED_BYTES)
 *   f:ns:<ns>            SET of one namespace's url files (reset)
 *   o:obj:<id>           HASH json (the file object), ns, type (declared), content of one Files API upload
 *   o:all                ZSET id -> creation order: every file object (bounds, oldest first)
 *   o:exp                ZSET id -> expires_at (unix s): expiry on the sandbox's clock
 *   o:ns:<ns>            ZSET id -> creation order: one namespace's file objects (listing, reset)
 *   o:bytes              running total of file object bytes (SANDBOX_MAX_FILES_BYTES)
 *   n:active             ZSET namespace -> last activity (ms): idle expiry and the LRU bound
 *   n:set:<ns>           HASH latencyMs, seed (JSON values) of one namespace
 *   c:ns:<ns>            HASH outcome coverage of one namespace: <outcome> -> count,
 *                        "<outcome> <variant>" -> count, "<outcome> #" -> variants kept
 *   c:all                HASH the same for every namespace since the last full reset
 *   c:namespaces         SET of namespaces with a c:ns hash (resetAll)
 * Namespace names are checked (namespace.ts) and hold no spaces. The scripts build key names
 * from the prefix, so the layout is for a standalone Redis (or a primary), not Redis Cluster.
 */
import { createHash } from 'node:crypto';
import { JOURNAL_REMOVALS_KEPT } from '../journal-record';
import { ALL_NAMESPACES, DEFAULT_NAMESPACE } from '../state';

/** The keys Node reads directly (single commands, no script needed). */
export function keysOf(prefix: string) {
  return {
    entry: (id: string) => `${prefix}:j:e:${id}`,
    file: (name: string) => `${prefix}:f:file:${name}`,
    settings: (namespace: string) => `${prefix}:n:set:${namespace}`,
    scenarioOrder: (namespace: string) => `${prefix}:s:order:${namespace}`,
    /** One namespace's coverage tally, or with `*` the run's. */
    coverage: (namespace: string) => (namespace === ALL_NAMESPACES ? `${prefix}:c:all` : `${prefix}:c:ns:${namespace}`),
  };
}

/** Helpers every script starts with; ARGV[1] is always the prefix. */
const PRELUDE = `
local P = ARGV[1]
local DEFAULT = ${JSON.stringify(DEFAULT_NAMESPACE)}
local function key(...) return P .. ':' .. table.concat({...}, ':') end
local function num(v) return tonumber(v) or 0 end

-- Frees one journal entry's bytes; its description stays.
local function release_bytes(id)
  local e = key('j', 'e', id)
  local f = redis.call('HMGET', e, 'held', 'blobs')
  if num(f[1]) > 0 then redis.call('DECRBY', key('j', 'bytes'), f[1]) end
  if f[2] and f[2] ~= '' then
    for blob in string.gmatch(f[2], '%S+') do redis.call('DEL', key('j', 'b', id, blob)) end
  end
  redis.call('ZREM', key('j', 'held'), id)
  if redis.call('EXISTS', e) == 1 then redis.call('HSET', e, 'held', 0, 'blobs', '') end
end

-- A removal takes a revision and is remembered (the newest REMOVALS_KEPT), so \`since\` reads report it.
local function remember_removal(ns, id)
  local gone = key('j', 'gone')
  redis.call('ZADD', gone, redis.call('INCR', key('rev')), ns .. ' ' .. id)
  local excess = redis.call('ZCARD', gone) - ${JOURNAL_REMOVALS_KEPT}
  if excess > 0 then
    local forgotten = redis.call('ZRANGE', gone, excess - 1, excess - 1, 'WITHSCORES')
    redis.call('SET', key('j', 'gone', 'floor'), forgotten[2])
    redis.call('ZREMRANGEBYRANK', gone, 0, excess - 1)
  end
end

local function drop_entry(id)
  local ns = redis.call('HGET', key('j', 'e', id), 'ns')
  release_bytes(id)
  redis.call('ZREM', key('j', 'order'), id)
  redis.call('ZREM', key('j', 'revs'), id)
  if ns then
    redis.call('ZREM', key('j', 'ns', ns), id)
    remember_removal(ns, id)
  end
  redis.call('DEL', key('j', 'e', id))
end

local function clear_journal(ns)
  local index = ns == '*' and key('j', 'order') or key('j', 'ns', ns)
  local ids = redis.call('ZRANGE', index, 0, -1)
  for _, id in ipairs(ids) do drop_entry(id) end
  redis.call('DEL', index)
  return #ids
end

local function clear_scenarios(ns)
  local n = redis.call('ZCARD', key('s', 'order', ns))
  redis.call('DEL', key('s', 'order', ns), key('s', 'def', ns), key('s', 'left', ns))
  redis.call('SREM', key('s', 'namespaces'), ns)
  return n
end

local function forget_file(name)
  local meta = redis.call('HGET', key('f', 'meta'), name)
  if meta then
    local size, ns = string.match(meta, '^(%d+) (.*)$')
    redis.call('DECRBY', key('f', 'bytes'), size)
    redis.call('SREM', key('f', 'ns', ns), name)
    redis.call('HDEL', key('f', 'meta'), name)
  end
  redis.call('ZREM', key('f', 'all'), name)
  redis.call('DEL', key('f', 'file', name))
end

local function clear_files(ns)
  for _, name in ipairs(redis.call('SMEMBERS', key('f', 'ns', ns))) do forget_file(name) end
  redis.call('DEL', key('f', 'ns', ns))
end

local function forget_object(id)
  local o = key('o', 'obj', id)
  local f = redis.call('HMGET', o, 'ns', 'size')
  if f[1] then redis.call('ZREM', key('o', 'ns', f[1]), id) end
  if f[2] then redis.call('DECRBY', key('o', 'bytes'), f[2]) end
  redis.call('ZREM', key('o', 'all'), id)
  redis.call('ZREM', key('o', 'exp'), id)
  redis.call('DEL', o)
end

-- File objects expired by the sandbox's clock (ARGV now), a few per call.
local function expire_objects(now)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', key('o', 'exp'), '-inf', now, 'LIMIT', 0, 64)) do forget_object(id) end
end

local function clear_objects(ns)
  for _, id in ipairs(redis.call('ZRANGE', key('o', 'ns', ns), 0, -1)) do forget_object(id) end
  redis.call('DEL', key('o', 'ns', ns))
end

local function reset_namespace(ns)
  clear_journal(ns)
  clear_scenarios(ns)
  clear_files(ns)
  clear_objects(ns)
  redis.call('DEL', key('n', 'set', ns))
  -- The run's tally (c:all) stays: a namespace's reset takes nothing out of it.
  redis.call('DEL', key('c', 'ns', ns))
  redis.call('SREM', key('c', 'namespaces'), ns)
end

local function forget_namespace(ns)
  reset_namespace(ns)
  redis.call('ZREM', key('n', 'active'), ns)
end

-- Namespaces idle since before cutoff, oldest first, a few per call: bounded work, and the
-- next call takes the rest. The default namespace never expires.
local function expire_idle(cutoff)
  local stale = redis.call('ZRANGEBYSCORE', key('n', 'active'), '-inf', '(' .. cutoff, 'LIMIT', 0, 33)
  for _, ns in ipairs(stale) do
    if ns ~= DEFAULT then forget_namespace(ns) end
  end
end
`;

export interface LuaScript {
  readonly name: string;
  readonly source: string;
  /** What EVALSHA calls it by; EVAL teaches it to a Redis that does not know it (NOSCRIPT). */
  readonly sha: string;
}

function script(name: string, body: string): LuaScript {
  const source = `${PRELUDE}\n${body}`;
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

export const SCRIPTS = {
  /** ARGV: prefix, id, namespace, json, maxEntries -> creation revision. */
  journalOpen: script(
    'journalOpen',
    `
local id, ns = ARGV[2], ARGV[3]
local seq = redis.call('INCR', key('rev'))
redis.call('HSET', key('j', 'e', id), 'json', ARGV[4], 'ns', ns, 'seq', seq, 'rev', seq, 'held', 0, 'blobs', '')
redis.call('ZADD', key('j', 'order'), seq, id)
redis.call('ZADD', key('j', 'revs'), seq, id)
redis.call('ZADD', key('j', 'ns', ns), seq, id)
local max = tonumber(ARGV[5])
while redis.call('ZCARD', key('j', 'order')) > max do
  drop_entry(redis.call('ZRANGE', key('j', 'order'), 0, 0)[1])
end
return seq
`,
  ),

  /** ARGV: prefix, id, json, maxBytes, blobTtlMs, then (blob name, bytes) pairs -> 1, or 0 when the entry was dropped meanwhile. */
  journalCommit: script(
    'journalCommit',
    `
local id = ARGV[2]
local e = key('j', 'e', id)
if redis.call('EXISTS', e) == 0 then return 0 end
local rev = redis.call('INCR', key('rev'))
local held, names = 0, {}
for i = 6, #ARGV, 2 do
  redis.call('SET', key('j', 'b', id, ARGV[i]), ARGV[i + 1], 'PX', ARGV[5])
  held = held + #ARGV[i + 1]
  names[#names + 1] = ARGV[i]
end
redis.call('HSET', e, 'json', ARGV[3], 'rev', rev, 'held', held, 'blobs', table.concat(names, ' '))
redis.call('ZADD', key('j', 'revs'), rev, id)
if held > 0 then
  redis.call('ZADD', key('j', 'held'), redis.call('HGET', e, 'seq'), id)
  redis.call('INCRBY', key('j', 'bytes'), held)
end
-- Oldest bytes first, until the total is within SANDBOX_JOURNAL_BYTES.
local max = tonumber(ARGV[4])
while num(redis.call('GET', key('j', 'bytes'))) > max do
  local oldest = redis.call('ZRANGE', key('j', 'held'), 0, 0)
  if #oldest == 0 then break end
  release_bytes(oldest[1])
end
return 1
`,
  ),

  /**
   * ARGV: prefix, namespace or '*', since ('' for all) -> [newest revision, the ids removed
   * after \`since\` (nil when it is older than the removals remembered), then json, rev, held
   * per entry, oldest first].
   */
  journalList: script(
    'journalList',
    `
local ns = ARGV[2]
local index = ns == '*' and key('j', 'order') or key('j', 'ns', ns)
local since = tonumber(ARGV[3])
local removed = {}
if since and since < num(redis.call('GET', key('j', 'gone', 'floor'))) then
  removed = false
elseif since then
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key('j', 'gone'), '(' .. since, '+inf')) do
    local owner, id = string.match(member, '^(%S+) (%S+)$')
    if ns == '*' or owner == ns then removed[#removed + 1] = id end
  end
end
local out = { redis.call('GET', key('rev')) or '0', removed }
for _, id in ipairs(redis.call('ZRANGE', index, 0, -1)) do
  local f = redis.call('HMGET', key('j', 'e', id), 'json', 'rev', 'held')
  if f[1] and (not since or tonumber(f[2]) > since) then
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[3]
  end
end
return out
`,
  ),

  /** ARGV: prefix, namespace or '*', id, blob name -> [json, bytes], or nil when not kept. */
  journalBlob: script(
    'journalBlob',
    `
local f = redis.call('HMGET', key('j', 'e', ARGV[3]), 'ns', 'held', 'json')
if not f[1] or (ARGV[2] ~= '*' and f[1] ~= ARGV[2]) or num(f[2]) == 0 then return false end
local bytes = redis.call('GET', key('j', 'b', ARGV[3], ARGV[4]))
if not bytes then return false end
return { f[3], bytes }
`,
  ),

  /** ARGV: prefix, namespace or '*' -> how many entries were forgotten. */
  journalClear: script('journalClear', `return clear_journal(ARGV[2])`),

  /** ARGV: prefix, namespace, id, definition json, times. */
  scenarioArm: script(
    'scenarioArm',
    `
local ns, id = ARGV[2], ARGV[3]
local seq = redis.call('INCR', key('s', 'seq'))
redis.call('ZADD', key('s', 'order', ns), seq, id)
redis.call('HSET', key('s', 'def', ns), id, ARGV[4])
redis.call('HSET', key('s', 'left', ns), id, ARGV[5])
redis.call('SADD', key('s', 'namespaces'), ns)
return seq
`,
  ),

  /**
   * ARGV: prefix, namespace, model, prompt -> the scenario name, or nil. The oldest armed
   * scenario that matches loses one use (and is gone at zero), in one atomic step: exactly
   * \`times\` requests get it, however many replicas ask at once.
   */
  scenarioTake: script(
    'scenarioTake',
    `
local ns, model, prompt = ARGV[2], ARGV[3], ARGV[4]
local order, defs, left = key('s', 'order', ns), key('s', 'def', ns), key('s', 'left', ns)
for _, id in ipairs(redis.call('ZRANGE', order, 0, -1)) do
  local def = cjson.decode(redis.call('HGET', defs, id))
  local m = def.match
  local ok = true
  if type(m) == 'table' then
    if type(m.model) == 'string' and m.model ~= model then ok = false end
    if ok and type(m.prompt) == 'string' and not string.find(prompt, m.prompt, 1, true) then ok = false end
  end
  if ok then
    if redis.call('HINCRBY', left, id, -1) <= 0 then
      redis.call('ZREM', order, id)
      redis.call('HDEL', defs, id)
      redis.call('HDEL', left, id)
    end
    return def.scenario
  end
end
return false
`,
  ),

  /** ARGV: prefix, namespace -> [id, definition json, uses left] per armed scenario, oldest first. */
  scenarioList: script(
    'scenarioList',
    `
local ns = ARGV[2]
local out = {}
for _, id in ipairs(redis.call('ZRANGE', key('s', 'order', ns), 0, -1)) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', key('s', 'def', ns), id)
  out[#out + 1] = redis.call('HGET', key('s', 'left', ns), id)
end
return out
`,
  ),

  /** ARGV: prefix, namespace -> how many were armed. */
  scenarioClear: script('scenarioClear', `return clear_scenarios(ARGV[2])`),

  /** ARGV: prefix, namespace, name, bytes, content type, now ms, expiry ms, max files, max bytes. */
  filePut: script(
    'filePut',
    `
local ns, name, bytes = ARGV[2], ARGV[3], ARGV[4]
for _, old in ipairs(redis.call('ZRANGEBYSCORE', key('f', 'all'), '-inf', ARGV[6], 'LIMIT', 0, 64)) do forget_file(old) end
local file = key('f', 'file', name)
redis.call('HSET', file, 'bytes', bytes, 'type', ARGV[5], 'ns', ns, 'exp', ARGV[7])
redis.call('PEXPIREAT', file, ARGV[7])
redis.call('ZADD', key('f', 'all'), ARGV[7], name)
redis.call('HSET', key('f', 'meta'), name, #bytes .. ' ' .. ns)
redis.call('INCRBY', key('f', 'bytes'), #bytes)
redis.call('SADD', key('f', 'ns', ns), name)
local max_files, max_bytes = tonumber(ARGV[8]), tonumber(ARGV[9])
while redis.call('ZCARD', key('f', 'all')) > max_files or num(redis.call('GET', key('f', 'bytes'))) > max_bytes do
  local oldest = redis.call('ZRANGE', key('f', 'all'), 0, 0)[1]
  if not oldest or oldest == name then break end
  forget_file(oldest)
end
return 1
`,
  ),

  /** ARGV: prefix, namespace, id, object json, declared type, content, now s, expires_at s, max files, max bytes. */
  objectCreate: script(
    'objectCreate',
    `
local ns, id, content = ARGV[2], ARGV[3], ARGV[6]
expire_objects(ARGV[7])
local seq = redis.call('INCR', key('o', 'seq'))
redis.call('HSET', key('o', 'obj', id), 'json', ARGV[4], 'ns', ns, 'type', ARGV[5], 'content', content, 'size', #content)
redis.call('ZADD', key('o', 'all'), seq, id)
redis.call('ZADD', key('o', 'ns', ns), seq, id)
redis.call('ZADD', key('o', 'exp'), ARGV[8], id)
redis.call('INCRBY', key('o', 'bytes'), #content)
local max_files, max_bytes = tonumber(ARGV[9]), tonumber(ARGV[10])
while redis.call('ZCARD', key('o', 'all')) > max_files or num(redis.call('GET', key('o', 'bytes'))) > max_bytes do
  local oldest = redis.call('ZRANGE', key('o', 'all'), 0, 0)[1]
  if not oldest or oldest == id then break end
  forget_object(oldest)
end
return 1
`,
  ),

  /** ARGV: prefix, namespace, id, now s -> [json, declared type, content], or nil when not this namespace's or expired. */
  objectGet: script(
    'objectGet',
    `
expire_objects(ARGV[4])
local f = redis.call('HMGET', key('o', 'obj', ARGV[3]), 'ns', 'json', 'type', 'content')
if not f[1] or f[1] ~= ARGV[2] then return false end
return { f[2], f[3], f[4] }
`,
  ),

  /** ARGV: prefix, namespace, now s -> the namespace's object json, oldest first. */
  objectList: script(
    'objectList',
    `
expire_objects(ARGV[3])
local out = {}
for _, id in ipairs(redis.call('ZRANGE', key('o', 'ns', ARGV[2]), 0, -1)) do
  out[#out + 1] = redis.call('HGET', key('o', 'obj', id), 'json')
end
return out
`,
  ),

  /** ARGV: prefix, namespace, id -> 1 when this namespace's object was deleted, else 0. */
  objectDelete: script(
    'objectDelete',
    `
if redis.call('HGET', key('o', 'obj', ARGV[3]), 'ns') ~= ARGV[2] then return 0 end
forget_object(ARGV[3])
return 1
`,
  ),

  /** ARGV: prefix, namespace, now ms, idle cutoff ms, max namespaces. */
  namespaceTouch: script(
    'namespaceTouch',
    `
local ns = ARGV[2]
local active = key('n', 'active')
expire_idle(ARGV[4])
redis.call('ZADD', active, ARGV[3], ns)
local excess = redis.call('ZCARD', active) - tonumber(ARGV[5])
while excess > 0 do
  -- The least recently active one that is neither the default nor the caller's.
  local victim
  for _, name in ipairs(redis.call('ZRANGE', active, 0, 2)) do
    if name ~= DEFAULT and name ~= ns then victim = name break end
  end
  if not victim then break end
  forget_namespace(victim)
  excess = excess - 1
end
return 1
`,
  ),

  /** ARGV: prefix, idle cutoff ms -> [name, last activity, requests, armed] per namespace, least recently active first. */
  namespaceList: script(
    'namespaceList',
    `
expire_idle(ARGV[2])
local out = {}
local all = redis.call('ZRANGE', key('n', 'active'), 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  local ns = all[i]
  out[#out + 1] = ns
  out[#out + 1] = all[i + 1]
  out[#out + 1] = redis.call('ZCARD', key('j', 'ns', ns))
  out[#out + 1] = redis.call('ZCARD', key('s', 'order', ns))
end
return out
`,
  ),

  /** ARGV: prefix, namespace. */
  namespaceReset: script('namespaceReset', `reset_namespace(ARGV[2]) return 1`),

  /**
   * ARGV: prefix, namespace, outcome, variant ('' for none), max variants. One more of the
   * outcome in the namespace's tally and the run's; a variant is listed while fewer than the
   * max are, and counted on once listed.
   */
  coverageRecord: script(
    'coverageRecord',
    `
local ns, outcome, variant, max = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local function count(tally)
  redis.call('HINCRBY', tally, outcome, 1)
  if variant == '' then return end
  local field = outcome .. ' ' .. variant
  if redis.call('HEXISTS', tally, field) == 1 then
    redis.call('HINCRBY', tally, field, 1)
  elseif num(redis.call('HGET', tally, outcome .. ' #')) < max then
    redis.call('HINCRBY', tally, outcome .. ' #', 1)
    redis.call('HSET', tally, field, 1)
  end
end
count(key('c', 'ns', ns))
count(key('c', 'all'))
redis.call('SADD', key('c', 'namespaces'), ns)
return 1
`,
  ),

  /** ARGV: prefix. Every namespace back to the start, through the indexes (no SCAN). */
  resetAll: script(
    'resetAll',
    `
clear_journal('*')
for _, ns in ipairs(redis.call('SMEMBERS', key('s', 'namespaces'))) do clear_scenarios(ns) end
for _, name in ipairs(redis.call('ZRANGE', key('f', 'all'), 0, -1)) do forget_file(name) end
for _, id in ipairs(redis.call('ZRANGE', key('o', 'all'), 0, -1)) do forget_object(id) end
for _, ns in ipairs(redis.call('ZRANGE', key('n', 'active'), 0, -1)) do redis.call('DEL', key('n', 'set', ns)) end
redis.call('DEL', key('n', 'active'))
for _, ns in ipairs(redis.call('SMEMBERS', key('c', 'namespaces'))) do redis.call('DEL', key('c', 'ns', ns)) end
redis.call('DEL', key('c', 'namespaces'), key('c', 'all'))
return 1
`,
  ),
} as const;
