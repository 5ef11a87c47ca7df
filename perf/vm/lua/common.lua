-- Shared by the Lua versions of the VM comparison workloads (perf/vm/run.sh): `lua FILE.lua N RUNS` prints
-- "checksum median_ns", timing each run with os.clock (CPU time: the machine is shared, wall time would be noisier).
local M = {}

function M.run(work)
  local n, runs = tonumber(arg[1]), tonumber(arg[2])
  local times, checksum = {}, nil
  for r = 1, runs do
    local start = os.clock()
    checksum = work(n)
    times[r] = os.clock() - start
  end
  table.sort(times)
  print(string.format("%s %d", tostring(checksum), math.floor(times[math.floor(runs / 2) + 1] * 1e9)))
end

return M
