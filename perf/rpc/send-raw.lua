-- wrk: each thread sends the pre-signed transfers of its own senders (DIR/tx-<thread>.txt, written by perf/RpcLoad),
-- each exactly once, round-robin by sender with nonces in order per sender; once its file is used up a thread sends
-- eth_blockNumber (not counted). Usage: wrk ... -s send-raw.lua URL -- DIR
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1] .. "/tx-" .. id .. ".txt") do bodies[#bodies + 1] = line end
  headers = { ["Content-Type"] = "application/json" }
  filler = wrk.format("POST", "/", headers, '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}')
  i = 0
  accepted = 0
  rejected = 0
  other = 0
  last_error = ""
end

function request()
  i = i + 1
  if i <= #bodies then return wrk.format("POST", "/", headers, bodies[i]) end
  return filler
end

function response(status, headers, body)
  if body:find('"error"', 1, true) or status ~= 200 then
    rejected = rejected + 1
    last_error = body
  elseif #body > 90 then
    -- {"jsonrpc":"2.0","id":1,"result":"0x<64 hex digits>"}: a transaction hash, i.e. accepted into the mempool.
    accepted = accepted + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local acc, rej, oth, err = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    acc = acc + t:get("accepted")
    rej = rej + t:get("rejected")
    oth = oth + t:get("other")
    if t:get("last_error") ~= "" then err = t:get("last_error") end
  end
  io.write(string.format("SENDRAW accepted=%d rejected=%d other=%d duration_us=%d\n", acc, rej, oth, summary.duration))
  if err ~= "" then io.write("SENDRAW last_error=" .. err .. "\n") end
end
