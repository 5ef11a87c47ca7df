package.path = arg[0]:match("(.*/)") .. "?.lua;" .. package.path
require("common").run(function(n)
  local sum = 0
  for i = 0, n - 1 do sum = sum + (i * i) % 8 end
  return string.format("%d", sum)
end)
